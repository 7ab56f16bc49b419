// SPDX-License-Identifier: GPL-2.0
/* Long-mode boot state shared by the ELF and Linux loaders. */
#include "boot.h"
#include "layout.h"
#include "log.h"

#include <errno.h>
#include <string.h>

#define PTE_PRESENT (1ULL << 0)
#define PTE_WRITE   (1ULL << 1)
#define PTE_LARGE   (1ULL << 7) /* 2 MiB page in a PD entry */

int x86_boot__write_gdt_and_page_tables(struct guest_mem *mem)
{
	/*
	 * Selectors as Linux's boot protocol wants them: __BOOT_CS 0x10,
	 * __BOOT_DS 0x18; 0x08 is the flat 32-bit code segment of the PVH
	 * entry. Linux and the test guests load their own GDT.
	 */
	static const uint64_t gdt[4] = {
		0,
		0x00cf9b000000ffffULL, /* 32-bit code, 4 GiB, present, DPL 0 */
		0x00af9b000000ffffULL, /* 64-bit code, present, DPL 0 */
		0x00cf93000000ffffULL, /* 4 GiB data, present, DPL 0 */
	};
	uint64_t *g = guest_mem__ptr(mem, BOOT_GDT_ADDR, sizeof(gdt));
	uint64_t *pml4 = guest_mem__ptr(mem, BOOT_PML4_ADDR, 4096);
	uint64_t *pdpt = guest_mem__ptr(mem, BOOT_PDPT_ADDR, 4096);
	uint64_t *pd = guest_mem__ptr(mem, BOOT_PD_ADDR, 4 * 4096);

	if (!g || !pml4 || !pdpt || !pd)
		return -ENOMEM;
	memcpy(g, gdt, sizeof(gdt));
	memset(pml4, 0, 4096);
	memset(pdpt, 0, 4096);
	pml4[0] = BOOT_PDPT_ADDR | PTE_PRESENT | PTE_WRITE;
	/* 4 PDs x 512 x 2 MiB: identity map of 0-4 GiB, MMIO and APICs included. */
	for (unsigned i = 0; i < 4; i++)
		pdpt[i] = (BOOT_PD_ADDR + i * 4096) | PTE_PRESENT | PTE_WRITE;
	for (uint64_t i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
	return 0;
}

int x86_boot__place_initrd(struct guest_mem *mem, const struct boot_file *initrd,
			   uint64_t kernel_end, uint64_t limit, const char *limit_name,
			   uint64_t *addr)
{
	uint64_t top = guest_mem__low_end(mem);
	uint64_t size = initrd->size;
	void *dst;

	if (limit < top)
		top = limit;
	if (size > top || ((top - size) & ~0xfffULL) < kernel_end) {
		/* Low RAM ends at LOW_RAM_LIMIT at most (the PCI hole is above it). */
		uint64_t best = limit < LOW_RAM_LIMIT ? limit : LOW_RAM_LIMIT;

		if (size <= best && ((best - size) & ~0xfffULL) >= kernel_end)
			pr_err("%s: initrd of %zu bytes does not fit above the kernel; use a larger --mem",
			       initrd->path, initrd->size);
		else if (limit_name)
			pr_err("%s: initrd of %zu bytes does not fit between the kernel and the highest address this kernel takes an initrd at (%s 0x%llx) at any --mem; use a smaller initrd",
			       initrd->path, initrd->size, limit_name, (unsigned long long)limit - 1);
		else
			pr_err("%s: initrd of %zu bytes does not fit between the kernel and the end of low RAM (0x%llx) at any --mem; use a smaller initrd",
			       initrd->path, initrd->size, (unsigned long long)best);
		return -ENOMEM;
	}
	*addr = (top - size) & ~0xfffULL;
	dst = guest_mem__ptr(mem, *addr, size);
	if (!dst)
		return -ENOMEM;
	memcpy(dst, initrd->data, size);
	return 0;
}

uint8_t x86_boot__checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return (uint8_t)-sum;
}

unsigned e820__build(const struct guest_mem *mem, struct e820_entry *out, unsigned max)
{
	uint64_t low_end = guest_mem__low_end(mem);
	unsigned n = 0;

#define E820_ADD(a, s, t)                                                    \
	do {                                                                 \
		if (n < max)                                                 \
			out[n++] = (struct e820_entry){ (a), (s), (t) };     \
	} while (0)

	/* Conventional memory up to the EBDA, then the legacy VGA/BIOS hole. */
	E820_ADD(0, EBDA_START, E820_RAM);
	E820_ADD(EBDA_START, 0xa0000 - EBDA_START, E820_RESERVED);
	E820_ADD(ACPI_TABLES_ADDR, BIOS_END - ACPI_TABLES_ADDR, E820_RESERVED);
	if (low_end > BIOS_END)
		E820_ADD(BIOS_END, low_end - BIOS_END, E820_RAM);
	E820_ADD(PCI_ECAM_BASE, PCI_ECAM_SIZE, E820_RESERVED);
	if (mem->nr_regions > 1)
		E820_ADD(mem->regions[1].gpa, mem->regions[1].size, E820_RAM);
#undef E820_ADD
	return n;
}
