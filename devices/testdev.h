/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An emulated device compatible with QEMU's "edu" (1234:11e8) for the parts
 * the INTx tests use. BAR0 is 1 MiB of MMIO:
 *   0x00 RO  identification 0x010000ed
 *   0x04 RW  liveness check: reads back the bitwise inverse of what was written
 *   0x08 RW  factorial: a write of n starts computing n! (modulo 2^32), read
 *            back once done; it takes TESTDEV_FACTORIAL_MS, done by the main
 *            thread, so it finishes while the vCPUs are paused too
 *   0x20 RW  status: bit 0 computing (read-only), bit 7 raise interrupt 0x1
 *            when the factorial is done
 *   0x24 RO  interrupt status
 *   0x60 WO  raise: status |= value, asserting the interrupt
 *   0x64 WO  acknowledge: status &= ~value
 * Only 4-byte accesses are decoded (as edu does). Its INTx obeys PCI 2.3:
 * COMMAND.INTX_DISABLE keeps the line quiet while STATUS.INTERRUPT keeps
 * showing the pending condition, live. With MSI enabled, raise sends an MSI.
 *
 * For proving that the guest tests can fail, a fault can be injected:
 *   ignore-intx-disable  COMMAND.INTX_DISABLE is not honoured
 *   stale-status         STATUS.INTERRUPT is a copy refreshed only on
 *                        COMMAND writes (what kvmtool's passthrough does)
 */
#ifndef PCIVMM_TESTDEV_H
#define PCIVMM_TESTDEV_H

#include <stdbool.h>
#include <stdio.h>

/*
 * How long a factorial takes: long enough for a test to pause the VM
 * meanwhile, curl's start under the nested L1's TCG and a loaded host
 * included (1 s was not, once: tests/kvm/api.sh pause-irq).
 */
#define TESTDEV_FACTORIAL_MS 3000

struct vm;
struct pci_host;
struct pci_device;

enum testdev_fault {
	TESTDEV_FAULT_NONE,
	TESTDEV_FAULT_IGNORE_INTX_DISABLE,
	TESTDEV_FAULT_STALE_STATUS,
};

/* --testdev[=SLOT][,fault=NAME] (testdev_options.c) */
struct testdev_opts {
	int slot; /* -1: first free slot */
	enum testdev_fault fault;
};

/* Parses the option's value (NULL: none); else one line to err and false. */
bool testdev__parse_option(const char *arg, struct testdev_opts *td, FILE *err);

/*
 * Creates a test device in slot (or the first free one when slot < 0) and
 * wires its INTx to a resampling irqfd. Prints one line on failure.
 */
int testdev__create(struct vm *vm, struct pci_host *host, int slot,
		    enum testdev_fault fault, struct pci_device **out);
/* Takes it off the bus and frees it, its INTx released; the vCPUs must be paused. */
void testdev__unplug(struct vm *vm, struct pci_device *pci);

#endif
