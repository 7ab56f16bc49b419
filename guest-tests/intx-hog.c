// SPDX-License-Identifier: GPL-2.0
/*
 * intx-hog: a misbehaving guest. It raises an interrupt and never
 * acknowledges it: the handler only EOIs, so the line stays asserted for
 * seconds= (default 10). On real hardware that is an interrupt storm on the
 * host line; with PCI 2.3 masking it must stay this guest's problem, which
 * the host-side sharer on the same line checks. The guest passes if it is
 * still in control at the end, and the device then works normally again:
 * after the acknowledge, rounds= (default 100) raises give exactly that many
 * interrupts. leave_pending=1 ends the VM with the device raised and never
 * acknowledged, masked by nobody: what pcivmm must clean up after.
 *
 * It is also the check of the contract's "EOI without acknowledge" row
 * (devices/INTX-MASKING.md): the line still high at each EOI, the
 * interrupt comes again, more than once. Not on a host whose KVM EOIs at
 * injection (remote IRR or ISR clear in the handler, as eoi-probe shows):
 * there the real EOI is invisible to the VMM, pcivmm sends one pulse per
 * edge, and that check is skipped with the reason.
 */
#include "guest.h"

const char test_name[] = "intx-hog";

#define VECTOR 0x44

static struct edu dev;
static uint64_t start, run_ms;
static volatile bool ended_in_handler;
static volatile bool hogging = true;
static volatile bool eoi_at_injection; /* seen in the first hogging handler */

static void handler(void *arg)
{
	struct edu *e = arg;

	if (!hogging) {
		edu_handler_ack(e);
		return;
	}
	if (e->irqs == 0)
		eoi_at_injection = !ioapic_remote_irr(e->pci.gsi) || !lapic_in_service(VECTOR);
	e->irqs++; /* no acknowledge: the line stays up */
	/*
	 * The storm may leave the main loop no time to see the clock, so the
	 * handler ends it: mask the pin at the IOAPIC once time is up.
	 */
	if (ms_since(start) >= run_ms) {
		ioapic_mask(e->pci.gsi, true);
		ended_in_handler = true;
	}
}

void test_main(void)
{
	uint64_t seconds = cmdline_u64("seconds", 10), rounds = cmdline_u64("rounds", 100);

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	run_ms = seconds * 1000;
	start = rdtsc();
	edu_setup_irq(&dev, VECTOR, handler, &dev);
	irq_enable();
	/*
	 * What a test that stops this VM mid-storm waits for; printed before
	 * the raise because the storm may starve this loop.
	 */
	printf("intx-hog: holding the line\n");
	edu_raise(&dev, 1);
	while (ms_since(start) < run_ms && !ended_in_handler)
		cpu_relax();
	irq_disable();
	printf("intx-hog: the line was held asserted for %lu s; %lu interrupts taken\n",
	       seconds, dev.irqs);
	check(dev.irqs >= 1, "the held line interrupted the guest (%lu times)", dev.irqs);
	if (eoi_at_injection)
		skip("an EOI without acknowledge is followed by the interrupt again",
		     "this host's KVM EOIs at injection (remote IRR or ISR clear in the handler): the guest's real EOI is invisible to the VMM, so nothing can follow it (pcivmm pulses once per edge there)");
	else
		check(dev.irqs >= 2,
		      "an EOI without acknowledge is followed by the interrupt again (%lu times in %lu s)",
		      dev.irqs, seconds);
	edu_ack(&dev, 1);
	check(!edu_status_interrupt(&dev), "acknowledging at the end quiesces the device");

	/*
	 * Back to normal: every raise is one interrupt, none spurious. The
	 * pin was masked with the line still asserted: the level a passed
	 * device's irqfd holds until the EOI may bring one stale interrupt
	 * when the pin is unmasked; let it come before counting.
	 */
	hogging = false;
	ioapic_mask(dev.pci.gsi, false);
	irq_enable();
	delay_ms(50);
	dev.irqs = dev.spurious = 0;
	for (uint64_t i = 0; i < rounds; i++) {
		edu_raise(&dev, 1);
		if (!edu_wait_irqs(&dev, i + 1, 2000))
			break;
	}
	delay_ms(100);
	check(dev.irqs == rounds && dev.spurious == 0,
	      "after the storm %lu raises give exactly %lu interrupts (got %lu, %lu spurious)",
	      rounds, rounds, dev.irqs, dev.spurious);
	irq_disable();
	if (cmdline_u64("leave_pending", 0)) {
		/* The VM ends with the device asserting: pcivmm has to leave the host line quiet. */
		edu_raise(&dev, 1);
		check(edu_status_interrupt(&dev), "left pending on purpose: STATUS.INTERRUPT reads 1");
	}
}
