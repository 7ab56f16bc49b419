// SPDX-License-Identifier: GPL-2.0
/*
 * intx-mask: PCI 2.3 INTx masking as a guest driver uses it.
 *  - INTX_DISABLE set, raise: no interrupt for a bounded wait, and
 *    STATUS.INTERRUPT reads 1 live from config space;
 *  - clearing INTX_DISABLE delivers exactly one interrupt;
 *  - a handler that masks instead of acknowledging (uio_pci_generic's way)
 *    gets no re-delivery after its EOI; unmasking with the interrupt still
 *    pending delivers exactly one more;
 *  - acknowledging while masked, then unmasking: no interrupt.
 */
#include "guest.h"

const char test_name[] = "intx-mask";

#define VECTOR 0x41
/* Far more interrupts than the test raises: the mask is not working. */
#define STORM_LIMIT 1000

enum handler_mode { HANDLER_ACKS, HANDLER_MASKS };

static struct edu dev;
static volatile enum handler_mode mode = HANDLER_ACKS;

static void handler(void *arg)
{
	struct edu *e = arg;
	uint32_t st;

	if (!edu_irq_claim(e, &st))
		return;
	if (e->irqs > STORM_LIMIT) {
		/* An interrupt storm would starve the test; stop it and let the checks fail. */
		ioapic_mask(e->pci.gsi, true);
		return;
	}
	if (mode == HANDLER_ACKS)
		edu_ack(e, st);
	else
		edu_set_intx_disable(e, true);
	e->irqs++;
}

static bool settle_and_count(unsigned quiet_ms, uint64_t want)
{
	delay_ms(quiet_ms);
	return dev.irqs == want && dev.spurious == 0;
}

void test_main(void)
{
	unsigned quiet = cmdline_u64("quiet_ms", 100);

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	edu_setup_irq(&dev, VECTOR, handler, &dev);
	irq_enable();

	/* 1. Masked before the raise. */
	edu_set_intx_disable(&dev, true);
	check(pci_cfg_read(&dev.pci, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE,
	      "COMMAND.INTX_DISABLE reads back as set");
	edu_raise(&dev, 0x1);
	check(settle_and_count(quiet, 0),
	      "INTX_DISABLE set: a raise delivers no interrupt within %u ms (got %lu)", quiet, dev.irqs);
	check(edu_status_interrupt(&dev), "STATUS.INTERRUPT reads 1 while masked and pending");
	check(edu_status(&dev) == 0x1, "the device still holds the raised status (0x%x)", edu_status(&dev));

	/* 2. Unmask: the pending interrupt arrives, once. */
	edu_set_intx_disable(&dev, false);
	check(wait_count(&dev.irqs, 1, 2000), "clearing INTX_DISABLE delivers the pending interrupt");
	check(settle_and_count(quiet, 1), "... exactly one (%lu delivered, %lu spurious)",
	      dev.irqs, dev.spurious);
	check(!edu_status_interrupt(&dev), "STATUS.INTERRUPT reads 0 after the handler acknowledged");

	/* 3. The handler masks and EOIs without acknowledging: the line is quiet. */
	mode = HANDLER_MASKS;
	edu_raise(&dev, 0x2);
	check(wait_count(&dev.irqs, 2, 2000), "a raise while unmasked is delivered");
	check(settle_and_count(quiet, 2),
	      "a handler that masks with INTX_DISABLE and EOIs gets no re-delivery (%lu, %lu spurious)",
	      dev.irqs, dev.spurious);
	check(edu_status_interrupt(&dev), "STATUS.INTERRUPT reads 1: still pending, masked in the handler");

	/* 4. Re-enable with the interrupt still pending: exactly one more. */
	mode = HANDLER_ACKS;
	edu_set_intx_disable(&dev, false);
	check(wait_count(&dev.irqs, 3, 2000), "unmasking a still-pending interrupt delivers it");
	check(settle_and_count(quiet, 3), "... exactly once (%lu delivered, %lu spurious)",
	      dev.irqs, dev.spurious);

	/* 5. Acknowledged while masked: unmasking delivers nothing. */
	edu_set_intx_disable(&dev, true);
	edu_raise(&dev, 0x4);
	check(edu_status_interrupt(&dev), "STATUS.INTERRUPT reads 1 for a raise while masked");
	edu_ack(&dev, 0x4);
	check(!edu_status_interrupt(&dev), "acknowledging while masked clears STATUS.INTERRUPT");
	edu_set_intx_disable(&dev, false);
	check(settle_and_count(quiet, 3), "unmasking after the acknowledge delivers no interrupt (%lu)",
	      dev.irqs);
	irq_disable();
	/*
	 * Leave the device quiet whatever happened above: a passed-through
	 * device still asserting when the VM ends would assert on the host
	 * line with no handler once VFIO restores its config space.
	 */
	edu_ack(&dev, 0xffffffff);
	edu_set_intx_disable(&dev, false);
}
