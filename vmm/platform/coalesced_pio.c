// SPDX-License-Identifier: GPL-2.0
#include "coalesced_pio.h"
#include "vm_types.h"

#include <errno.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The ring page, inside every vCPU's kvm_run mapping at this page offset. */
static struct kvm_coalesced_mmio_ring *ring_of(struct vm *vm, unsigned *max)
{
	long page = sysconf(_SC_PAGESIZE);
	int off = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO);

	if (off <= 0 || !vm->nr_vcpus || !vm->vcpus[0].run ||
	    (size_t)(off + 1) * page > vm->vcpus[0].run_size)
		return NULL;
	/* KVM_COALESCED_MMIO_MAX, which the uapi header spells with PAGE_SIZE. */
	*max = (page - sizeof(struct kvm_coalesced_mmio_ring)) / sizeof(struct kvm_coalesced_mmio);
	return (struct kvm_coalesced_mmio_ring *)((char *)vm->vcpus[0].run + off * page);
}

int coalesced_pio__add(struct vm *vm, uint16_t port, unsigned len)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = port, .size = len, .pio = 1 };
	struct kvm_coalesced_mmio_ring *ring;
	unsigned max;

	if (vm__described_only(vm))
		return 0; /* no vCPU will ever exit */
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_PIO) <= 0)
		return -ENOTSUP;
	ring = ring_of(vm, &max);
	if (!ring)
		return -ENOTSUP;
	if (ioctl(vm->vm_fd, KVM_REGISTER_COALESCED_MMIO, &zone) < 0)
		return -errno;
	vm->coalesced.max = max;
	vm->coalesced.ring = ring;
	return 0;
}

bool coalesced_pio__active(const struct vm *vm)
{
	return vm->coalesced.ring != NULL;
}

void coalesced_pio__flush(struct vm *vm)
{
	struct kvm_coalesced_mmio_ring *ring = vm->coalesced.ring;

	/*
	 * Called on every exit: an empty ring costs no lock (re-checked under
	 * it). Empty because another thread replayed the last entry: acquiring
	 * its first makes that replay's effect (the CONFIG_ADDRESS latch,
	 * which takes no lock) visible before this exit is handled.
	 */
	if (!ring || __atomic_load_n(&ring->first, __ATOMIC_ACQUIRE) ==
			     __atomic_load_n(&ring->last, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&vm->coalesced.lock);
	/* KVM publishes last after it has written the entry. */
	while (ring->first != __atomic_load_n(&ring->last, __ATOMIC_ACQUIRE)) {
		uint32_t first = ring->first;
		struct kvm_coalesced_mmio e;

		if (first >= vm->coalesced.max)
			break; /* not KVM's ring any more: leave it */
		e = ring->coalesced_mmio[first];
		/* Only port writes of 1, 2 or 4 bytes were registered. */
		if (e.pio && (e.len == 1 || e.len == 2 || e.len == 4) && e.phys_addr <= 0xffff) {
			bus__access(&vm->pio, e.phys_addr, e.data, e.len, true);
			vm->coalesced.replayed++;
		}
		/* Consumed: KVM may reuse the slot. */
		__atomic_store_n(&ring->first, (first + 1) % vm->coalesced.max, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&vm->coalesced.lock);
}
