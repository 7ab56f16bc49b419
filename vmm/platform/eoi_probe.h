/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When does this host's KVM end a level-triggered IOAPIC interrupt: at the
 * guest's EOI, as the 82093AA and the SDM say, or already as it injects the
 * vector (kvm_pvm does: devices/INTX-MASKING.md, "KVM hosts")?
 *
 * The probe asks KVM itself, in a scratch VM of its own: an in-kernel
 * irqchip, one IOAPIC pin programmed level-triggered and unmasked
 * (KVM_SET_IRQCHIP), the pin pulsed (KVM_IRQ_LINE 1 then 0: the IOAPIC sends
 * the vector and sets the pin's remote IRR), then one short KVM_RUN of a
 * long-mode vCPU whose handler reports by port I/O and never writes the
 * LAPIC's EOI. Remote IRR still set after the handler ran: the IOAPIC waits
 * for the guest's EOI (conforming). Clear: KVM took the EOI itself as it
 * injected the vector. With the line low at that early EOI nothing is sent
 * again, so the answer is one run, a few ioctls. Nothing is kept across
 * runs of pcivmm: a host whose KVM module changes is probed afresh. When
 * the probe cannot tell (an ioctl failed, the interrupt never came), the
 * kvm_pvm module's presence decides.
 */
#ifndef PCIVMM_EOI_PROBE_H
#define PCIVMM_EOI_PROBE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

enum kvm_eoi {
	KVM_EOI_UNKNOWN,      /* the probe could not tell (detail says why) */
	KVM_EOI_AT_GUEST_EOI, /* as the IOAPIC specifies */
	KVM_EOI_AT_INJECTION, /* early: a line still high at injection is delivered again */
};

struct eoi_probe {
	enum kvm_eoi eoi;
	bool in_service;  /* the vector was in the LAPIC's ISR after the handler ran */
	long elapsed_us;  /* from KVM_CREATE_VM to the verdict */
	char detail[160]; /* why, in words (UNKNOWN: what failed) */
	struct {
		int vm_fd, vcpu_fd;
		void *mem, *run;
		size_t run_size;
		pthread_t destroyer;
		bool destroying;
	} scratch; /* the scratch VM, until its destruction is done */
};

/*
 * Runs the probe on an open /dev/kvm; fills *p. Never fails: UNKNOWN says
 * why. The scratch VM is destroyed on a thread of its own: p must stay
 * where it is until eoi_probe__finish(p).
 */
void eoi_probe__run(int kvm_fd, struct eoi_probe *p);
/* Waits until the scratch VM is gone. Idempotent; harmless on a zeroed *p. */
void eoi_probe__finish(struct eoi_probe *p);

/* One phrase for logs and pcivmm check: what this host's KVM does at EOI. */
const char *eoi_probe__verdict(const struct eoi_probe *p);

#endif
