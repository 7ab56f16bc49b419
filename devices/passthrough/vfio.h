/* SPDX-License-Identifier: GPL-2.0 */
/* The VFIO backend, private to devices/passthrough/. */
#ifndef PCIVMM_VFIO_H
#define PCIVMM_VFIO_H

struct passthrough_ctx;
struct pt_dev;

extern const struct pt_backend_ops vfio_backend_ops;

/*
 * Opens pt->bdf through VFIO (the shared type-1 container with guest RAM
 * mapped for DMA, its IOMMU group, the device), resets it if it can be,
 * builds the guest's config view and declares the BARs (mmapped as guest
 * memory where the region allows, trapped otherwise). One line naming the
 * device and the fix on failure.
 */
int vfio__open(struct passthrough_ctx *ctx, struct pt_dev *pt);

/*
 * Wires the device's INTx to pt->pci.gsi in the order that avoids the known
 * races (as QEMU's vfio_intx_enable_kvm): trigger eventfd, mask, resampling
 * KVM irqfd, unmask eventfd, unmask. From then on each interrupt goes
 * device -> vfio-pci (masks it at the device) -> irqfd -> guest, and the
 * guest's EOI -> resamplefd -> vfio-pci unmask, without us.
 */
int vfio__enable_intx(struct pt_dev *pt);

/* Undoes both: INTx off, BARs unmapped, device reset and closed. */
void vfio__close(struct pt_dev *pt);

#endif
