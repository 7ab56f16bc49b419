// SPDX-License-Identifier: GPL-2.0
/*
 * intx-shared: two edu devices on one guest GSI (pcivmm --testdev=4
 * --testdev=8, or two passed-through devices in such slots). One handler
 * polls both status registers, as a shared-line driver must. Interleaved
 * and simultaneous raises; per-device counts must be exact.
 */
#include "guest.h"

const char test_name[] = "intx-shared";

#define VECTOR 0x43

static struct edu a, b;
static volatile uint64_t handler_calls, idle_calls;

static unsigned bits_set(uint32_t v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static bool service(struct edu *e)
{
	uint32_t st = edu_status(e);

	if (!st)
		return false;
	edu_ack(e, st);
	e->irqs += bits_set(st);
	return true;
}

static void handler(void *arg)
{
	bool any;

	(void)arg;
	handler_calls++;
	any = service(&a);
	any |= service(&b);
	if (!any)
		idle_calls++;
}

void test_main(void)
{
	uint64_t rounds = cmdline_u64("rounds", 1000);
	unsigned quiet = cmdline_u64("quiet_ms", 100);
	uint64_t ok = 0;

	if (!edu_find(0, &a) || !edu_find(1, &b)) {
		check(false, "two edu-compatible devices are present");
		return;
	}
	check(a.pci.gsi == b.pci.gsi,
	      "both devices share one GSI (%02x:%02x.0 -> %u, %02x:%02x.0 -> %u); place them in slots s and s+4",
	      a.pci.bus, a.pci.dev, a.pci.gsi, b.pci.bus, b.pci.dev, b.pci.gsi);
	if (a.pci.gsi != b.pci.gsi)
		return;
	edu_setup_irq(&a, VECTOR, handler, NULL);
	irq_enable();

	/* Interleaved: A, then B, each waited for. Bits rotate so status is never stale. */
	for (uint64_t i = 0; i < rounds; i++) {
		edu_raise(&a, 1u << (i % 8));
		if (!edu_wait_irqs(&a, i + 1, 2000))
			break;
		edu_raise(&b, 1u << (i % 8));
		if (!edu_wait_irqs(&b, i + 1, 2000))
			break;
		ok++;
	}
	delay_ms(quiet);
	check(ok == rounds && a.irqs == rounds && b.irqs == rounds,
	      "interleaved: %lu rounds, A serviced %lu, B serviced %lu (want %lu each)",
	      ok, a.irqs, b.irqs, rounds);

	/* Simultaneous: both raise back to back, then wait for both. */
	ok = 0;
	for (uint64_t i = 0; i < rounds; i++) {
		edu_raise(&a, 1);
		edu_raise(&b, 1);
		if (!edu_wait_irqs(&a, rounds + i + 1, 2000) ||
		    !edu_wait_irqs(&b, rounds + i + 1, 2000))
			break;
		ok++;
	}
	delay_ms(quiet);
	check(ok == rounds && a.irqs == 2 * rounds && b.irqs == 2 * rounds,
	      "simultaneous: %lu rounds, A serviced %lu, B serviced %lu (want %lu each)",
	      ok, a.irqs, b.irqs, 2 * rounds);
	check(!edu_status_interrupt(&a) && !edu_status_interrupt(&b),
	      "neither device is left pending");
	printf("intx-shared: %lu handler calls, %lu found neither device pending\n",
	       handler_calls, idle_calls);
	irq_disable();
}
