/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual machine as data: one KVM VM with a full in-kernel irqchip, its
 * RAM, the port and MMIO buses every device registers on, the vCPU threads
 * and the main thread's event loop. Passed to every module. The few
 * process-wide globals are the ones a signal handler or libpci's error
 * callback must reach: the console's saved terminal (console.c), the
 * reaper's socket (reaper.c), libpci's jump buffer (host_dev.c), and
 * log.c's -v switch.
 *
 * What the VM does is vm.h's; the data stands apart so that the parts vm.c
 * is built from (vcpu.c, vcpu_pause.c, vm_exit.c, coalesced_pio.c,
 * irq_routing.c) read it without depending on vm.c, which calls them.
 */
#ifndef PCIVMM_VM_TYPES_H
#define PCIVMM_VM_TYPES_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "eoi_probe.h"
#include "event_loop.h"
#include "guest_mem.h"
#include "sandbox.h"

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;
	bool thread_started;
	struct sandbox_thread sandbox; /* its seccomp class and fds (sandbox.h) */
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
	struct sandbox_thread main_sandbox; /* the main thread's, from vm__run on */

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
 * A machine that is only described, never run (--dump-dtb without
 * --kernel, vm__create_described): no VM file, so memslot and irqfd calls
 * succeed doing nothing.
 */
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

#endif
