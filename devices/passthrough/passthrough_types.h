/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plain types of --passthrough: the option as parsed (options.c) and
 * the context every passed device is made in. Shared by the device's
 * public face (passthrough.h) and its insides (pt.h, the backends), which
 * must not depend on passthrough.c: it is the one that picks a backend.
 */
#ifndef PCIVMM_PASSTHROUGH_TYPES_H
#define PCIVMM_PASSTHROUGH_TYPES_H

#include <stdbool.h>

#include "host_dev.h"

struct vm;
struct pci_host;
struct vfio_container;

/* Deliberate breakage, to prove the nested tests catch what they claim to: pt_faults.c. */
enum passthrough_fault {
	PT_FAULT_NONE,
	PT_FAULT_LOCAL_INTX_DISABLE,
	PT_FAULT_STALE_STATUS,
	PT_FAULT_BYTE_COMMAND,
};

/*
 * Who reaches the device: VFIO (device bound to vfio-pci), or legacy KVM
 * assignment (KVM_CAP_PCI_2_3: Linux 3.4-4.11; 6.1, 6.12 with kernel-patch/).
 * AUTO picks VFIO for a vfio-pci device, else KVM assignment if available.
 */
enum passthrough_backend {
	PT_BACKEND_AUTO,
	PT_BACKEND_VFIO,
	PT_BACKEND_KVM_ASSIGN,
};

/* --passthrough BDF[,slot=N][,backend=vfio|kvm-assign][,managed][,fault=NAME] (options.c) */
struct passthrough_opts {
	char bdf[HOST_BDF_MAX]; /* canonical "dddd:bb:dd.f", sysfs's spelling */
	int domain, bus, dev, func;
	int slot; /* guest slot, -1: first free */
	enum passthrough_fault fault;
	enum passthrough_backend backend;
	bool managed; /* ,managed: bound to vfio-pci for the run, then given back */
	bool msix_off; /* ,msix=off: the guest does not see its MSI-X capability */
};

struct passthrough_ctx {
	struct vm *vm;
	struct pci_host *host;
	struct vfio_container *vfio; /* shared by all VFIO devices, made on first use */
};

#endif
