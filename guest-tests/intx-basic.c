// SPDX-License-Identifier: GPL-2.0
/*
 * intx-basic: one raise gives exactly one level-triggered interrupt; the
 * handler's acknowledge drops the line (STATUS.INTERRUPT clears); after the
 * EOI the interrupt is not delivered again.
 */
#include "guest.h"

const char test_name[] = "intx-basic";

#define VECTOR 0x40
#define ROUNDS 16

static struct edu dev;
static volatile bool intr_after_ack;

static void handler(void *arg)
{
	struct edu *e = arg;
	uint32_t st;

	if (!edu_irq_claim(e, &st))
		return;
	edu_ack(e, st);
	intr_after_ack = edu_status_interrupt(e);
	e->irqs++;
}

void test_main(void)
{
	unsigned quiet = cmdline_u64("quiet_ms", 100);
	uint64_t ok_rounds = 0;

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	check(dev.pci.pin >= 1 && dev.pci.pin <= 4 && dev.pci.gsi < 24 && dev.bar0,
	      "edu %02x:%02x.%x has an INTx pin, an IOAPIC pin and BAR0: INT%c -> GSI %u, BAR0 0x%lx",
	      dev.pci.bus, dev.pci.dev, dev.pci.fn, 'A' + (dev.pci.pin ? dev.pci.pin - 1 : 0),
	      dev.pci.gsi, dev.bar0);
	check(mmio_read32(dev.bar0) == 0x010000ed, "BAR0 identification register reads 0x010000ed");
	check(!edu_status_interrupt(&dev), "STATUS.INTERRUPT is clear before any raise");

	edu_setup_irq(&dev, VECTOR, handler, &dev);
	irq_enable();
	delay_ms(quiet);
	check(dev.irqs == 0 && dev.spurious == 0, "no interrupt before the first raise");

	edu_raise(&dev, 1);
	check(edu_wait_irqs(&dev, 1, 2000), "raise delivers an interrupt");
	check(dev.last_status == 1, "the handler saw interrupt status 0x1 (got 0x%x)", dev.last_status);
	check(!intr_after_ack, "acknowledging the device clears STATUS.INTERRUPT (line drops)");
	delay_ms(quiet);
	check(dev.irqs == 1 && dev.spurious == 0,
	      "after ack and EOI the interrupt is not re-delivered (%lu delivered, %lu spurious)",
	      dev.irqs, dev.spurious);
	check(!ioapic_remote_irr(dev.pci.gsi), "remote IRR is clear after the EOI");

	for (unsigned i = 0; i < ROUNDS; i++) {
		uint32_t bits = 1u << (i % 8);

		edu_raise(&dev, bits);
		if (edu_wait_irqs(&dev, 2 + i, 2000) && dev.last_status == bits)
			ok_rounds++;
	}
	delay_ms(quiet);
	check(ok_rounds == ROUNDS && dev.irqs == 1 + ROUNDS && dev.spurious == 0,
	      "%u further raises give exactly %u interrupts (got %lu, %lu spurious)",
	      ROUNDS, ROUNDS, dev.irqs - 1, dev.spurious);
	irq_disable();
}
