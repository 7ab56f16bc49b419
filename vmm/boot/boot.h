/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot loaders. A kernel file is read and validated before any VM exists
 * (so a bad file is reported as such, even on a host without KVM), then
 * loaded into guest RAM together with the boot data the guest expects:
 *  - a 64-bit ELF gets a PVH hvm_start_info. One linked where it loads (the
 *    test guests) has the machine's FDT as module 0 and is entered at
 *    e_entry in long mode; one linked elsewhere (Linux's vmlinux) has the
 *    initrd as module 0 and is entered at its PVH note's 32-bit entry;
 *  - a Linux bzImage gets boot_params (e820, command line, initrd) and an MP
 *    table with the PCI INTx routing, and is entered at its 64-bit entry.
 */
#ifndef PCIVMM_BOOT_H
#define PCIVMM_BOOT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"

struct boot_regs;

struct boot_file {
	const char *path;
	uint8_t *data; /* malloc'd, pcivmm's own copy */
	size_t size;
};

/*
 * Reads a kernel or initrd: a regular file (a FIFO or a device is refused
 * without blocking on it), whole, into memory pcivmm owns. The file is
 * validated before any device is set up and loaded after: the copy is what
 * was validated, whatever happens to the file in between (through a
 * mapping of it, a rewrite would show, unvalidated, and a truncation would
 * be SIGBUS). A file that ends before its size (truncated while read) is
 * refused. Prints one line naming it on failure.
 */
int boot_file__read(struct boot_file *f, const char *path);
void boot_file__free(struct boot_file *f);

/*
 * KERNEL_ELF64: an ELF linked where it loads, entered at e_entry in long mode.
 * KERNEL_PVH: an ELF linked elsewhere (vmlinux), entered at its PVH entry.
 */
enum kernel_kind { KERNEL_ELF64, KERNEL_PVH, KERNEL_BZIMAGE };

/* Tells ELF from bzImage and validates its headers; one line on failure. */
int kernel__probe(const struct boot_file *k, enum kernel_kind *kind);

/* A PCI INTx route for the MP table: device slot, pin (1=INTA) and GSI. */
struct boot_pci_irq {
	uint8_t slot, pin, gsi;
};

struct boot_setup {
	const struct boot_file *kernel;
	const struct boot_file *initrd; /* may be NULL */
	const char *cmdline;            /* may be NULL */
	const void *fdt;
	size_t fdt_size;
	unsigned nr_cpus;
	const struct boot_pci_irq *pci_irqs;
	unsigned nr_pci_irqs;
	uint64_t acpi_rsdp; /* guest-physical address of the ACPI RSDP (acpi.h) */
	bool long_mode_only; /* the host runs no guest mode switch (vcpu_boot__long_mode_only) */
};

/* Format checks behind kernel__probe (each prints one line on failure). */
int elf__validate(const struct boot_file *k, enum kernel_kind *kind);
int bzimage__validate(const struct boot_file *k);

int boot_elf__load(struct guest_mem *mem, const struct boot_setup *s,
		   struct boot_regs *regs);
int boot_linux__load(struct guest_mem *mem, const struct boot_setup *s,
		     struct boot_regs *regs);

/*
 * Copies an initrd page-aligned as high as it fits below both the end of low
 * RAM and limit (the first address the kernel cannot take it at; limit_name
 * names that bound, or NULL), above kernel_end. One line on failure.
 */
int x86_boot__place_initrd(struct guest_mem *mem, const struct boot_file *initrd,
			   uint64_t kernel_end, uint64_t limit, const char *limit_name,
			   uint64_t *addr);

/* The byte that makes a firmware table sum to 0 mod 256 (MP 1.4 and ACPI tables alike). */
uint8_t x86_boot__checksum(const void *p, size_t len);

/* GDT (0x10 code64, 0x18 data) and identity page tables for 0-4 GiB. */
int x86_boot__write_gdt_and_page_tables(struct guest_mem *mem);

/* The e820 map of the machine (RAM, legacy holes, ACPI and MP table area, ECAM). */
struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));
#define E820_RAM 1
#define E820_RESERVED 2
unsigned e820__build(const struct guest_mem *mem, struct e820_entry *out, unsigned max);

/* Writes an MP 1.4 floating pointer and table at MPTABLE_ADDR. */
int mptable__write(struct guest_mem *mem, unsigned nr_cpus,
		   const struct boot_pci_irq *irqs, unsigned nr_irqs);

#endif
