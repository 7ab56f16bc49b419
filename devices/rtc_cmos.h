/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's MC146818 CMOS clock at ports 0x70 (index; bit 7 is the NMI mask,
 * ignored) and 0x71 (data), as QEMU and kvmtool offer. Without one Linux
 * says "Unable to read current time from RTC", starts its clock at 1970,
 * and its rtc_cmos driver spends seconds of boot deciding the device is
 * "broken or not accessible".
 *
 * The time registers read the host's clock (UTC), in BCD or binary and 24-
 * or 12-hour as register B asks (default 0x02: BCD, 24-hour); register A
 * never shows an update in progress; register D says the battery is good;
 * the guest's writes to the time keep no effect (the time is the host's).
 * The 114 bytes of CMOS RAM (0x0e-0x7f) hold what the guest writes. No
 * alarm, periodic or update interrupt is raised (IRQ 8 stays low).
 */
#ifndef PCIVMM_RTC_CMOS_H
#define PCIVMM_RTC_CMOS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define RTC_CMOS_PORT 0x70

struct vm;

struct rtc_cmos {
	pthread_mutex_t lock;
	uint8_t index;
	uint8_t ram[128]; /* registers A-D and CMOS RAM; time comes from the clock */
	time_t (*now)(void); /* the host's clock; tests substitute their own */
};

int rtc_cmos__create(struct vm *vm);

/* The port handler (bus_access_fn), for tests. */
void rtc_cmos__init(struct rtc_cmos *rtc);
/* UTC date and time of t (only the fields the clock shows, and tm_wday), as gmtime_r has them. */
void rtc_cmos__utc(time_t t, struct tm *tm);
void rtc_cmos__access(void *opaque, uint64_t offset, uint8_t *data, unsigned len, bool is_write);

#endif
