/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest RAM mapped for a VFIO container's DMA in the background, private to
 * devices/passthrough/. VFIO_IOMMU_MAP_DMA pins every page of guest RAM
 * (faulting in and zeroing what the guest has not touched): for a 256 MiB
 * guest in the nested TCG L1 that was 0.65 s of the 0.77 s before the first
 * guest instruction. Nothing needs the mapping until the device masters the
 * bus: a PCI function may not initiate memory transactions (DMA, and MSI,
 * which is a memory write) while COMMAND.BUS_MASTER is clear (PCI Local Bus
 * 3.0, 6.2.2). So the guest starts at once, and whoever is about to let
 * the device master the bus waits for the mapping first. The guest's own
 * page faults and the pinning meet on the same pages; the pinned page is
 * the one KVM maps.
 */
#ifndef PCIVMM_VFIO_DMA_H
#define PCIVMM_VFIO_DMA_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct vm;

struct vfio_dma {
	struct vm *vm;
	int container_fd;
	char who[16]; /* the device whose group made the container, for messages */
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	int err; /* 0 or the negative errno of the failed map, once done */
	atomic_bool stop; /* the VM is ending: map no further piece */
};

/*
 * Checks synchronously what can be checked (RLIMIT_MEMLOCK against the guest
 * RAM: the one failure users hit) and starts mapping every guest RAM region
 * at its guest-physical address. 0, or -errno with one line printed naming
 * who and the fix. A map that fails later prints that line and ends the VM
 * (exit status EXIT_HOST).
 */
int vfio_dma__start(struct vfio_dma *d, int container_fd, struct vm *vm, const char *who);

/* How often a wait looks whether the VM is exiting (ms). */
#define VFIO_DMA_EXIT_CHECK_MS 10

/*
 * Blocks until the mapping is complete: 0, or its -errno; -ECANCELED,
 * within VFIO_DMA_EXIT_CHECK_MS, once the VM is exiting (vm->exiting) with
 * the mapping still under way.
 */
int vfio_dma__wait(struct vfio_dma *d);

/* Ends a started mapping after the piece in progress (before the container is closed). */
void vfio_dma__stop(struct vfio_dma *d);

/*
 * Drops every DMA mapping of the container (VFIO_DMA_UNMAP_FLAG_ALL): before
 * a device's last close, whose release would otherwise unpin the whole
 * guest only after it has restored the device's config, INTx enabled.
 * 0 or negative errno.
 */
int vfio_dma__unmap_all(int container_fd);

#endif
