// SPDX-License-Identifier: GPL-2.0
/*
 * api-pause: the guest half of the kvm suite's API test (tests/kvm/api.sh).
 * It starts an edu factorial with its completion interrupt, says so, and
 * expects that interrupt exactly once. The device finishes a factorial a
 * few seconds later (TESTDEV_FACTORIAL_MS) on pcivmm's main thread, and the test
 * pauses the VM through the API meanwhile: the interrupt is raised while
 * every vCPU is stopped, and must arrive once, after vm.resume.
 */
#include "guest.h"

const char test_name[] = "api-pause";

#define VECTOR 0x41
#define EDU_REG_FACTORIAL 0x08
#define EDU_REG_STATUS 0x20
#define EDU_STATUS_IRQ_FACT 0x80

static struct edu dev;

void test_main(void)
{
	unsigned wait_ms = cmdline_u64("wait_ms", 20000);

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	edu_setup_irq(&dev, VECTOR, edu_handler_ack, &dev);
	irq_enable();
	mmio_write32(dev.bar0 + EDU_REG_STATUS, EDU_STATUS_IRQ_FACT);
	mmio_write32(dev.bar0 + EDU_REG_FACTORIAL, 5);
	printf("# api-pause: factorial started, its interrupt comes in a few seconds\n");
	check(edu_wait_irqs(&dev, 1, wait_ms), "the factorial's completion interrupt arrives");
	check(dev.last_status == 1, "its interrupt status is 0x1 (got 0x%x)", dev.last_status);
	check(mmio_read32(dev.bar0 + EDU_REG_FACTORIAL) == 120, "5! reads 120 (got %u)",
	      mmio_read32(dev.bar0 + EDU_REG_FACTORIAL));
	delay_ms(200);
	check(dev.irqs == 1 && dev.spurious == 0,
	      "it was delivered exactly once (%lu delivered, %lu spurious)", dev.irqs, dev.spurious);
	irq_disable();
}
