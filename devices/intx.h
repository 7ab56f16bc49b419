/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The INTx line of an emulated PCI function (devices/testdev.c). Passed
 * functions do not use it: there the kernel (vfio-pci, or KVM's legacy
 * assignment) runs the same states for the real device, and
 * devices/INTX-MASKING.md holds the contract all three keep.
 *
 * INTx# is a level-sensitive signal (PCI 2.3 2.2.6): a function drives it
 * while it has an interrupt pending and COMMAND.INTX_DISABLE is clear
 * (6.2.2, 6.2.3). So does this model:
 *
 *   pending       the function wants service: STATUS.INTERRUPT
 *   guest_masked  the guest's COMMAND.INTX_DISABLE
 *   level         pending && !guest_masked, sent to the sink on each change
 *
 * The sink is the host bridge (pci_host__set_intx), which ORs the functions
 * sharing a GSI and sets the GSI with KVM_IRQ_LINE, as QEMU drives its own
 * emulated devices. Every change of the level comes from a guest access that
 * pcivmm handles on the accessing vCPU's thread before that vCPU runs on
 * (the raise and the acknowledge are MMIO, the mask a config write), so a
 * handler that acknowledges and then EOIs has lowered the line before its
 * EOI, and the IOAPIC, which re-delivers a level interrupt at EOI only while
 * the line is still high (remote IRR, 82093AA datasheet 3.2.4), sends nothing
 * more. No timer and no resamplefd: nothing depends on how soon a thread
 * runs. A guest that EOIs without acknowledging gets the interrupt again at
 * once, as from real hardware.
 */
#ifndef PCIVMM_INTX_H
#define PCIVMM_INTX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct intx_sink {
	/* Drives the function's INTx# (true: asserted). Called with x->lock held. */
	void (*set_level)(void *opaque, bool level);
	void *opaque;
};

struct intx {
	pthread_mutex_t lock; /* orders level changes from several vCPUs */
	bool pending;
	bool guest_masked;
	bool level;
	struct intx_sink sink;
};

void intx__init(struct intx *x, const struct intx_sink *sink);
void intx__exit(struct intx *x);

/* The function raised (true) or cleared (false) its interrupt condition. */
void intx__set_pending(struct intx *x, bool pending);
/* The guest wrote COMMAND.INTX_DISABLE. */
void intx__set_guest_mask(struct intx *x, bool masked);

/* Snapshots for config reads and tests. */
bool intx__pending(struct intx *x);
bool intx__level(struct intx *x);

#endif
