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

struct vm;
struct pci_host;
struct vfio_container;
struct pci_device;

/* Deliberate breakage, to prove the nested tests catch what they claim to: pt_faults.c. */
enum passthrough_fault {
	PT_FAULT_NONE,
	PT_FAULT_LOCAL_INTX_DISABLE,
	PT_FAULT_STALE_STATUS,
	PT_FAULT_BYTE_COMMAND,
};


/*
 * Who reaches the device: VFIO (device bound to vfio-pci), or legacy KVM
 * assignment (KVM_CAP_PCI_2_3: Linux 3.4-4.11, or 6.1 with kernel-patch/).
 * AUTO picks VFIO for a vfio-pci device, else KVM assignment if available.
 */
enum passthrough_backend {
	PT_BACKEND_AUTO,
	PT_BACKEND_VFIO,
	PT_BACKEND_KVM_ASSIGN,
};

/* "dddd:bb:dd.f" with a domain of up to 8 hex digits (Intel VMD uses 10000 and up) */
#define PT_BDF_MAX 24

/* --passthrough BDF[,slot=N][,backend=vfio|kvm-assign][,managed][,fault=NAME] (options.c) */
struct passthrough_opts {
	char bdf[PT_BDF_MAX]; /* canonical "dddd:bb:dd.f", sysfs's spelling */
	int domain, bus, dev, func;
	int slot; /* guest slot, -1: first free */
	enum passthrough_fault fault;
	enum passthrough_backend backend;
	bool managed; /* ,managed: bound to vfio-pci for the run, then given back */
	bool msix_off; /* ,msix=off: the guest does not see its MSI-X capability */
};

/* Parses the option's value; else one line "pcivmm: --passthrough ..." to err and false. */
bool passthrough__parse_option(const char *arg, struct passthrough_opts *pt, FILE *err);
/*
 * "[dddd:]bb:dd.f" through libpci's slot parser into pt's domain, bus,
 * dev, func and bdf (sysfs's spelling); else one line "pcivmm: WHAT S: ..."
 * to err and false.
 */
bool passthrough__parse_bdf(const char *s, struct passthrough_opts *pt, const char *what,
			    FILE *err);

struct passthrough_ctx {
	struct vm *vm;
	struct pci_host *host;
	struct vfio_container *vfio; /* shared by all VFIO devices, made on first use */
};

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
