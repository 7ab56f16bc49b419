/* SPDX-License-Identifier: GPL-2.0 */
/* The VFIO backend, private to devices/passthrough/. */
#ifndef PCIVMM_VFIO_H
#define PCIVMM_VFIO_H

struct passthrough_ctx;
struct pt_dev;

/*
 * Opens pt->bdf through VFIO (the shared type-1 container with guest RAM
 * mapped for DMA, its IOMMU group, the device), resets it if it can be,
 * builds the guest's config view and declares the BARs (mmapped as guest
 * memory where the region allows, trapped otherwise), and sets pt->backend.
 * Its enable_intx wires INTx to pt->pci.gsi in the order that avoids the
 * known races (as QEMU's vfio_intx_enable_kvm): trigger eventfd, mask,
 * resampling KVM irqfd, unmask eventfd, unmask; from then on each interrupt
 * goes device -> vfio-pci (masks it at the device) -> irqfd -> guest, and
 * the guest's EOI -> resamplefd -> vfio-pci unmask, without us. Its close
 * turns INTx off, unmaps the BARs, resets and closes the device. One line
 * naming the device and the fix on failure.
 */
int vfio__open(struct passthrough_ctx *ctx, struct pt_dev *pt);

#endif
