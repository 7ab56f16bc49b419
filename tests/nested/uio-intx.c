// SPDX-License-Identifier: GPL-2.0
/*
 * uio-intx COUNT: runs in the Linux L2 with the passed-through edu bound to
 * uio_pci_generic. uio_pci_generic's handler checks STATUS.INTERRUPT and sets
 * COMMAND.INTX_DISABLE (pci_check_and_mask_intx) on every interrupt; we
 * raise through BAR0, wait on /dev/uio0, acknowledge, and re-enable INTx by
 * clearing INTX_DISABLE in the COMMAND high byte through sysfs config
 * (Linux 6.1's uio_pci_generic has no irqcontrol). Exact count or failure.
 * uio-intx --exit N: ends the VM through the debug-exit port (status 2N+1).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <unistd.h>

#define UIO "/sys/class/uio/uio0/device/"
#define EDU_STATUS 0x24
#define EDU_RAISE 0x60
#define EDU_ACK 0x64
#define COMMAND_HI 5            /* high byte of COMMAND */
#define COMMAND_HI_INTX_DISABLE 0x04 /* bit 10 */

static int fail(const char *what)
{
	printf("uio-intx: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long count, raised = 0, irqs = 0, missed = 0, spurious = 0;
	volatile uint32_t *bar;
	int uio, res, cfg;

	if (argc == 3 && !strcmp(argv[1], "--exit")) {
		if (ioperm(0xf4, 4, 1))
			return fail("ioperm");
		outl(atoi(argv[2]), 0xf4);
		return 1;
	}
	count = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	uio = open("/dev/uio0", O_RDWR);
	res = open(UIO "resource0", O_RDWR | O_SYNC);
	cfg = open(UIO "config", O_RDWR);
	if (uio < 0 || res < 0 || cfg < 0)
		return fail("opening /dev/uio0 and its sysfs files");
	bar = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, res, 0);
	if (bar == MAP_FAILED)
		return fail("mmap resource0");
	printf("uio-intx: edu id %08x, %lu raise/ack cycles\n", bar[0], count);

	for (; raised < count; raised++) {
		struct pollfd p = { .fd = uio, .events = POLLIN };
		uint32_t events, status;
		uint8_t hi;

		bar[EDU_RAISE / 4] = 1;
		if (poll(&p, 1, 5000) != 1 || read(uio, &events, 4) != 4) {
			missed++;
			break;
		}
		irqs++;
		status = bar[EDU_STATUS / 4];
		if (!status)
			spurious++;
		bar[EDU_ACK / 4] = status;
		if (pread(cfg, &hi, 1, COMMAND_HI) != 1)
			return fail("read COMMAND");
		hi &= ~COMMAND_HI_INTX_DISABLE;
		if (pwrite(cfg, &hi, 1, COMMAND_HI) != 1)
			return fail("write COMMAND");
	}
	/* Never leave the device asserting: after the VM, nobody would handle it. */
	bar[EDU_ACK / 4] = 0xffffffff;
	printf("uio-intx: %lu raised, %lu interrupts, %lu missed, %lu found the device idle\n",
	       raised, irqs, missed, spurious);
	return raised == count && irqs == count && !missed && !spurious ? 0 : 1;
}
