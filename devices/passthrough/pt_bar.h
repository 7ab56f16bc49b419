/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A passed device's standard BAR as the guest sees it, the same for both
 * backends: the region is a file (VFIO's device file at the region's
 * offset, or sysfs resourceN at 0), mmapped where it can be; mapped into
 * the guest as memslots while the guest has it enabled, but for the pages
 * of an MSI-X table or PBA (pt_msix.c), which stay trapped; trapped
 * accesses reach the device one access of the guest's width, and past the
 * region's end (a small BAR's page) read all ones. Private to
 * devices/passthrough/.
 */
#ifndef PCIVMM_PT_BAR_H
#define PCIVMM_PT_BAR_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

struct pt_dev;

struct pt_bar {
	struct pt_dev *pt;
	unsigned idx;
	int fd;          /* the region's file */
	uint64_t offset; /* where the region starts in it */
	uint64_t size;
	/*
	 * Trapped accesses by pread/pwrite on fd (VFIO regions, sysfs I/O
	 * resources), else through the mapping (sysfs memory resources have
	 * no read or write, only mmap).
	 */
	bool file_rw;
	bool owns_fd;    /* closed by pt_bar__release (sysfs resourceN) */
	void *mmap;      /* NULL: every access is trapped */
	/* KVM memslots while mapped (-1 when not), below and above the hole. */
	int slots[2];
	uint64_t hole_start, hole_end; /* MSI-X pages, trapped ([0, 0): none) */
};

/* What the backend found of one BAR. */
struct pt_bar_region {
	enum pci_bar_kind kind;
	bool prefetch;
	int fd;
	uint64_t offset, size;
	bool can_mmap; /* the region may be mmapped (VFIO_REGION_INFO_FLAG_MMAP; sysfs: yes) */
	bool file_rw;
	bool owns_fd;
};

/* A BAR slot with nothing in it (pt_bar__release does nothing). */
void pt_bar__init(struct pt_bar *b);

/*
 * Offers the region as the guest's BAR idx: mmaps it when it may be and is
 * a whole number of pages (MMIO only), declares it on pt->pci with the
 * access and map hooks. Taking over r->fd if r->owns_fd, also on failure.
 * 0, or the negative errno of pci_device__add_bar (then nothing is
 * offered and a warning says so; the device still goes to the guest).
 */
int pt_bar__add(struct pt_bar *b, struct pt_dev *pt, unsigned idx, const struct pt_bar_region *r);

/*
 * What a backend has at BAR idx, into r: its file, offset and size (size
 * 0: no BAR there), whether it may be mmapped, how trapped accesses go.
 * kind and prefetch are pt_bar__add_all's. 0, or a negative errno the
 * backend has reported, to give the device up.
 */
typedef int (*pt_bar_region_fn)(void *opaque, unsigned idx, struct pt_bar_region *r);

/*
 * The one BAR path of every backend: each standard BAR the backend has a
 * region for is offered (pt_bar__add) as the device's config snapshot raw
 * declares it, I/O or memory, 32 or 64 bits, prefetchable or not (PCI 3.0
 * 6.2.5.1); the upper half of a 64-bit BAR is no BAR of its own. 0, or
 * the first error region gave.
 */
int pt_bar__add_all(struct pt_bar bars[PCI_STD_NUM_BARS], struct pt_dev *pt, const uint8_t *raw,
		    pt_bar_region_fn region, void *opaque);

/* Unmaps it from the guest and from pcivmm, closes a file it owns. */
void pt_bar__release(struct pt_bar *b);

#endif
