/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The INTx line of an emulated PCI function (devices/testdev.c), also the
 * discipline of the ACPI SCI's two sources (devices/acpi_pm.c). Passed
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
 *
 * INTX_PULSE, for a host whose KVM EOIs a level-triggered interrupt itself
 * as it injects the vector (eoi_probe.h; kvm_pvm): there a line still high
 * at that early EOI is delivered a second time, before the guest's handler
 * has run. So the line is never left high: each new assertion edge is a
 * pulse (the sink's level true, then false at once), and the IOAPIC sends
 * the vector once and finds the line low at the early EOI. The edges are
 * the ones a level line makes the IOAPIC deliver:
 *   - the condition appears while unmasked (intx__set_pending, false to true);
 *   - the guest unmasks with the condition pending;
 *   - the guest acknowledges part of the condition and some is left
 *     (intx__acknowledge): on a level line the IOAPIC re-delivers it at the
 *     EOI; here the acknowledge, which the guest's handler makes before its
 *     EOI, stands for that EOI.
 * More of the condition while it is already pending is no edge: the
 * handler of the interrupt on its way reads it, or acknowledges only part
 * and so makes the third edge. What a pulse cannot give is the re-delivery
 * after an EOI without any acknowledge: the real EOI is invisible to user
 * space on such a host, so that interrupt comes again only at the next
 * edge (devices/INTX-MASKING.md, "KVM hosts").
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

/* How the line is driven: as a level, or as a pulse per edge (above). */
enum intx_drive { INTX_LEVEL, INTX_PULSE };

struct intx {
	pthread_mutex_t lock; /* orders level changes from several vCPUs */
	enum intx_drive drive;
	bool pending;
	bool guest_masked;
	bool level; /* INTX_PULSE: false but during a pulse */
	struct intx_sink sink;
};

void intx__init(struct intx *x, const struct intx_sink *sink, enum intx_drive drive);
void intx__exit(struct intx *x);

/* The function raised (true) or cleared (false) its interrupt condition. */
void intx__set_pending(struct intx *x, bool pending);
/*
 * The guest acknowledged some of the condition (a write that cleared some
 * of what was pending); pending: whether some is still left. On a level
 * line the same as intx__set_pending(pending).
 */
void intx__acknowledge(struct intx *x, bool pending);
/* The guest wrote COMMAND.INTX_DISABLE. */
void intx__set_guest_mask(struct intx *x, bool masked);

/* Snapshots for config reads and tests. */
bool intx__pending(struct intx *x);
bool intx__level(struct intx *x);

#endif
