// SPDX-License-Identifier: GPL-2.0
/*
 * intx-hog: a misbehaving guest. It raises an interrupt and never
 * acknowledges it: the handler only EOIs, so the line stays asserted for
 * seconds= (default 10). On real hardware that is an interrupt storm on the
 * host line; with PCI 2.3 masking it must stay this guest's problem, which
 * the host-side sharer on the same line checks. The guest passes if it is
 * still in control at the end and the device can then be quiesced.
 */
#include "guest.h"

const char test_name[] = "intx-hog";

#define VECTOR 0x44

static struct edu dev;
static uint64_t start, run_ms;
static volatile bool ended_in_handler;

static void handler(void *arg)
{
	struct edu *e = arg;

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
	uint64_t seconds = cmdline_u64("seconds", 10);

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	run_ms = seconds * 1000;
	start = rdtsc();
	edu_setup_irq(&dev, VECTOR, handler, &dev);
	irq_enable();
	edu_raise(&dev, 1);
	while (ms_since(start) < run_ms && !ended_in_handler)
		cpu_relax();
	irq_disable();
	printf("intx-hog: the line was held asserted for %lu s; %lu interrupts taken\n",
	       seconds, dev.irqs);
	check(dev.irqs >= 1, "the held line interrupted the guest (%lu times)", dev.irqs);
	edu_ack(&dev, 1);
	check(!edu_status_interrupt(&dev), "acknowledging at the end quiesces the device");
}
