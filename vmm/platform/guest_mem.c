// SPDX-License-Identifier: GPL-2.0
#include "guest_mem.h"
#include "layout.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

/*
 * Guest RAM is aligned to 2 MiB (x86's PMD size) and asks for transparent
 * huge pages, as QEMU's RAM blocks do: faults fill 2 MiB at a time, KVM maps
 * the guest with large pages, and VFIO pins and IOMMU-maps physically
 * contiguous 2 MiB runs instead of 4 KiB pages, which is most of the cost
 * of starting and ending a VM with a passed device (and under a nested
 * IOMMU every map and unmap is an emulated invalidation).
 */
#define GUEST_RAM_ALIGN (2ULL << 20)

int guest_mem__init(struct guest_mem *mem, uint64_t size)
{
	uint64_t low = size < LOW_RAM_LIMIT ? size : LOW_RAM_LIMIT, head, tail;
	uint8_t *raw, *p;

	*mem = (struct guest_mem){ 0 };
	if (size == 0 || size > UINT64_MAX - GUEST_RAM_ALIGN)
		return -EINVAL;
	raw = mmap(NULL, size + GUEST_RAM_ALIGN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return -errno;
	/* Keep the 2 MiB-aligned part; give back what is before and after it. */
	p = (uint8_t *)(((uintptr_t)raw + GUEST_RAM_ALIGN - 1) & ~(uintptr_t)(GUEST_RAM_ALIGN - 1));
	head = p - raw;
	tail = GUEST_RAM_ALIGN - head;
	if (head)
		munmap(raw, head);
	if (tail)
		munmap(p + size, tail);
	madvise(p, size, MADV_HUGEPAGE);
	madvise(p, size, MADV_MERGEABLE);
	mem->base = p;
	mem->size = size;
	mem->regions[0] = (struct guest_mem_region){ 0, low, mem->base };
	mem->nr_regions = 1;
	if (size > low) {
		mem->regions[1] = (struct guest_mem_region){
			HIGH_RAM_BASE, size - low, mem->base + low };
		mem->nr_regions = 2;
	}
	return 0;
}

void guest_mem__exit(struct guest_mem *mem)
{
	if (mem->base)
		munmap(mem->base, mem->size);
	*mem = (struct guest_mem){ 0 };
}

void *guest_mem__ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		const struct guest_mem_region *r = &mem->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa <= r->size &&
		    len <= r->size - (gpa - r->gpa))
			return r->hva + (gpa - r->gpa);
	}
	return NULL;
}

bool guest_mem__overlaps_ram(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;

	if (end < gpa) /* wraps: covers the top of the address space */
		end = UINT64_MAX;
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		const struct guest_mem_region *r = &mem->regions[i];

		if (gpa < r->gpa + r->size && end > r->gpa)
			return true;
	}
	return false;
}

uint64_t guest_mem__low_end(const struct guest_mem *mem)
{
	return mem->regions[0].size;
}
