// SPDX-License-Identifier: GPL-2.0
#include "vfio_dma.h"
#include "memlock.h"
#include "exit_codes.h"
#include "log.h"
#include "parse_num.h"
#include "sandbox.h"
#include "thread.h"
#include "vm.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <linux/vfio.h>
#include <string.h>
#include <sys/ioctl.h>

/*
 * Mapped in pieces, so that a VM that ends before the mapping is complete
 * (a short guest, a failed setup) waits for one piece, not for all of guest
 * RAM to be pinned, and unmaps only what was pinned. 8 MiB took ~20 ms to
 * pin in the nested L1 (32 MiB pieces doubled a 100 ms guest's teardown);
 * a 4 GiB guest is 512 mappings (VFIO allows 65535: dma_entry_limit).
 */
#define DMA_MAP_PIECE (8ULL << 20)

static int map_guest_ram(struct vfio_dma *d)
{
	const struct guest_mem *mem = &d->vm->mem;

	for (unsigned i = 0; i < mem->nr_regions; i++) {
		const struct guest_mem_region *r = &mem->regions[i];

		for (uint64_t off = 0; off < r->size; off += DMA_MAP_PIECE) {
			struct vfio_iommu_type1_dma_map map = {
				.argsz = sizeof(map),
				.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
				.vaddr = (uintptr_t)r->hva + off,
				.iova = r->gpa + off,
				.size = r->size - off < DMA_MAP_PIECE ? r->size - off : DMA_MAP_PIECE,
			};

			if (atomic_load(&d->stop))
				return -ECANCELED;
			if (ioctl(d->container_fd, VFIO_IOMMU_MAP_DMA, &map) < 0)
				return -errno;
		}
		pr_debug("VFIO: guest RAM 0x%llx+%llu MiB mapped for DMA",
			 (unsigned long long)r->gpa, (unsigned long long)(r->size >> 20));
	}
	return 0;
}

/* Its filter allows the container's map and unmap, no more (sandbox.h). */
static const struct sandbox_thread dma_sandbox = { .cls = THREAD_DMA, .vcpu_fd = -1, .vm_fd = -1 };

static void *dma_thread(void *arg)
{
	struct vfio_dma *d = arg;
	struct sched_param idle = { 0 };
	int err;

	/*
	 * Pinning is background work: it runs when a CPU has nothing else to
	 * do, not against the vCPUs (with 2 CPUs an interrupt storm in the
	 * guest lost a third of its rate to it at normal priority).
	 */
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
	err = sandbox__enter(&dma_sandbox) ? -EPERM : map_guest_ram(d);

	/* Stopped: the VM is being torn down, and a failure now is part of that. */
	if (err == -ECANCELED || (err && atomic_load(&d->stop))) {
		pr_debug("VFIO: DMA mapping stopped: the VM ended first");
	} else if (err) {
		pr_err("%s: cannot map guest RAM for DMA: %s; lower --mem or raise RLIMIT_MEMLOCK",
		       d->who, strerror(-err));
		vm__request_exit(d->vm, EXIT_HOST);
	}
	pthread_mutex_lock(&d->lock);
	d->err = err;
	d->done = true;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int vfio_dma__start(struct vfio_dma *d, int container_fd, struct vm *vm, const char *who)
{
	uint64_t allowed = memlock__allowance(NULL);
	sigset_t all, old;
	int ret;

	*d = (struct vfio_dma){ .vm = vm, .container_fd = container_fd };
	snprintf(d->who, sizeof(d->who), "%s", who);
	if (allowed < vm->mem.size) {
		char limit[32], need[32];

		format_size(allowed, limit, sizeof(limit));
		format_size(vm->mem.size, need, sizeof(need));
		pr_err("%s: cannot map guest RAM for DMA: the locked-memory limit (%s) is below the guest's RAM (%s), which VFIO pins; lower --mem, raise the limit (ulimit -l unlimited) or run pcivmm as root",
		       who, limit, need);
		return -ENOMEM;
	}
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	/*
	 * The thread takes no signals: SIGINT/SIGTERM go to the main thread's
	 * signalfd once the VM runs, the vCPU kick only to vCPU threads.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = -thread__start(&d->thread, dma_thread, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		pr_err("%s: cannot start mapping guest RAM for DMA: %s", who, strerror(-ret));
		return ret;
	}
	d->started = true;
	return 0;
}

int vfio_dma__wait(struct vfio_dma *d)
{
	int err = -ECANCELED;

	if (!d->started)
		return -ENODEV;
	pthread_mutex_lock(&d->lock);
	/*
	 * The waiter is a vCPU that holds the PCI host lock, and the mapping
	 * may take long: the thread runs at SCHED_IDLE, behind guest vCPUs
	 * that spin. vcpus__stop joins that vCPU once the VM is exiting, and
	 * nothing wakes the condition then (vfio_dma__stop runs later, in the
	 * teardowns): so it looks at vm->exiting every slice.
	 */
	while (!d->done && !atomic_load(&d->vm->exiting)) {
		struct timespec slice = thread__deadline(VFIO_DMA_EXIT_CHECK_MS);

		pthread_cond_clockwait(&d->cond, &d->lock, CLOCK_MONOTONIC, &slice);
	}
	if (d->done)
		err = d->err;
	pthread_mutex_unlock(&d->lock);
	return err;
}

void vfio_dma__stop(struct vfio_dma *d)
{
	if (!d->started)
		return;
	atomic_store(&d->stop, true);
	pthread_join(d->thread, NULL);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	d->started = false;
}

int vfio_dma__unmap_all(int container_fd)
{
	struct vfio_iommu_type1_dma_unmap all = { .argsz = sizeof(all),
						  .flags = VFIO_DMA_UNMAP_FLAG_ALL };

	return ioctl(container_fd, VFIO_IOMMU_UNMAP_DMA, &all) < 0 ? -errno : 0;
}
