// SPDX-License-Identifier: GPL-2.0
#include "rtc_cmos.h"
#include "vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* MC146818 register numbers and bits (Linux's include/linux/mc146818rtc.h). */
enum {
	RTC_SECONDS = 0x00, RTC_MINUTES = 0x02, RTC_HOURS = 0x04, RTC_DAY_OF_WEEK = 0x06,
	RTC_DAY_OF_MONTH = 0x07, RTC_MONTH = 0x08, RTC_YEAR = 0x09,
	RTC_REG_A = 0x0a, RTC_REG_B = 0x0b, RTC_REG_C = 0x0c, RTC_REG_D = 0x0d,
	RTC_CENTURY = 0x32, /* where ACPI's FADT says PCs keep it */
};
#define RTC_A_UIP   0x80 /* update in progress: never set here */
#define RTC_A_DIVIDERS 0x26 /* 32.768 kHz base, 1024 Hz rate: the power-on value */
#define RTC_B_SET   0x80
#define RTC_B_DM_BINARY 0x04
#define RTC_B_24H   0x02
#define RTC_D_VRT   0x80 /* valid RAM and time: the battery is good */
#define RTC_HOUR_PM 0x80 /* 12-hour mode */

static uint8_t rtc_value(const struct rtc_cmos *rtc, unsigned v)
{
	return (rtc->ram[RTC_REG_B] & RTC_B_DM_BINARY) ? v : (uint8_t)((v / 10) << 4 | v % 10);
}

static uint8_t rtc_hours(const struct rtc_cmos *rtc, unsigned h)
{
	unsigned h12;

	if (rtc->ram[RTC_REG_B] & RTC_B_24H)
		return rtc_value(rtc, h);
	h12 = h % 12 ? h % 12 : 12;
	return rtc_value(rtc, h12) | (h >= 12 ? RTC_HOUR_PM : 0);
}

/*
 * Not the C library's gmtime_r: its first call sets up the time zone (glibc
 * opens /etc/localtime and allocates, which maps a new malloc arena for the
 * calling thread), and here that thread is a vCPU in the middle of the
 * guest's port read. Measured in the nested L1: Linux's first CMOS read at
 * boot held its vCPU 0.08-1.09 s, the mmap waiting for mmap_lock while guest
 * RAM was being pinned for DMA. Days to a date: the proleptic Gregorian
 * calendar's 400-year era of 146097 days, counted from 0000-03-01 so that
 * the leap day ends each year (Hinnant's civil_from_days).
 */
void rtc_cmos__utc(time_t t, struct tm *tm)
{
	int64_t days = t / 86400, secs = t % 86400;
	int64_t era, year;
	unsigned doe, yoe, doy, mp;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	memset(tm, 0, sizeof(*tm));
	tm->tm_sec = secs % 60;
	tm->tm_min = secs / 60 % 60;
	tm->tm_hour = secs / 3600;
	tm->tm_wday = (int)(((days + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	days += 719468; /* from 0000-03-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = (unsigned)(days - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153; /* March is 0 */
	tm->tm_mday = doy - (153 * mp + 2) / 5 + 1;
	tm->tm_mon = mp < 10 ? mp + 2 : mp - 10;
	year = yoe + era * 400 + (tm->tm_mon < 2);
	tm->tm_year = (int)(year - 1900);
}

static uint8_t rtc_read(struct rtc_cmos *rtc, uint8_t reg)
{
	struct tm tm;

	if (reg > RTC_YEAR && reg != RTC_CENTURY)
		return rtc->ram[reg];
	rtc_cmos__utc(rtc->now(), &tm);
	switch (reg) {
	case RTC_SECONDS: return rtc_value(rtc, tm.tm_sec);
	case RTC_MINUTES: return rtc_value(rtc, tm.tm_min);
	case RTC_HOURS: return rtc_hours(rtc, tm.tm_hour);
	case RTC_DAY_OF_WEEK: return rtc_value(rtc, tm.tm_wday + 1);
	case RTC_DAY_OF_MONTH: return rtc_value(rtc, tm.tm_mday);
	case RTC_MONTH: return rtc_value(rtc, tm.tm_mon + 1);
	case RTC_YEAR: return rtc_value(rtc, tm.tm_year % 100);
	case RTC_CENTURY: return rtc_value(rtc, (tm.tm_year + 1900) / 100);
	default: return rtc->ram[reg]; /* the alarm registers: what was written */
	}
}

static void rtc_write(struct rtc_cmos *rtc, uint8_t reg, uint8_t val)
{
	switch (reg) {
	case RTC_REG_A: /* the dividers and rate are kept; UIP is read-only */
		rtc->ram[reg] = val & ~RTC_A_UIP;
		break;
	case RTC_REG_C: /* flags: read-only */
	case RTC_REG_D:
		break;
	default: /* B (format), the alarms, CMOS RAM; time registers change nothing */
		rtc->ram[reg] = val;
		break;
	}
}

void rtc_cmos__access(void *opaque, uint64_t offset, uint8_t *data, unsigned len, bool is_write)
{
	struct rtc_cmos *rtc = opaque;

	pthread_mutex_lock(&rtc->lock);
	for (unsigned i = 0; i < len; i++) {
		unsigned port = offset + i;

		if (port == 0 && is_write)
			rtc->index = data[i] & 0x7f; /* bit 7: NMI mask, nothing to mask here */
		else if (port == 0)
			data[i] = 0xff; /* the index port is write-only */
		else if (is_write)
			rtc_write(rtc, rtc->index, data[i]);
		else
			data[i] = rtc_read(rtc, rtc->index);
	}
	pthread_mutex_unlock(&rtc->lock);
}

static time_t rtc_host_now(void)
{
	return time(NULL);
}

void rtc_cmos__init(struct rtc_cmos *rtc)
{
	memset(rtc, 0, sizeof(*rtc));
	pthread_mutex_init(&rtc->lock, NULL);
	rtc->ram[RTC_REG_A] = RTC_A_DIVIDERS;
	rtc->ram[RTC_REG_B] = RTC_B_24H;
	rtc->ram[RTC_REG_D] = RTC_D_VRT;
	rtc->now = rtc_host_now;
}

static void rtc_cmos_destroy(struct vm *vm, void *opaque)
{
	struct rtc_cmos *rtc = opaque;

	bus__unregister(&vm->pio, RTC_CMOS_PORT, rtc);
	pthread_mutex_destroy(&rtc->lock);
	free(rtc);
}

int rtc_cmos__create(struct vm *vm)
{
	struct rtc_cmos *rtc = malloc(sizeof(*rtc));
	int ret;

	if (!rtc)
		return -ENOMEM;
	rtc_cmos__init(rtc);
	ret = bus__register(&vm->pio, RTC_CMOS_PORT, 2, rtc_cmos__access, rtc);
	if (ret) {
		free(rtc);
		return ret;
	}
	vm__add_teardown(vm, rtc_cmos_destroy, rtc);
	return 0;
}
