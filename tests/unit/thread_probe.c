// SPDX-License-Identifier: GPL-2.0
#include "thread_probe.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static bool in_syscall(pid_t tid, long nr, long arg0)
{
	char path[64];
	long n, a;
	bool yes;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	yes = fscanf(f, "%ld 0x%lx", &n, &a) == 2 && n == nr && (arg0 < 0 || a == arg0);
	fclose(f);
	return yes;
}

bool thread_probe__wait_in_syscall(const _Atomic pid_t *tid, long nr, long arg0, int seconds)
{
	struct timespec now, until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += seconds;
	do {
		pid_t t = atomic_load(tid);

		if (t && in_syscall(t, nr, arg0))
			return true;
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < until.tv_sec ||
		 (now.tv_sec == until.tv_sec && now.tv_nsec < until.tv_nsec));
	return false;
}
