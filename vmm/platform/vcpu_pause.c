// SPDX-License-Identifier: GPL-2.0
/*
 * Getting the vCPUs out of KVM_RUN: the kick, for a pause and for the stop
 * (vcpus__stop), and the pause itself (vm__pause, vm__resume). A paused
 * vCPU's thread waits outside KVM_RUN; KVM keeps its state, and the
 * in-kernel irqchip keeps latching what devices raise meanwhile (an IOAPIC
 * pin's level, the IRR of a LAPIC), so resuming delivers each pending
 * interrupt once, as after any other exit. Nothing else stops: the main
 * thread's event loop still serves signals, the console and the API.
 */
#include "vcpu_pause.h"
#include "thread.h"
#include "vm_types.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

void vm_pause__init(struct vm *vm)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&vm->pause.lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vm->pause.cond, &attr);
	pthread_condattr_destroy(&attr);
}

void vcpu__kick(struct vcpu *vcpu)
{
	if (!vcpu->thread_started)
		return;
	__atomic_store_n(&vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(vcpu->thread, VCPU_KICK_SIGNAL);
}

bool vcpu__park_if_paused(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	if (!atomic_load(&vm->pause.requested))
		return false;
	pthread_mutex_lock(&vm->pause.lock);
	vm->pause.parked++;
	pthread_cond_broadcast(&vm->pause.cond);
	while (atomic_load(&vm->pause.requested) && !atomic_load(&vm->exiting))
		pthread_cond_wait(&vm->pause.cond, &vm->pause.lock);
	vm->pause.parked--;
	pthread_mutex_unlock(&vm->pause.lock);
	return true;
}

void vm_pause__wake_all(struct vm *vm)
{
	pthread_mutex_lock(&vm->pause.lock);
	pthread_cond_broadcast(&vm->pause.cond);
	pthread_mutex_unlock(&vm->pause.lock);
}

static unsigned vm_started_vcpus(const struct vm *vm)
{
	unsigned n = 0;

	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		n += vm->vcpus[i].thread_started;
	return n;
}

/* Lets the vCPUs run again; pause.lock held. */
static void vm_pause_release(struct vm *vm)
{
	atomic_store(&vm->pause.requested, false);
	/*
	 * The kicks' immediate_exit would make every later KVM_RUN return
	 * at once. Cleared under the lock vcpus__stop sets it under, and only
	 * while no exit is requested, so a stop's own kick is never undone.
	 */
	if (!atomic_load(&vm->exiting))
		for (unsigned i = 0; i < vm->nr_vcpus; i++)
			if (vm->vcpus[i].run)
				__atomic_store_n(&vm->vcpus[i].run->immediate_exit, 0,
						 __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&vm->pause.cond);
}

void vm_pause__release_start(struct vm *vm)
{
	pthread_mutex_lock(&vm->pause.lock);
	vm_pause_release(vm);
	pthread_mutex_unlock(&vm->pause.lock);
}

int vm__pause(struct vm *vm, int timeout_ms)
{
	unsigned want = vm_started_vcpus(vm);
	struct timespec deadline;
	int ret = 0;

	if (atomic_load(&vm->pause.requested))
		return -EALREADY;
	deadline = thread__deadline(timeout_ms);
	pthread_mutex_lock(&vm->pause.lock);
	atomic_store(&vm->pause.requested, true);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vcpu__kick(&vm->vcpus[i]);
	while (vm->pause.parked < want && !atomic_load(&vm->exiting) && !ret)
		ret = -pthread_cond_timedwait(&vm->pause.cond, &vm->pause.lock, &deadline);
	if (vm->pause.parked < want) {
		/* A vCPU busy in a device access, or the VM is stopping: as before. */
		vm_pause_release(vm);
		ret = atomic_load(&vm->exiting) ? -ECANCELED : -ETIMEDOUT;
	} else {
		ret = 0;
	}
	pthread_mutex_unlock(&vm->pause.lock);
	return ret;
}

int vm__resume(struct vm *vm)
{
	pthread_mutex_lock(&vm->pause.lock);
	if (!atomic_load(&vm->pause.requested)) {
		pthread_mutex_unlock(&vm->pause.lock);
		return -EALREADY;
	}
	vm_pause_release(vm);
	pthread_mutex_unlock(&vm->pause.lock);
	return 0;
}

bool vm__paused(struct vm *vm)
{
	return atomic_load(&vm->pause.requested);
}
