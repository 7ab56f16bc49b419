// SPDX-License-Identifier: GPL-2.0
#include "log_capture.h"
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

bool log_capture__rate_limited(void (*step)(void *ctx, unsigned i), void *ctx, unsigned times,
			       const char *needle)
{
	FILE *f = tmpfile(), *old;
	long long t0 = now_ms(), allowed;
	unsigned lines = 0;
	char line[1024];

	if (!f)
		return false;
	old = log__set_sink(f);
	for (unsigned i = 0; i < times; i++)
		step(ctx, i);
	log__set_sink(old == stderr ? NULL : old);
	/*
	 * A burst per interval the call site's limit was in: the one it was in
	 * at start (begun by an earlier test, maybe) and each begun since.
	 */
	allowed = ((now_ms() - t0) / (LOG_RATELIMIT_INTERVAL_S * 1000LL) + 2) * LOG_RATELIMIT_BURST;
	rewind(f);
	while (fgets(line, sizeof(line), f))
		lines += strstr(line, needle) != NULL;
	fclose(f);
	if (lines && lines <= allowed)
		return true;
	printf("# %u lines with \"%s\" after %u repeats; 1 to %lld expected\n", lines, needle, times,
	       allowed);
	return false;
}
