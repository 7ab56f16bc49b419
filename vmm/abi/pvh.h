/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVH boot ABI (xen/include/public/arch-x86/hvm/start_info.h): the
 * start_info pointer arrives in %ebx (PVH 32-bit entry) or %rbx (pcivmm's
 * 64-bit entry). include/abi/ holds what pcivmm and its freestanding test
 * guests both speak, and nothing else: fixed-width types only, no libc, no
 * pcivmm function. The boot layer (vmm/boot/boot_elf.c) writes it, the
 * guests (guest-tests/lib/boot.c) read it; neither sees the other's headers.
 */
#ifndef PCIVMM_PVH_H
#define PCIVMM_PVH_H

#include <stdint.h>

#define HVM_START_MAGIC 0x336ec578
/* ELF note type of the 32-bit PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

struct hvm_start_info {
	uint32_t magic;
	uint32_t version; /* 1: memmap fields are valid */
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

/* The machine FDT is the module whose command line is this string. */
#define PCIVMM_FDT_MODULE_NAME "fdt"

#endif
