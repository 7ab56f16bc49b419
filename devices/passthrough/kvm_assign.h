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
 * device), and builds the guest's config view from sysfs config.
 */
int kvm_assign__open(struct passthrough_ctx *ctx, struct pt_dev *pt);
/* KVM_ASSIGN_DEV_IRQ: host INTx (shared) -> guest INTx on pt->pci.gsi. */
int kvm_assign__enable_intx(struct pt_dev *pt);
/* KVM_DEASSIGN_DEV_IRQ, KVM_DEASSIGN_PCI_DEVICE, BARs unmapped. */
void kvm_assign__close(struct pt_dev *pt);

#endif
