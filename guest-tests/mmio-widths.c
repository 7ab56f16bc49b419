// SPDX-License-Identifier: GPL-2.0
/*
 * mmio-widths: a guest that touches a device's MMIO the odd ways a CPU can.
 * An 8-byte access that crosses a page inside a trapped BAR reaches the VMM
 * as two pieces (KVM splits it per page: 3 + 5 bytes here, then 6 + 2);
 * 1- and 2-byte accesses hit registers that decode only 4 bytes; accesses
 * fall past the end of the BAR's page. The VMM must keep running (not stop
 * the VM for a width it does not expect), such accesses must read as all
 * ones and change nothing, and the device must work normally afterwards.
 */
#include "guest.h"

const char test_name[] = "mmio-widths";

#define EDU_LIVENESS 0x04

static uint64_t read64(uint64_t a) { return *(volatile uint64_t *)a; }
static void write64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

void test_main(void)
{
	struct edu dev;
	uint64_t v;

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	mmio_write32(dev.bar0 + EDU_LIVENESS, 0x12345678);
	v = read64(dev.bar0 + 0xffd);         /* 3 bytes in page 0, 5 in page 1 */
	check(v == ~0ULL, "a page-crossing 8-byte read (3 + 5) of undecoded bytes reads all ones (0x%lx)", v);
	write64(dev.bar0 + 0x1ffa, ~0ULL);      /* 6 + 2 */
	check(mmio_read32(dev.bar0) == 0x010000ed,
	      "after a page-crossing 8-byte write (6 + 2) the device still identifies itself");
	check(mmio_read8(dev.bar0) == 0xff && mmio_read16(dev.bar0 + 2) == 0xffff,
	      "1- and 2-byte reads of 4-byte registers read as all ones");
	mmio_write8(dev.bar0 + EDU_LIVENESS, 0);
	mmio_write16(dev.bar0 + EDU_LIVENESS, 0);
	check(mmio_read32(dev.bar0 + EDU_LIVENESS) == ~0x12345678u,
	      "1- and 2-byte writes change nothing (liveness 0x%x)", mmio_read32(dev.bar0 + EDU_LIVENESS));
	/* And the device still interrupts normally. */
	edu_setup_irq(&dev, 0x45, edu_handler_ack, &dev);
	irq_enable();
	edu_raise(&dev, 1);
	check(edu_wait_irqs(&dev, 1, 2000) && dev.spurious == 0,
	      "a raise afterwards is one interrupt (%lu, %lu spurious)", dev.irqs, dev.spurious);
	irq_disable();
}
