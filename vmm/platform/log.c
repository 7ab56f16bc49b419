// SPDX-License-Identifier: GPL-2.0
#include "log.h"

#include <stdarg.h>
#include <time.h>

/* Set by --verbose; read by pr_debug everywhere. */
bool log_verbose;

static struct timespec log_t0;

void log__start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &log_t0);
}

void log__debug(const char *fmt, ...)
{
	struct timespec now;
	char line[512];
	va_list ap;
	long long us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (now.tv_sec - log_t0.tv_sec) * 1000000LL + (now.tv_nsec - log_t0.tv_nsec) / 1000;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One fprintf: lines from the vCPU threads and the main thread never interleave. */
	fprintf(stderr, "pcivmm: +%lld.%06lld debug: %s\n", us / 1000000, us % 1000000, line);
}
