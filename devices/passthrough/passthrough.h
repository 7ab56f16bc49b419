/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Giving the guest a host PCI device (--passthrough BDF[,slot=N]).
 *
 * The device appears on the guest's bus like any other: its own slot, its
 * INTx pin swizzled onto a GSI (so two passed devices can share one), BARs
 * the guest may move. The guest's COMMAND writes, INTX_DISABLE among them,
 * reach the device; STATUS is read live. Backend: VFIO (vfio.c).
 */
#ifndef PCIVMM_PASSTHROUGH_H
#define PCIVMM_PASSTHROUGH_H

#include <stdbool.h>
#include <stdio.h>

#include "passthrough_types.h"

struct vm;
struct pci_device;

/* Parses the option's value; else one line "pcivmm: --passthrough ..." to err and false. */
bool passthrough__parse_option(const char *arg, struct passthrough_opts *pt, FILE *err);
/*
 * "[dddd:]bb:dd.f" through libpci's slot parser into pt's domain, bus,
 * dev, func and bdf (sysfs's spelling); else one line "pcivmm: WHAT S: ..."
 * to err and false.
 */
bool passthrough__parse_bdf(const char *s, struct passthrough_opts *pt, const char *what,
			    FILE *err);

/*
 * Opens, checks and attaches one host device. On failure prints one line
 * naming the device and the fix and returns negative errno; everything it
 * set up is undone.
 */
int passthrough__create(struct passthrough_ctx *ctx, const struct passthrough_opts *opt,
			struct pci_device **out);
/*
 * Undoes passthrough__create for a device the guest ejected: off the bus,
 * interrupts and DMA mappings gone, the device reset and released (a
 * managed one back on its driver). The vCPUs must be paused.
 */
void passthrough__unplug(struct vm *vm, struct pci_device *pci);

#endif
