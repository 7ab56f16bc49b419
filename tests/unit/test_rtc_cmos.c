// SPDX-License-Identifier: GPL-2.0
/* The CMOS clock through its two ports, against a fixed clock. */
#include "unit.h"
#include "rtc_cmos.h"

/* 2026-11-27 13:45:09 UTC, a Friday. */
static time_t fixed_now(void) { return 1795787109; }

static void setup(struct rtc_cmos *rtc)
{
	rtc_cmos__init(rtc);
	rtc->now = fixed_now;
}

static uint8_t rd(struct rtc_cmos *rtc, uint8_t reg)
{
	uint8_t v = reg;

	rtc_cmos__access(rtc, 0, &v, 1, true);
	rtc_cmos__access(rtc, 1, &v, 1, false);
	return v;
}

static void wr(struct rtc_cmos *rtc, uint8_t reg, uint8_t val)
{
	rtc_cmos__access(rtc, 0, &reg, 1, true);
	rtc_cmos__access(rtc, 1, &val, 1, true);
}

TEST(time_reads_the_host_clock_in_bcd_24_hour_by_default)
{
	struct rtc_cmos rtc;

	setup(&rtc);
	EXPECT_EQ(rd(&rtc, 0x00), 0x09);
	EXPECT_EQ(rd(&rtc, 0x02), 0x45);
	EXPECT_EQ(rd(&rtc, 0x04), 0x13);
	EXPECT_EQ(rd(&rtc, 0x06), 6); /* Friday: Sunday is 1 */
	EXPECT_EQ(rd(&rtc, 0x07), 0x27);
	EXPECT_EQ(rd(&rtc, 0x08), 0x11);
	EXPECT_EQ(rd(&rtc, 0x09), 0x26);
	EXPECT_EQ(rd(&rtc, 0x32), 0x20);
}

/* Our own UTC conversion against the C library's, around every kind of date. */
TEST(utc_conversion_matches_gmtime_r)
{
	static const time_t points[] = {
		0, -1, 86399, 86400, 951782400 /* 2000-02-29 */, 951868800 /* 2000-03-01 */,
		1795787109, 2147483647, 2147483648LL, 4107456000LL /* 2100-02-28 */,
		4107542400LL /* 2100-03-01: no leap day */, 13574563200LL /* 2400-02-29 */,
		-2208988800LL /* 1900-01-01 */, -62135596800LL /* 0001-01-01 */,
	};
	unsigned checked = 0;

	for (unsigned i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		for (time_t t = points[i] - 2 * 86400; t <= points[i] + 2 * 86400; t += 3599) {
			struct tm ours, libc;

			rtc_cmos__utc(t, &ours);
			EXPECT(gmtime_r(&t, &libc) != NULL);
			EXPECT_EQ(ours.tm_sec, libc.tm_sec);
			EXPECT_EQ(ours.tm_min, libc.tm_min);
			EXPECT_EQ(ours.tm_hour, libc.tm_hour);
			EXPECT_EQ(ours.tm_mday, libc.tm_mday);
			EXPECT_EQ(ours.tm_mon, libc.tm_mon);
			EXPECT_EQ(ours.tm_year, libc.tm_year);
			EXPECT_EQ(ours.tm_wday, libc.tm_wday);
			checked++;
		}
	}
	/* Every day from 1900 to 2200, at noon. */
	for (time_t t = -2208988800LL + 43200; t < 7258118400LL; t += 86400) {
		struct tm ours, libc;

		rtc_cmos__utc(t, &ours);
		gmtime_r(&t, &libc);
		if (ours.tm_mday != libc.tm_mday || ours.tm_mon != libc.tm_mon ||
		    ours.tm_year != libc.tm_year || ours.tm_wday != libc.tm_wday) {
			EXPECT_EQ((long long)t, -1LL); /* names the first day that differs */
			break;
		}
		checked++;
	}
	EXPECT(checked > 100000);
}

TEST(status_registers_say_valid_and_never_updating)
{
	struct rtc_cmos rtc;

	setup(&rtc);
	EXPECT_EQ(rd(&rtc, 0x0a) & 0x80, 0); /* UIP */
	EXPECT_EQ(rd(&rtc, 0x0b), 0x02);     /* 24-hour, BCD */
	EXPECT_EQ(rd(&rtc, 0x0c), 0);
	EXPECT_EQ(rd(&rtc, 0x0d), 0x80);     /* VRT */
	wr(&rtc, 0x0a, 0xa6);
	EXPECT_EQ(rd(&rtc, 0x0a), 0x26);     /* UIP is read-only */
	wr(&rtc, 0x0d, 0x00);
	EXPECT_EQ(rd(&rtc, 0x0d), 0x80);
}

TEST(binary_and_12_hour_modes_follow_register_b)
{
	struct rtc_cmos rtc;

	setup(&rtc);
	wr(&rtc, 0x0b, 0x06); /* binary, 24-hour */
	EXPECT_EQ(rd(&rtc, 0x04), 13);
	EXPECT_EQ(rd(&rtc, 0x09), 26);
	wr(&rtc, 0x0b, 0x00); /* BCD, 12-hour: 1 PM */
	EXPECT_EQ(rd(&rtc, 0x04), 0x81);
}

TEST(nmi_bit_ignored_cmos_ram_kept_time_writes_change_nothing)
{
	struct rtc_cmos rtc;
	uint8_t v = 0x80 | 0x40, idx = 0;

	setup(&rtc);
	rtc_cmos__access(&rtc, 0, &v, 1, true); /* NMI masked, register 0x40 */
	v = 0x5a;
	rtc_cmos__access(&rtc, 1, &v, 1, true);
	EXPECT_EQ(rd(&rtc, 0x40), 0x5a);
	wr(&rtc, 0x7f, 0xa5);
	EXPECT_EQ(rd(&rtc, 0x7f), 0xa5);
	wr(&rtc, 0x00, 0x59);
	EXPECT_EQ(rd(&rtc, 0x00), 0x09);
	rtc_cmos__access(&rtc, 0, &idx, 1, false);
	EXPECT_EQ(idx, 0xff); /* the index port is write-only */
}
