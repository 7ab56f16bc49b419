/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual machine (vm_types.h) and what it does: made and destroyed,
 * run, stopped, paused; memslots, interrupts and irqfds. Devices and the
 * layers above include this one header: it brings the vCPUs' (vcpu.h,
 * vcpu_boot.h), the pause's (vcpu_pause.h) and the exit requests and
 * events (vm_exit.h) along.
 */
#ifndef PCIVMM_VM_H
#define PCIVMM_VM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vcpu.h"
#include "vcpu_boot.h"
#include "vcpu_pause.h"
#include "vm_exit.h"
#include "vm_types.h"

/*
 * Opens /dev/kvm, creates the VM with KVM_CREATE_IRQCHIP and an in-kernel PIT,
 * RAM slots and nr_vcpus vCPUs. On failure prints one line and returns
 * negative errno; vm__destroy() cleans up a partial VM.
 */
int vm__create(struct vm *vm, uint64_t mem_size, unsigned nr_vcpus);
void vm__destroy(struct vm *vm);

/*
 * A machine that is only described, never run (--dump-dtb without
 * --kernel): RAM, buses and devices as vm__create() would make them, but no
 * /dev/kvm, no VM and no vCPUs. Memslot and irqfd calls succeed doing
 * nothing, so devices set up exactly as for a run.
 */
int vm__create_described(struct vm *vm, uint64_t mem_size);

/* Registers fn to run at exit, after the vCPUs stopped, in reverse order. */
void vm__add_teardown(struct vm *vm, vm_teardown_fn fn, void *opaque);
/* Runs fn(opaque) now and forgets it (a device unplugged while the VM runs); -ENOENT if unknown. */
int vm__run_teardown_now(struct vm *vm, vm_teardown_fn fn, void *opaque);

/*
 * Blocks SIGINT, SIGTERM, SIGHUP and SIGUSR1 in the calling thread (and so
 * in every thread and child it makes): called before setup, so that a
 * signal during setup waits for vm__run, which stops the VM with exit 10
 * and unwinds, instead of killing pcivmm half-way (143).
 */
void vm__hold_signals(void);
/*
 * Starts the vCPU threads, serves the event loop until an exit is requested,
 * stops the vCPUs, runs the teardowns and returns the exit status.
 */
int vm__run(struct vm *vm);

/* Exits to user space so far, over every vCPU (--stats, vm.counters). */
struct vm_exit_counts {
	uint64_t pio, mmio, other;
	uint64_t coalesced; /* 0xcf8 writes that needed no exit */
};
void vm__exit_counts(struct vm *vm, struct vm_exit_counts *c);

/*
 * Maps host memory (e.g. an mmapped BAR) at gpa as a KVM memslot so guest
 * accesses need no exit. Returns the slot number or negative errno.
 */
int vm__map_slot(struct vm *vm, uint64_t gpa, uint64_t size, void *hva);
/* The same with KVM_MEM_* flags: KVM_MEM_READONLY makes guest writes MMIO exits (a ROM). */
int vm__map_slot_flags(struct vm *vm, uint64_t gpa, uint64_t size, void *hva, uint32_t flags);
void vm__unmap_slot(struct vm *vm, int slot);
/*
 * For BAR map hooks: maps hva at gpa (map) or removes the mapping, keeping
 * the slot number in *slot (-1 when unmapped).
 */
int vm__set_slot_mapped(struct vm *vm, int *slot, uint64_t gpa, uint64_t size, void *hva,
			bool map);

/*
 * Sets the level of a GSI from user space (KVM_IRQ_LINE). All of user space
 * is one source to KVM: PCI functions sharing a GSI go through
 * pci_host__set_intx, which ORs them.
 */
int vm__irq_line(struct vm *vm, unsigned gsi, bool level);

/* Delivers an MSI (KVM_SIGNAL_MSI). */
int vm__signal_msi(struct vm *vm, uint64_t addr, uint32_t data);

/*
 * Binds trigger_fd to gsi as a level-triggered resampling irqfd: a write to
 * trigger_fd asserts the GSI, the guest's EOI deasserts it and signals
 * resample_fd (KVM_IRQFD with KVM_IRQFD_FLAG_RESAMPLE).
 */
int vm__add_resample_irqfd(struct vm *vm, unsigned gsi, int trigger_fd,
			   int resample_fd);
/* Binds trigger_fd to gsi as an edge irqfd (an MSI route: irq_routing.h). */
int vm__add_irqfd(struct vm *vm, unsigned gsi, int trigger_fd);
int vm__del_irqfd(struct vm *vm, unsigned gsi, int trigger_fd);

#endif
