// SPDX-License-Identifier: GPL-2.0
#include "memlock.h"

#include <stdio.h>
#include <sys/resource.h>

/* CAP_IPC_LOCK is bit 14 of CapEff in /proc/self/status. */
static bool has_cap_ipc_lock(void)
{
	char line[256];
	unsigned long long caps = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	if (f)
		fclose(f);
	return caps & (1ULL << 14);
}

uint64_t memlock__allowance(bool *by_cap)
{
	struct rlimit rl;
	bool cap = has_cap_ipc_lock();

	if (by_cap)
		*by_cap = cap;
	if (cap || getrlimit(RLIMIT_MEMLOCK, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return UINT64_MAX;
	return rl.rlim_cur;
}
