/* SPDX-License-Identifier: GPL-2.0 */
/* The legacy KVM device-assignment backend, private to devices/passthrough/. */
#ifndef PCIVMM_KVM_ASSIGN_H
#define PCIVMM_KVM_ASSIGN_H

#include <stdbool.h>

struct passthrough_ctx;
struct pt_dev;

/* True if this KVM offers assignment with PCI 2.3 INTx masking (KVM_CAP_PCI_2_3). */
bool kvm_assign__available(struct passthrough_ctx *ctx);

/*
 * Maps the BARs through sysfs resourceN, then KVM_ASSIGN_PCI_DEVICE with
 * ENABLE_IOMMU | PCI_2_3 (KVM confines DMA to guest RAM and owns the
 * device), builds the guest's config view from sysfs config and sets
 * pt->backend, whose enable_intx (KVM_ASSIGN_DEV_IRQ) and close
 * (deassignment) do the rest.
 */
int kvm_assign__open(struct passthrough_ctx *ctx, struct pt_dev *pt);

#endif
