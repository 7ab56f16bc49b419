/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The INTx state machine of an emulated PCI function (devices/testdev.c).
 * Passed-through functions do not use it: there the kernel (vfio-pci, or
 * KVM's legacy assignment) runs the same states for the real device, and
 * devices/INTX-MASKING.md holds the contract all three keep.
 *
 * The guest line is driven like vfio-pci drives it through KVM: a "trigger"
 * asserts the GSI through a resampling irqfd and KVM keeps it asserted until
 * the guest's EOI, which deasserts it and notifies us (resample). No VMM exit
 * per interrupt, and several functions can share one GSI: each one decides
 * for itself whether it needs the line again.
 *
 *   pending       the function wants service: STATUS.INTERRUPT (PCI 2.3 6.2.3)
 *   guest_masked  the guest's COMMAND.INTX_DISABLE (PCI 2.3 6.2.2)
 *   in_flight     triggered, the guest has not EOI'd yet
 *
 * A trigger is issued, setting in_flight, when pending && !guest_masked &&
 * !in_flight becomes true through a rising edge of pending, an unmask, or a
 * retry. An EOI that finds the function still pending and unmasked (the
 * guest EOI'd without servicing it) schedules a retry a few milliseconds
 * later instead of re-triggering at once: some KVM hosts (verified on the
 * PVM-style /dev/kvm these tests run on) signal the EOI when the interrupt is
 * injected, before the handler has run, and an immediate re-trigger would
 * deliver every interrupt twice. A real level re-delivery for a guest that
 * EOIs without servicing is thereby delayed by INTX_RETRY_MS, the same kind
 * of back-off KVM's IOAPIC applies to interrupt storms.
 */
#ifndef PCIVMM_INTX_H
#define PCIVMM_INTX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define INTX_RETRY_MS 2

struct intx_sink {
	/* Asserts the guest GSI until its next EOI (e.g. writes the irqfd). */
	void (*trigger)(void *opaque);
	/* Calls intx__retry() in INTX_RETRY_MS (e.g. arms a timerfd). */
	void (*schedule_retry)(void *opaque);
	void *opaque;
};

struct intx {
	pthread_mutex_t lock;
	bool pending;
	bool guest_masked;
	bool in_flight;
	uint64_t triggers; /* statistics: interrupts delivered to the guest */
	struct intx_sink sink;
};

void intx__init(struct intx *x, const struct intx_sink *sink);
void intx__exit(struct intx *x);

/* The function raised (true) or cleared (false) its interrupt condition. */
void intx__set_pending(struct intx *x, bool pending);
/* The guest wrote COMMAND.INTX_DISABLE. */
void intx__set_guest_mask(struct intx *x, bool masked);
/* The guest EOI'd the GSI (the resamplefd fired). */
void intx__eoi(struct intx *x);
/* The retry scheduled by an EOI is due. */
void intx__retry(struct intx *x);

/* Snapshots for config reads and reports. */
bool intx__pending(struct intx *x);
bool intx__in_flight(struct intx *x);
uint64_t intx__triggers(struct intx *x);

#endif
