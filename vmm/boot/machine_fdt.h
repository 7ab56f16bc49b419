/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine description handed to PVH/ELF guests (and written by
 * --dump-dtb): memory, CPUs, UART, IOAPIC, the PCI host bridge with its ECAM
 * window, windows and INTx interrupt-map, and one node per PCI device with
 * its guest BDF, pin and GSI (plus the host BDF of a passthrough device).
 */
#ifndef PCIVMM_MACHINE_FDT_H
#define PCIVMM_MACHINE_FDT_H

#include <stddef.h>

struct guest_mem;
struct pci_host;

#define MACHINE_FDT_MAX (64 * 1024)

/* Builds into buf (MACHINE_FDT_MAX bytes); returns the blob size or negative errno. */
int machine_fdt__build(void *buf, size_t size, const struct guest_mem *mem,
		       unsigned nr_cpus, const struct pci_host *pci, const char *cmdline);

/* Writes the blob to path as out_file.h says (- is stdout; a regular file atomically). */
int machine_fdt__write_file(const void *fdt, size_t size, const char *path);

#endif
