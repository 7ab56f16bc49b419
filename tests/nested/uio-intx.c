// SPDX-License-Identifier: GPL-2.0
/*
 * uio-intx COUNT: runs in the Linux L2 with the passed-through edu bound to
 * uio_pci_generic. uio_pci_generic's handler checks STATUS.INTERRUPT and sets
 * COMMAND.INTX_DISABLE (pci_check_and_mask_intx) on every interrupt; we
 * raise through BAR0, wait on /dev/uio0, acknowledge, and re-enable INTx by
 * clearing INTX_DISABLE through sysfs config (Linux 6.1's uio_pci_generic
 * has no irqcontrol): "byte" as the kernel's UIO HOWTO does it (read and
 * write the COMMAND high byte at offset 5), "word" as pci_intx() does
 * (COMMAND as 16 bits at offset 4). Every other cycle masks INTx the same
 * way before it raises, checks that nothing arrives while masked, and
 * unmasks: the pending interrupt must arrive then, exactly once. Exact
 * count or failure.
 * uio-intx COUNT [byte|word [N [shared]]] drives /dev/uioN (default 0;
 * several instances drive several devices that share one guest interrupt
 * line). On a shared line an event while masked is no error: another
 * device's interrupt runs every handler on the line, and
 * uio_pci_generic's claims on STATUS.INTERRUPT alone
 * (pci_check_and_mask_intx does not look at INTX_DISABLE), so a masked
 * pending raise is reported early. Those are counted, not failed.
 * uio-intx --exit N ends the VM through the debug-exit port (status 2N+1).
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

#define EDU_STATUS 0x24
#define EDU_RAISE 0x60
#define EDU_ACK 0x64
#define COMMAND 4
#define COMMAND_INTX_DISABLE 0x0400 /* bit 10 */

/* Sets or clears COMMAND.INTX_DISABLE through sysfs config, by byte or by word. */
static int set_intx_disable(int cfg, int word, int disable)
{
	if (word) {
		uint16_t cmd;

		if (pread(cfg, &cmd, 2, COMMAND) != 2)
			return -1;
		cmd = disable ? cmd | COMMAND_INTX_DISABLE : cmd & ~COMMAND_INTX_DISABLE;
		return pwrite(cfg, &cmd, 2, COMMAND) == 2 ? 0 : -1;
	} else {
		uint8_t hi;

		if (pread(cfg, &hi, 1, COMMAND + 1) != 1)
			return -1;
		hi = disable ? hi | (COMMAND_INTX_DISABLE >> 8) : hi & ~(COMMAND_INTX_DISABLE >> 8);
		return pwrite(cfg, &hi, 1, COMMAND + 1) == 1 ? 0 : -1;
	}
}

static int uio_index;

static int fail(const char *what)
{
	printf("uio-intx: uio%d: %s: %s\n", uio_index, what, strerror(errno));
	return 1;
}

static int open_uio_file(const char *fmt, int flags)
{
	char path[96];

	snprintf(path, sizeof(path), fmt, uio_index);
	return open(path, flags);
}

int main(int argc, char **argv)
{
	unsigned long count, raised = 0, irqs = 0, missed = 0, spurious = 0, early = 0;
	volatile uint32_t *bar;
	int uio, res, cfg, word, shared;

	if (argc == 3 && !strcmp(argv[1], "--exit")) {
		/*
		 * The debug-exit port (pcivmm's 0xf4). iopl(3), which Linux
		 * (since 5.5) grants as an all-ports TSS I/O bitmap, as ioperm
		 * grants a range. An L2 under QEMU as the L2 VMM (bench) takes a
		 * #GP on this OUT with either, and under pcivmm with neither;
		 * not explained. That L2 goes on to l2-init's poweroff -f.
		 */
		if (iopl(3))
			return fail("iopl");
		outl(atoi(argv[2]), 0xf4);
		return 1;
	}
	count = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	word = argc > 2 && !strcmp(argv[2], "word");
	uio_index = argc > 3 ? atoi(argv[3]) : 0;
	shared = argc > 4 && !strcmp(argv[4], "shared");
	uio = open_uio_file("/dev/uio%d", O_RDWR);
	res = open_uio_file("/sys/class/uio/uio%d/device/resource0", O_RDWR | O_SYNC);
	cfg = open_uio_file("/sys/class/uio/uio%d/device/config", O_RDWR);
	if (uio < 0 || res < 0 || cfg < 0)
		return fail("opening the device and its sysfs files");
	bar = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, res, 0);
	if (bar == MAP_FAILED)
		return fail("mmap resource0");
	printf("uio-intx: uio%d: edu id %08x, %lu raise/ack cycles, INTx re-enabled by a %s write\n",
	       uio_index, bar[0], count, word ? "16-bit COMMAND (offset 4)" : "one-byte (offset 5)");
	/*
	 * Like a driver's probe: a raise left by the device's previous owner
	 * (a VM that ended without acknowledging) is acknowledged, and INTx
	 * re-enabled in case uio_pci_generic's handler masked it for that.
	 */
	bar[EDU_ACK / 4] = 0xffffffff;
	if (set_intx_disable(cfg, word, 0))
		return fail("enabling INTx in COMMAND");

	for (; raised < count; raised++) {
		struct pollfd p = { .fd = uio, .events = POLLIN };
		uint32_t events, status;

		int masked_raise = raised & 1;

		if (masked_raise && set_intx_disable(cfg, word, 1))
			return fail("masking INTx in COMMAND");
		bar[EDU_RAISE / 4] = 1;
		if (masked_raise) {
			/* Masked: nothing may arrive; then unmasking delivers it. */
			if (poll(&p, 1, 1) != 0)
				early++;
			if (set_intx_disable(cfg, word, 0))
				return fail("unmasking INTx in COMMAND");
		}
		if (poll(&p, 1, 5000) != 1 || read(uio, &events, 4) != 4) {
			missed++;
			break;
		}
		irqs++;
		status = bar[EDU_STATUS / 4];
		if (!status)
			spurious++;
		bar[EDU_ACK / 4] = status;
		/* uio_pci_generic's handler masked INTx: re-enable it. */
		if (set_intx_disable(cfg, word, 0))
			return fail("re-enabling INTx in COMMAND");
		/* A sign of life for the console watchdogs (l1-run's stall timer). */
		if ((raised + 1) % 1000 == 0) {
			printf("uio-intx: uio%d: %lu of %lu\n", uio_index, raised + 1, count);
			fflush(stdout);
		}
	}
	/* Never leave the device asserting: after the VM, nobody would handle it. */
	bar[EDU_ACK / 4] = 0xffffffff;
	printf("uio-intx: uio%d: %lu raised, %lu interrupts, %lu missed, %lu found the device idle, %lu arrived while masked\n",
	       uio_index, raised, irqs, missed, spurious, early);
	return raised == count && irqs == count && !missed && !spurious && (shared || !early) ? 0 : 1;
}
