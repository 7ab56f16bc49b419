// SPDX-License-Identifier: GPL-2.0
/*
 * eoi-probe: what the host's KVM does between injecting a level-triggered
 * IOAPIC interrupt and the guest's EOI. For count= raise/acknowledge cycles
 * the handler records, before it acknowledges the device and before the
 * library's EOI:
 *   - the IOAPIC pin's remote IRR: an interrupt the IOAPIC sent and has not
 *     seen EOI'd (82093AA 3.2.4). 0 here means KVM took the EOI early.
 *   - the LAPIC's ISR, TMR and IRR bits of the vector: in service, level, and
 *     a second copy already requested while the first is in service.
 * hold_us= makes the handler wait that long before acknowledging (the line
 * stays high meanwhile), which widens any window a host has.
 * Every interrupt is classified; the verdict is the checks below: exact
 * delivery needs remote IRR set, ISR set, TMR set and IRR clear in every
 * handler, and no handler that finds the device idle.
 */
#include "guest.h"

const char test_name[] = "eoi-probe";

#define VECTOR 0x44

static struct edu dev;
static volatile uint64_t no_remote_irr, not_in_service, not_level, requested_again;
static volatile uint64_t hold_tsc;

static void handler(void *arg)
{
	struct edu *e = arg;
	uint32_t st;

	if (!ioapic_remote_irr(e->pci.gsi))
		no_remote_irr++;
	if (!lapic_in_service(VECTOR))
		not_in_service++;
	if (!lapic_level_triggered(VECTOR))
		not_level++;
	if (hold_tsc) {
		uint64_t t0 = rdtsc();

		while (rdtsc() - t0 < hold_tsc)
			cpu_relax();
	}
	if (lapic_requested(VECTOR))
		requested_again++;
	if (!edu_irq_claim(e, &st))
		return;
	edu_ack(e, st);
	e->irqs++;
}

void test_main(void)
{
	uint64_t count = cmdline_u64("count", 10000);
	uint64_t hold_us = cmdline_u64("hold_us", 0), done = 0;

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	hold_tsc = hold_us * tsc_per_ms / 1000;
	edu_setup_irq(&dev, VECTOR, handler, &dev);
	irq_enable();
	for (; done < count; done++) {
		edu_raise(&dev, 1);
		if (!edu_wait_irqs(&dev, done + 1, 2000))
			break;
	}
	delay_ms(100);
	irq_disable();
	printf("eoi-probe: %lu cycles, handler held %lu us: %lu interrupts found work, %lu found the "
	       "device idle; in the handler, before its EOI: remote IRR clear %lu, ISR clear %lu, "
	       "TMR clear %lu, vector requested again %lu\n",
	       done, hold_us, dev.irqs, dev.spurious, no_remote_irr, not_in_service, not_level,
	       requested_again);
	check(done == count && dev.irqs == count, "%lu raises gave %lu serviced interrupts", count,
	      dev.irqs);
	check(no_remote_irr == 0, "remote IRR was set in every handler (clear in %lu)", no_remote_irr);
	check(not_in_service == 0 && not_level == 0,
	      "the vector was in service and level-triggered in every handler");
	check(requested_again == 0,
	      "no second copy of the vector was requested before the EOI (%lu were)",
	      requested_again);
	check(dev.spurious == 0, "no interrupt found the device idle (%lu did)", dev.spurious);
}
