/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which backend a device gets: the one rule --passthrough (passthrough.c)
 * and pcivmm check (vmm/commands/check.c) both follow, from the device's
 * host driver and what KVM offers:
 *  - bound to vfio-pci: VFIO;
 *  - no driver, or pci-stub, and KVM has KVM_CAP_PCI_2_3: kvm-assign (both
 *    ask that no host driver touches the device);
 *  - anything else: VFIO, once the device is bound to vfio-pci.
 * backend= picks one outright; its requirements still hold. The backends
 * are one table in backend_choice.c, with their operations and names.
 */
#ifndef PCIVMM_BACKEND_CHOICE_H
#define PCIVMM_BACKEND_CHOICE_H

#include <stdbool.h>

#include "passthrough_types.h"

enum pt_choice_problem {
	PT_CHOICE_OK,
	PT_CHOICE_BIND_VFIO,     /* VFIO, but the device is on another driver or none */
	PT_CHOICE_NO_KVM_ASSIGN, /* backend=kvm-assign on a KVM without KVM_CAP_PCI_2_3 */
	PT_CHOICE_UNBIND,        /* backend=kvm-assign, but a host driver holds the device */
};

struct pt_backend_choice {
	enum passthrough_backend backend; /* VFIO or KVM_ASSIGN, never AUTO */
	const char *why;                  /* for the startup line and check's report */
	enum pt_choice_problem problem;
};

/* driver: the bound driver's name, "" when none. */
struct pt_backend_choice pt_backend__choose(const char *driver, bool kvm_cap_pci_2_3,
					    enum passthrough_backend asked);

/* The chosen backend's operations (pt.h); NULL for PT_BACKEND_AUTO. */
struct pt_backend_ops;
const struct pt_backend_ops *pt_backend__ops(enum passthrough_backend b);

/* backend=NAME ("vfio", "kvm-assign": the backend's own name); false if none is called so. */
bool pt_backend__parse(const char *name, enum passthrough_backend *b);

#endif
