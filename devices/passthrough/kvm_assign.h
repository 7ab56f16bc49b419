/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The legacy KVM device-assignment backend (pt.h's kvm_assign_backend),
 * private to devices/passthrough/. Its open maps the BARs through sysfs
 * resourceN, then KVM_ASSIGN_PCI_DEVICE with ENABLE_IOMMU | PCI_2_3 (KVM
 * confines DMA to guest RAM and owns the device), builds the guest's
 * config view from sysfs config; enable_intx (KVM_ASSIGN_DEV_IRQ) and
 * close (deassignment) do the rest. Its available is KVM_CAP_PCI_2_3.
 */
#ifndef PCIVMM_KVM_ASSIGN_H
#define PCIVMM_KVM_ASSIGN_H

#include <stdbool.h>

struct passthrough_ctx;
struct pt_dev;

typedef int (*kvm_assign_ioctl_fn)(int vm_fd, unsigned long req, void *arg);

/*
 * The config-space half of its open, on the device's open sysfs
 * "config" (cfg_fd, owned from here on): reads it, builds the guest's view
 * and sets pt->backend, with KVM's VM ioctls going through vm_ioctl. The
 * unit tests drive the backend's COMMAND handling through this seam with a
 * config file and a recording vm_ioctl. A short read: one line, -EIO,
 * nothing left allocated.
 */
int kvm_assign__setup_config(struct pt_dev *pt, int cfg_fd, int vm_fd,
			     kvm_assign_ioctl_fn vm_ioctl);

#endif
