// SPDX-License-Identifier: GPL-2.0
#include "guest_mem.h"
#include "layout.h"

#include <errno.h>
#include <sys/mman.h>

int guest_mem__init(struct guest_mem *mem, uint64_t size)
{
	uint64_t low = size < LOW_RAM_LIMIT ? size : LOW_RAM_LIMIT;
	void *p;

	*mem = (struct guest_mem){ 0 };
	if (size == 0)
		return -EINVAL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
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
