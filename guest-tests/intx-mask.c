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
 * The whole sequence runs once per config access shape a driver uses
 * (word at 4, byte at 5, dword at 4 with STATUS written back as read;
 * STATUS read at the same width) and per config mechanism (ECAM when the
 * machine describes it, and CF8/CFC). shape=N runs only shape N.
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

/* Steps 1-5 above with the current access shape; the device starts idle and unmasked. */
static void mask_sequence(unsigned quiet, const char *how)
{
	dev.irqs = dev.spurious = 0;
	mode = HANDLER_ACKS;

	/* 1. Masked before the raise. */
	edu_set_intx_disable(&dev, true);
	check(pci_cfg_read(&dev.pci, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE,
	      "%s: COMMAND.INTX_DISABLE reads back as set", how);
	check(pci_cfg_read(&dev.pci, PCI_COMMAND + 1, 1) & (PCI_COMMAND_INTX_DISABLE >> 8),
	      "%s: ... also as a byte at 5", how);
	edu_raise(&dev, 0x1);
	check(settle_and_count(quiet, 0),
	      "%s: INTX_DISABLE set: a raise delivers no interrupt within %u ms (got %lu)", how,
	      quiet, dev.irqs);
	check(edu_status_interrupt(&dev), "%s: STATUS.INTERRUPT reads 1 while masked and pending", how);
	check(pci_cfg_read(&dev.pci, PCI_STATUS + 1, 1) == pci_cfg_read(&dev.pci, PCI_STATUS, 2) >> 8,
	      "%s: STATUS's byte at 7 is its word's high byte", how);
	check(edu_status(&dev) == 0x1, "%s: the device still holds the raised status (0x%x)", how,
	      edu_status(&dev));

	/* 2. Unmask: the pending interrupt arrives, once. */
	edu_set_intx_disable(&dev, false);
	check(edu_wait_irqs(&dev, 1, 2000), "%s: clearing INTX_DISABLE delivers the pending interrupt",
	      how);
	check(settle_and_count(quiet, 1), "%s: ... exactly one (%lu delivered, %lu spurious)", how,
	      dev.irqs, dev.spurious);
	check(!edu_status_interrupt(&dev), "%s: STATUS.INTERRUPT reads 0 after the handler acknowledged",
	      how);

	/* 3. The handler masks and EOIs without acknowledging: the line is quiet. */
	mode = HANDLER_MASKS;
	edu_raise(&dev, 0x2);
	check(edu_wait_irqs(&dev, 2, 2000), "%s: a raise while unmasked is delivered", how);
	check(settle_and_count(quiet, 2),
	      "%s: a handler that masks with INTX_DISABLE and EOIs gets no re-delivery (%lu, %lu spurious)",
	      how, dev.irqs, dev.spurious);
	check(edu_status_interrupt(&dev), "%s: STATUS.INTERRUPT reads 1: still pending, masked in the handler",
	      how);

	/* 4. Re-enable with the interrupt still pending: exactly one more. */
	mode = HANDLER_ACKS;
	edu_set_intx_disable(&dev, false);
	check(edu_wait_irqs(&dev, 3, 2000), "%s: unmasking a still-pending interrupt delivers it", how);
	check(settle_and_count(quiet, 3), "%s: ... exactly once (%lu delivered, %lu spurious)", how,
	      dev.irqs, dev.spurious);

	/* 5. Acknowledged while masked: unmasking delivers nothing. */
	edu_set_intx_disable(&dev, true);
	edu_raise(&dev, 0x4);
	check(edu_status_interrupt(&dev), "%s: STATUS.INTERRUPT reads 1 for a raise while masked", how);
	edu_ack(&dev, 0x4);
	check(!edu_status_interrupt(&dev), "%s: acknowledging while masked clears STATUS.INTERRUPT", how);
	edu_set_intx_disable(&dev, false);
	check(settle_and_count(quiet, 3), "%s: unmasking after the acknowledge delivers no interrupt (%lu)",
	      how, dev.irqs);

	/* Whatever happened, the next pass starts from an idle, unmasked device. */
	edu_ack(&dev, 0xffffffff);
	edu_cfg_shape = CFG_WORD_AT_4;
	edu_set_intx_disable(&dev, false);
	delay_ms(quiet / 4);
}

void test_main(void)
{
	unsigned quiet = cmdline_u64("quiet_ms", 100);
	uint64_t only = cmdline_u64("shape", CFG_SHAPES);
	bool has_ecam = pci_ecam_base != 0;
	char how[48];

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	edu_setup_irq(&dev, VECTOR, handler, &dev);
	irq_enable();
	for (int path = has_ecam ? 0 : 1; path < 2; path++) {
		pci_use_cf8 = path == 1;
		for (enum cfg_shape sh = 0; sh < CFG_SHAPES; sh++) {
			if (only < CFG_SHAPES && sh != only)
				continue;
			snprintf(how, sizeof(how), "%s via %s", cfg_shape_name(sh),
				 pci_use_cf8 ? "CF8/CFC" : "ECAM");
			edu_cfg_shape = sh;
			mask_sequence(quiet, how);
		}
	}
	irq_disable();
	/*
	 * Leave the device quiet whatever happened above (pcivmm also masks a
	 * passed device that still asserts when the VM ends).
	 */
	edu_ack(&dev, 0xffffffff);
	edu_set_intx_disable(&dev, false);
}
