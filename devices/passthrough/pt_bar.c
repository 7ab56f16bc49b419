// SPDX-License-Identifier: GPL-2.0
#include "pt_bar.h"
#include "pt.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void pt_bar__init(struct pt_bar *b)
{
	*b = (struct pt_bar){ .fd = -1, .slots = { -1, -1 } };
}

/* One access of the guest's width through the mapping, as the device expects. */
static void mapped_access(volatile uint8_t *p, uint8_t *data, unsigned len, bool is_write)
{
	switch (len) {
	case 1: if (is_write) *p = *data; else *data = *p; break;
	case 2: if (is_write) *(volatile uint16_t *)p = *(uint16_t *)data; else *(uint16_t *)data = *(volatile uint16_t *)p; break;
	case 4: if (is_write) *(volatile uint32_t *)p = *(uint32_t *)data; else *(uint32_t *)data = *(volatile uint32_t *)p; break;
	default: if (is_write) *(volatile uint64_t *)p = *(uint64_t *)data; else *(uint64_t *)data = *(volatile uint64_t *)p; break;
	}
}

static void pt_bar_access(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool is_write)
{
	struct pt_bar *b = opaque;
	ssize_t n;

	/* The MSI-X table and PBA are the guest's model, never the device's. */
	if (pt_msix__bar_access(b->pt, b->idx, off, data, len, is_write))
		return;
	if (off + len > b->size) { /* the part of a small BAR's page that is not the BAR */
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (!b->file_rw) {
		if (b->mmap)
			mapped_access((uint8_t *)b->mmap + off, data, len, is_write);
		else if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (is_write)
		n = pwrite(b->fd, data, len, b->offset + off);
	else
		n = pread(b->fd, data, len, b->offset + off);
	if (n != (ssize_t)len && !is_write)
		memset(data, 0xff, len); /* a device that stopped answering reads all ones */
}

/*
 * The BAR as guest memory, but for its MSI-X pages: a memslot below the
 * hole and one above it (either may be empty). Unmapping drops both.
 */
static int pt_bar_map(void *opaque, uint64_t gpa, bool map)
{
	struct pt_bar *b = opaque;
	struct vm *vm = b->pt->vm;
	uint64_t below = b->hole_end ? b->hole_start : b->size;
	uint64_t above = b->hole_end ? b->size - b->hole_end : 0;
	int ret = 0;

	if (!map || below)
		ret = vm__set_slot_mapped(vm, &b->slots[0], gpa, below, b->mmap, map);
	if (!ret && (!map || above))
		ret = vm__set_slot_mapped(vm, &b->slots[1], gpa + b->hole_end, above,
					  (uint8_t *)b->mmap + b->hole_end, map);
	if (ret) {
		vm__set_slot_mapped(vm, &b->slots[0], 0, 0, NULL, false);
		pr_warn_ratelimited("%s: BAR%u stays trapped: no memslot (%s)", b->pt->bdf, b->idx,
				    strerror(-ret));
	}
	return ret;
}

int pt_bar__add(struct pt_bar *b, struct pt_dev *pt, unsigned idx, const struct pt_bar_region *r)
{
	long page = sysconf(_SC_PAGESIZE);
	int ret;

	pt_bar__init(b);
	b->pt = pt;
	b->idx = idx;
	b->fd = r->fd;
	b->owns_fd = r->owns_fd;
	b->offset = r->offset;
	b->size = r->size;
	b->file_rw = r->file_rw;
	pt_msix__trapped_range(pt, idx, r->size, page, &b->hole_start, &b->hole_end);
	if (r->kind != PCI_BAR_IO && r->can_mmap && r->size % page == 0) {
		b->mmap = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, r->offset);
		if (b->mmap == MAP_FAILED)
			b->mmap = NULL;
	}
	ret = pci_device__add_bar(&pt->pci, idx, r->kind, r->size, r->prefetch, pt_bar_access, b);
	if (ret) {
		pr_warn("%s: BAR%u (%llu bytes) cannot be offered to the guest", pt->bdf, idx,
			(unsigned long long)r->size);
		pt_bar__release(b);
		return ret;
	}
	if (b->mmap)
		pt->pci.bars[idx].map = pt_bar_map;
	return 0;
}

int pt_bar__add_all(struct pt_bar bars[PCI_STD_NUM_BARS], struct pt_dev *pt, const uint8_t *raw,
		    pt_bar_region_fn region, void *opaque)
{
	for (unsigned i = 0; i < PCI_STD_NUM_BARS; i++) {
		uint8_t flags = raw[PCI_BASE_ADDRESS_0 + 4 * i];
		struct pt_bar_region r = { .size = 0 };
		int ret = region(opaque, i, &r);

		if (ret)
			return ret;
		if (!r.size)
			continue;
		r.kind = (flags & PCI_BASE_ADDRESS_SPACE_IO) ? PCI_BAR_IO :
			 (flags & PCI_BASE_ADDRESS_MEM_TYPE_64) ? PCI_BAR_MMIO64 : PCI_BAR_MMIO32;
		r.prefetch = flags & PCI_BASE_ADDRESS_MEM_PREFETCH;
		pt_bar__add(&bars[i], pt, i, &r);
		if (r.kind == PCI_BAR_MMIO64)
			i++; /* its upper half */
	}
	return 0;
}

void pt_bar__release(struct pt_bar *b)
{
	for (unsigned s = 0; s < 2; s++)
		if (b->slots[s] >= 0)
			vm__unmap_slot(b->pt->vm, b->slots[s]);
	if (b->mmap)
		munmap(b->mmap, b->size);
	if (b->owns_fd && b->fd >= 0)
		close(b->fd);
	pt_bar__init(b);
}
