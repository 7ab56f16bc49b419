/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual machine: one KVM VM with a full in-kernel irqchip, its RAM, the
 * port and MMIO buses every device registers on, the vCPU threads and the
 * main thread's event loop. Passed to every module. The few process-wide
 * globals are the ones a signal handler or libpci's error callback must
 * reach: the console's saved terminal (console.c), the reaper's socket
 * (reaper.c), libpci's jump buffer (host_dev.c), and log.c's -v switch.
 */
#ifndef PCIVMM_VM_H
#define PCIVMM_VM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bus.h"
#include "eoi_probe.h"
#include "event_loop.h"
#include "guest_mem.h"

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;
	bool thread_started;
	/* Exits to user space, for --stats (vmm/app/stats.c); written by the vCPU's thread. */
	_Atomic uint64_t exits_pio, exits_mmio, exits_other;
};

typedef void (*vm_teardown_fn)(struct vm *vm, void *opaque);

#define VM_MAX_TEARDOWNS 64

struct vm {
	int kvm_fd, vm_fd;
	struct guest_mem mem;
	struct bus pio, mmio;
	struct event_loop loop;
	struct vcpu *vcpus;
	unsigned nr_vcpus;
	struct pci_host *pci;
	struct irq_routing *routing; /* MSI routes (irq_routing.h), made on first use */
	pthread_mutex_t slots_lock;
	uint64_t slots_used; /* KVM memslots: 0 and 1 are RAM */

	struct {
		struct kvm_coalesced_mmio_ring *ring; /* NULL: nothing coalesced */
		unsigned max;
		pthread_mutex_t lock;
		_Atomic uint64_t replayed; /* writes that needed no exit */
	} coalesced; /* coalesced_pio.h */
	/*
	 * The application's report (main.c: --stats, stats.h), printed at the
	 * end of vm__run and on SIGUSR1, to the log (log.h); NULL: none. A
	 * hook, so that the VM layer never calls up into the application.
	 */
	void (*report)(struct vm *vm);

	/*
	 * vm__pause/vm__resume: a requested pause parks every vCPU thread
	 * outside KVM_RUN (vcpu.c); parked counts them. The lock also orders
	 * the kicks' immediate_exit against vcpus__stop's.
	 */
	struct {
		pthread_mutex_t lock;
		pthread_cond_t cond;
		atomic_bool requested;
		unsigned parked;
	} pause;
	/* The event monitor (--event-monitor, event_monitor.h); NULL: none. */
	struct event_monitor *events;
	/*
	 * What the host's KVM does at a level-triggered EOI, probed by
	 * vm__create (eoi_probe.h); UNKNOWN for a machine only described.
	 */
	struct eoi_probe eoi;

	atomic_bool exiting;
	int exit_status;
	const char *exit_reason; /* a string literal, set with exit_status */
	int exit_efd;
	pthread_mutex_t exit_lock;

	struct {
		vm_teardown_fn fn;
		void *opaque;
	} teardowns[VM_MAX_TEARDOWNS];
	unsigned nr_teardowns;
};

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

/*
 * True when this host's KVM runs 64-bit guests only: kvm_pvm (a
 * paravirtual KVM seen on this project's machines, no vmx or svm) runs a
 * guest entered in long mode, but a guest's own 32-to-64-bit switch
 * triple-faults there (DESIGN.md, verified 2026-11-25).
 */
bool vm__long_mode_only(void);
static inline bool vm__described_only(const struct vm *vm)
{
	return vm->vm_fd < 0;
}

/*
 * True when the host's KVM EOIs a level-triggered interrupt as it injects
 * it (eoi_probe.h): emulated INTx then goes out as pulses (devices/intx.h).
 */
static inline bool vm__eoi_at_injection(const struct vm *vm)
{
	return vm->eoi.eoi == KVM_EOI_AT_INJECTION;
}

/* Registers fn to run at exit, after the vCPUs stopped, in reverse order. */
void vm__add_teardown(struct vm *vm, vm_teardown_fn fn, void *opaque);
/* Runs fn(opaque) now and forgets it (a device unplugged while the VM runs); -ENOENT if unknown. */
int vm__run_teardown_now(struct vm *vm, vm_teardown_fn fn, void *opaque);

/*
 * Starts the vCPU threads, serves the event loop until an exit is requested,
 * stops the vCPUs, runs the teardowns and returns the exit status.
 */
/*
 * Blocks SIGINT, SIGTERM, SIGHUP and SIGUSR1 in the calling thread (and so
 * in every thread and child it makes): called before setup, so that a
 * signal during setup waits for vm__run, which stops the VM with exit 10
 * and unwinds, instead of killing pcivmm half-way (143).
 */
void vm__hold_signals(void);
int vm__run(struct vm *vm);

/* Exits to user space so far, over every vCPU (--stats, vm.counters). */
struct vm_exit_counts {
	uint64_t pio, mmio, other;
	uint64_t coalesced; /* 0xcf8 writes that needed no exit */
};
void vm__exit_counts(struct vm *vm, struct vm_exit_counts *c);

/*
 * Asks the VM to stop with this status; the first request wins. Thread-safe.
 * reason names it in the "exit" event ("guest-power-off", "signal",
 * "api-shutdown"...); vm__request_exit derives one from the status.
 */
void vm__request_exit(struct vm *vm, int status);
void vm__request_exit_for(struct vm *vm, int status, const char *reason);

/*
 * Pause: every vCPU leaves KVM_RUN and waits; the main thread, the event
 * loop and the devices' irqfds go on, so an interrupt raised meanwhile is
 * latched by KVM's irqchip and delivered once the vCPUs run again. Waits
 * up to timeout_ms for the vCPUs to park; -ETIMEDOUT (the VM runs on as
 * before) if one does not, -EALREADY when already paused. Main thread only.
 */
int vm__pause(struct vm *vm, int timeout_ms);
/* -EALREADY when not paused. Main thread only. */
int vm__resume(struct vm *vm);
bool vm__paused(struct vm *vm);

/*
 * An event for the event monitor (event_monitor.h), if there is one:
 * name and its properties (a jansson object, taken over; NULL for none).
 * Thread-safe.
 */
struct json_t;
void vm__event(struct vm *vm, const char *name, struct json_t *properties);

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

/*
 * The boot vCPU's entry: long mode on the identity page tables with flat
 * 64-bit segments; or, with protected32, the PVH ABI's 32-bit protected mode
 * (flat 4 GiB segments, paging off, CR4 0).
 */
struct boot_regs {
	uint64_t rip, rsp, rsi, rbx;
	bool protected32;
};
int vcpu__set_boot_regs(struct vcpu *vcpu, const struct boot_regs *regs);

/* Prints the vCPU's registers to the log (crash reports). */
void vcpu__dump(struct vcpu *vcpu);

#endif
