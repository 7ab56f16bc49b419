/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI tables of the pcivmm machine (ACPI 6.5), for Linux guests: how
 * they find the CPUs and the IOAPIC (MADT), PCIe extended config space
 * (MCFG: the ECAM window), the PCI host bridge with its windows and the
 * routing of every slot's INTA-INTD to a GSI (the DSDT's _PRT), and how to
 * power off (PM1a control, _S5) and reset (the FADT's reset register:
 * 0xcf9). Built once the devices have their BARs (the 64-bit window is
 * sized from them, as in the FDT), copied below 1 MiB at ACPI_TABLES_ADDR
 * where the RSDP lies on a 16-byte boundary the legacy scan finds; Linux is
 * also given the RSDP's address (boot_params.acpi_rsdp_addr, PVH's
 * start_info.rsdp_paddr). A guest booted with acpi=off keeps the MP table.
 */
#ifndef PCIVMM_ACPI_H
#define PCIVMM_ACPI_H

#include <stddef.h>
#include <stdint.h>

struct pci_host;

#define ACPI_MAX_TABLES 8

struct acpi_tables {
	uint8_t data[0x4000]; /* the image at ACPI_TABLES_ADDR */
	size_t size;
	uint64_t rsdp_addr;
	struct {
		char name[5]; /* "RSDP", then each table's signature */
		size_t offset, size;
	} table[ACPI_MAX_TABLES];
	unsigned nr_tables;
};

/* 0, or -ENOSPC with one line printed. */
int acpi__build(struct acpi_tables *t, unsigned nr_cpus, const struct pci_host *pci);

/*
 * --dump-acpi DIR: each table as DIR/NAME.dat (lower case, as acpidump -b
 * names them), for iasl -d. DIR is made if missing. 0 or negative errno,
 * with one line printed naming the file.
 */
int acpi__write_dir(const struct acpi_tables *t, const char *dir);

#endif
