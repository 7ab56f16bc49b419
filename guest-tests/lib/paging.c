// SPDX-License-Identifier: GPL-2.0
/*
 * Identity mappings beyond the 0-4 GiB the boot code maps (pcivmm's boot
 * page tables or start.S's): 2 MiB pages for a device's 64-bit BAR above
 * 4 GiB, uncached (PCD|PWT) as MMIO wants. Page-table pages come from a
 * small static pool; the tables are reached through CR3, identity mapped.
 */
#include "guest.h"

#define PTE_P     (1ULL << 0)
#define PTE_W     (1ULL << 1)
#define PTE_PWT   (1ULL << 3)
#define PTE_PCD   (1ULL << 4)
#define PTE_PS    (1ULL << 7)
#define PTE_ADDR  0x000ffffffffff000ULL
#define POOL_PAGES 16

static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pool_used;

static uint64_t *table_below(uint64_t *entry)
{
	if (!(*entry & PTE_P)) {
		if (pool_used == POOL_PAGES)
			return NULL;
		memset(pool[pool_used], 0, 4096);
		*entry = (uint64_t)(uintptr_t)pool[pool_used++] | PTE_P | PTE_W;
	}
	if (*entry & PTE_PS)
		return NULL; /* already a large page: not ours to split */
	return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR);
}

bool map_identity_uc(uint64_t addr, uint64_t size)
{
	uint64_t cr3, *pml4;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(uintptr_t)(cr3 & PTE_ADDR);
	for (uint64_t a = addr & ~0x1fffffULL; a < addr + size; a += 0x200000) {
		uint64_t *pdpt = table_below(&pml4[(a >> 39) & 511]), *pd;

		pd = pdpt ? table_below(&pdpt[(a >> 30) & 511]) : NULL;
		if (!pd)
			return false;
		pd[(a >> 21) & 511] = a | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT;
		__asm__ volatile("invlpg (%0)" ::"r"(a) : "memory");
	}
	return true;
}
