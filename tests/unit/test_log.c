// SPDX-License-Identifier: GPL-2.0
/*
 * log.c's rate limit for lines a guest can trigger at will
 * (pr_warn_ratelimited): a burst per interval per call site, then nothing
 * until the interval ends, and then one line saying how many were dropped.
 */
#include "log.h"
#include "unit.h"

#include <string.h>
#include <time.h>

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

TEST(a_rate_limited_call_site_prints_a_burst_then_drops_until_its_interval_ends)
{
	struct log_ratelimit rs = { 0 };
	unsigned printed = 0;
	long long t0 = now_ms(), intervals;

	for (unsigned i = 0; i < 10000; i++)
		printed += log__ratelimit(&rs);
	/* The loop takes milliseconds; a slow machine may have begun a second interval or more. */
	intervals = (now_ms() - t0) / (LOG_RATELIMIT_INTERVAL_S * 1000LL) + 1;
	EXPECT(printed >= LOG_RATELIMIT_BURST);
	EXPECT(printed <= intervals * LOG_RATELIMIT_BURST);
	if (intervals == 1)
		EXPECT_EQ(rs.dropped, 10000 - LOG_RATELIMIT_BURST);
}

TEST(the_first_line_after_an_interval_with_drops_says_how_many_were_dropped)
{
	/* An interval that began long ago, its burst spent and 42 lines dropped. */
	struct log_ratelimit rs = { .begin_ms = 1, .printed = LOG_RATELIMIT_BURST, .dropped = 42 };
	FILE *f = tmpfile();
	char line[256];
	unsigned lines = 0;

	EXPECT(f != NULL);
	log__set_sink(f);
	EXPECT(log__ratelimit(&rs));
	log__set_sink(NULL);
	EXPECT_EQ(rs.dropped, 0);
	EXPECT_EQ(rs.printed, 1);
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		lines++;
		EXPECT(strstr(line, "warning: 42 lines like the next were not printed") != NULL);
	}
	fclose(f);
	EXPECT_EQ(lines, 1);
}

/* Lines written to a sink by fn, with the log at debug level. */
static unsigned debug_lines(void (*fn)(void))
{
	enum log_level saved = log_level;
	FILE *f = tmpfile();
	char line[256];
	unsigned lines = 0;

	if (!f)
		return ~0u;
	log_level = LOG_DEBUG;
	log__set_sink(f);
	fn();
	log__set_sink(NULL);
	log_level = saved;
	rewind(f);
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	return lines;
}

static void a_guest_toggling_msi_1000_times(void)
{
	for (unsigned i = 0; i < 1000; i++)
		pr_debug_ratelimited("MSI on: message 0x%x", i);
}

/* -v's lines a guest can repeat (MSI toggles, BAR moves) are limited as the warnings are. */
TEST(debug_lines_a_guest_can_repeat_are_rate_limited_too)
{
	unsigned lines = debug_lines(a_guest_toggling_msi_1000_times);

	EXPECT(lines >= LOG_RATELIMIT_BURST);
	EXPECT(lines <= 3 * LOG_RATELIMIT_BURST);
}
