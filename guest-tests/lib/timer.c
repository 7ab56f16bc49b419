// SPDX-License-Identifier: GPL-2.0
/*
 * TSC calibration against PIT channel 2 (gate and output on port 0x61), the
 * way Linux's quick_pit_calibrate does it: 10 ms of PIT at 1.193182 MHz.
 */
#include "guest.h"

#define PIT_HZ 1193182
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define CAL_MS 10
#define TSC_FALLBACK_PER_MS 1000000 /* 1 GHz, if there is no PIT */

uint64_t tsc_per_ms = TSC_FALLBACK_PER_MS;

/* Latches and reads PIT channel 2's current count (8254 counter latch command). */
static unsigned pit_ch2_count(void)
{
	unsigned lo, hi;

	outb(PIT_CMD, 0x80);
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return hi << 8 | lo;
}

void timer_init(void)
{
	unsigned ticks = PIT_HZ * CAL_MS / 1000, start, now;
	unsigned long spins = 0;
	uint64_t t0, t1;

	outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_CMD, 0xb0); /* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2, 0xff);
	outb(PIT_CH2, 0xff);
	start = pit_ch2_count();
	t0 = rdtsc();
	/* The counter runs down from 0xffff; stop after CAL_MS worth of ticks. */
	do {
		now = pit_ch2_count();
	} while (start - now < ticks && now <= start && ++spins < 10000000UL);
	t1 = rdtsc();
	/* Below 100 MHz the PIT is not really there (its ports read 0xff). */
	if (start - now >= ticks && t1 - t0 >= 100000ULL * CAL_MS)
		tsc_per_ms = (t1 - t0) / CAL_MS;
	else
		printf("guest: no PIT to calibrate the TSC; assuming 1 GHz\n");
}

uint64_t ms_since(uint64_t start)
{
	return (rdtsc() - start) / tsc_per_ms;
}

void delay_ms(unsigned ms)
{
	uint64_t start = rdtsc();

	while (ms_since(start) < ms)
		cpu_relax();
}

bool wait_count(volatile uint64_t *counter, uint64_t target, unsigned timeout_ms)
{
	uint64_t start = rdtsc();

	while (*counter < target) {
		if (ms_since(start) >= timeout_ms)
			return false;
		cpu_relax();
	}
	return true;
}
