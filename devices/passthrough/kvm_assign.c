// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy KVM device assignment (Linux 3.4-4.11; 6.1, 6.12 with kernel-patch/):
 * KVM owns the device (IOMMU domain with guest RAM, host INTx requested as a
 * shared IRQ with PCI 2.3 device-level masking, guest INTx raised and
 * re-enabled on EOI); we reach config space through sysfs "config" and BARs
 * through sysfs "resourceN". The guest's COMMAND.INTX_DISABLE goes to KVM
 * with KVM_ASSIGN_SET_INTX_MASK and never to the device: the device's bit
 * is KVM's (devices/INTX-MASKING.md).
 */
#include "kvm_assign.h"
#include "host_dev.h"
#include "passthrough_types.h"
#include "pt.h"
#include "pt_bar.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Linux 6.9+ headers dropped legacy assignment; the ABI is what 3.4-6.1 had. */
#ifndef KVM_ASSIGN_PCI_DEVICE
struct kvm_assigned_pci_dev {
	__u32 assigned_dev_id;
	__u32 busnr;
	__u32 devfn;
	__u32 flags;
	__u32 segnr;
	union {
		__u32 reserved[11];
	};
};

struct kvm_assigned_irq {
	__u32 assigned_dev_id;
	__u32 host_irq;
	__u32 guest_irq;
	__u32 flags;
	union {
		__u32 reserved[12];
	};
};
#define KVM_ASSIGN_PCI_DEVICE _IOR(KVMIO, 0x69, struct kvm_assigned_pci_dev)
#define KVM_ASSIGN_DEV_IRQ _IOW(KVMIO, 0x70, struct kvm_assigned_irq)
#define KVM_DEASSIGN_PCI_DEVICE _IOW(KVMIO, 0x72, struct kvm_assigned_pci_dev)
#define KVM_DEASSIGN_DEV_IRQ _IOW(KVMIO, 0x75, struct kvm_assigned_irq)
#endif
#ifndef KVM_ASSIGN_SET_INTX_MASK
#define KVM_ASSIGN_SET_INTX_MASK _IOW(KVMIO, 0xa4, struct kvm_assigned_pci_dev)
#endif
#ifndef KVM_DEV_ASSIGN_ENABLE_IOMMU
#define KVM_DEV_ASSIGN_ENABLE_IOMMU (1 << 0)
#define KVM_DEV_ASSIGN_PCI_2_3 (1 << 1)
#define KVM_DEV_ASSIGN_MASK_INTX (1 << 2)
#endif
#ifndef KVM_DEV_IRQ_HOST_INTX
#define KVM_DEV_IRQ_HOST_INTX (1 << 0)
#define KVM_DEV_IRQ_GUEST_INTX (1 << 8)
#endif
#ifndef KVM_CAP_PCI_2_3
#define KVM_CAP_PCI_2_3 75
#endif

struct kassign_dev {
	struct passthrough_ctx *ctx;
	struct pt_dev *pt;
	int cfg_fd;
	uint8_t raw[PCI_CFG_SPACE_SIZE]; /* config space as read at open: BAR flags */
	uint32_t dev_id;
	struct kvm_assigned_pci_dev req;
	int vm_fd;
	kvm_assign_ioctl_fn vm_ioctl; /* ioctl(2), or a test's stand-in */
	bool assigned, irq_assigned;
	struct pt_bar bars[PCI_STD_NUM_BARS]; /* pt_bar.h */
};

static struct kassign_dev *to_kassign(struct pt_dev *pt)
{
	return pt->backend_priv;
}

static bool kassign_available(struct passthrough_ctx *ctx)
{
	return ioctl(ctx->vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PCI_2_3) > 0;
}

/* Config space through sysfs "config": raw, at the width asked for. */
static int kassign_cfg_read(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val)
{
	struct kassign_dev *k = to_kassign(pt);

	*val = 0;
	return pread(k->cfg_fd, val, len, off) == (ssize_t)len ? 0 : -EIO;
}

static int kassign_cfg_write(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val)
{
	struct kassign_dev *k = to_kassign(pt);

	return pwrite(k->cfg_fd, &val, len, off) == (ssize_t)len ? 0 : -EIO;
}

/*
 * The guest changed COMMAND.INTX_DISABLE: KVM hears it, and KVM alone
 * drives the device's bit (masked on demand by its hard IRQ handler,
 * unmasked at the guest's EOI or here when the device is quiet; a device
 * still asserting at unmask is delivered once). pcivmm never writes that
 * bit on this backend (pt_command.c).
 */
static int kassign_set_intx_mask(struct pt_dev *pt, bool masked)
{
	struct kassign_dev *k = to_kassign(pt);
	struct kvm_assigned_pci_dev req = k->req;

	req.flags = masked ? KVM_DEV_ASSIGN_MASK_INTX : 0;
	return k->vm_ioctl(k->vm_fd, KVM_ASSIGN_SET_INTX_MASK, &req) < 0 ? -errno : 0;
}

static int kassign_enable_intx(struct pt_dev *pt);
static void kassign_close(struct pt_dev *pt);
static int kassign_set_intx_mask(struct pt_dev *pt, bool masked);
static int kassign_open(struct passthrough_ctx *ctx, struct pt_dev *pt);

const struct pt_backend_ops kvm_assign_backend = {
	.raw_config = true,
	.name = "kvm-assign",
	.open = kassign_open,
	.available = kassign_available,
	.cfg_read = kassign_cfg_read,
	.cfg_write = kassign_cfg_write,
	.set_intx_mask = kassign_set_intx_mask,
	.enable_intx = kassign_enable_intx,
	.close = kassign_close,
};

/* host_dev.h spells the count without the kernel's header, which libpci's clashes with. */
_Static_assert(HOST_DEV_NR_BARS == PCI_STD_NUM_BARS, "host_dev's BAR count is the standard six");

struct kassign_bars {
	struct kassign_dev *k;
	struct host_bar host[HOST_DEV_NR_BARS];
};

/*
 * A BAR as the host kernel placed it (host_dev__bars, libpci), through its
 * sysfs resourceN: I/O ones read and written through the file, memory
 * ones mmapped (sysfs offers them no read or write).
 */
static int kassign_bar_region(void *opaque, unsigned idx, struct pt_bar_region *r)
{
	struct kassign_bars *b = opaque;
	char path[HOST_DEV_PATH_MAX];
	int fd, ret;

	if (!b->host[idx].size)
		return 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%u", b->k->pt->bdf, idx);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		pt_err(b->k->pt, "%s: %s", path, strerror(-ret));
		return ret;
	}
	*r = (struct pt_bar_region){
		.fd = fd, .offset = 0, .size = b->host[idx].size,
		.can_mmap = true, .file_rw = b->host[idx].io, .owns_fd = true,
	};
	return 0;
}

/* The BARs, before KVM claims the regions (strict devmem refuses the mmap after). */
static int kassign_setup_bars(struct kassign_dev *k, const uint8_t *raw)
{
	struct kassign_bars b = { .k = k };
	int ret = host_dev__bars(k->pt->bdf, b.host);

	if (ret) {
		pt_err(k->pt, "cannot read its BARs (libpci): %s", strerror(-ret));
		return ret;
	}
	return pt_bar__add_all(k->bars, k->pt, raw, kassign_bar_region, &b);
}

static int kassign_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

int kvm_assign__setup_config(struct pt_dev *pt, int cfg_fd, int vm_fd,
			     kvm_assign_ioctl_fn vm_ioctl)
{
	struct kassign_dev *k = calloc(1, sizeof(*k));
	unsigned dom, bus, dev, fn;
	ssize_t n;

	if (!k) {
		close(cfg_fd);
		return -ENOMEM;
	}
	k->pt = pt;
	k->cfg_fd = cfg_fd;
	k->vm_fd = vm_fd;
	k->vm_ioctl = vm_ioctl;
	for (unsigned i = 0; i < PCI_STD_NUM_BARS; i++)
		pt_bar__init(&k->bars[i]);
	pt->backend = &kvm_assign_backend;
	pt->backend_priv = k;
	n = pread(cfg_fd, k->raw, sizeof(k->raw), 0);
	if (n != (ssize_t)sizeof(k->raw)) {
		if (n < 0)
			pt_err(pt, "reading its configuration space: %s", strerror(errno));
		else
			pt_err(pt, "its configuration space reads %zd bytes, not %zu; is the device still there (lspci -s %s)?",
			       n, sizeof(k->raw), pt->bdf);
		kassign_close(pt);
		return -EIO;
	}
	if (sscanf(pt->bdf, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4)
		dom = bus = dev = fn = 0;
	k->req = (struct kvm_assigned_pci_dev){
		.assigned_dev_id = dom << 16 | bus << 8 | dev << 3 | fn,
		.segnr = dom, .busnr = bus, .devfn = dev << 3 | fn,
		.flags = KVM_DEV_ASSIGN_ENABLE_IOMMU | KVM_DEV_ASSIGN_PCI_2_3,
	};
	pt_config__setup(pt, k->raw);
	return 0;
}

static int kassign_open(struct passthrough_ctx *ctx, struct pt_dev *pt)
{
	char path[HOST_DEV_PATH_MAX];
	struct kassign_dev *k;
	int cfg_fd, ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", pt->bdf);
	cfg_fd = open(path, O_RDWR | O_CLOEXEC);
	if (cfg_fd < 0) {
		ret = -errno;
		pt_err(pt, "%s: %s; run pcivmm as root", path, strerror(errno));
		return ret;
	}
	ret = kvm_assign__setup_config(pt, cfg_fd, ctx->vm->vm_fd, kassign_ioctl);
	if (ret)
		return ret;
	k = to_kassign(pt);
	k->ctx = ctx;
	ret = kassign_setup_bars(k, k->raw);
	if (ret)
		return ret;
	if (k->vm_ioctl(k->vm_fd, KVM_ASSIGN_PCI_DEVICE, &k->req) < 0) {
		ret = -errno;
		pt_err(pt, "KVM_ASSIGN_PCI_DEVICE: %s%s", strerror(errno),
		       errno == EBUSY ? "; a host driver still uses it: unbind it first" : "");
		return ret;
	}
	k->assigned = true;
	pt__acquired(pt, -1, -1); /* KVM holds the device: no file to hand the reaper */
	return 0;
}

/* KVM_ASSIGN_DEV_IRQ: host INTx (shared) -> guest INTx on pt->pci.gsi. */
static int kassign_enable_intx(struct pt_dev *pt)
{
	struct kassign_dev *k = to_kassign(pt);
	struct kvm_assigned_irq irq = {
		.assigned_dev_id = k->req.assigned_dev_id,
		.guest_irq = pt->pci.gsi,
		.flags = KVM_DEV_IRQ_HOST_INTX | KVM_DEV_IRQ_GUEST_INTX,
	};

	if (!pt->pci.pin)
		return 0;
	if (k->vm_ioctl(k->vm_fd, KVM_ASSIGN_DEV_IRQ, &irq) < 0) {
		int err = errno;

		if (err == EINVAL)
			pt_err(pt, "KVM cannot share its INTx: the device has no PCI 2.3 INTx masking; use vfio-pci on an unshared line");
		else
			pt_err(pt, "KVM_ASSIGN_DEV_IRQ to GSI %u: %s", pt->pci.gsi, strerror(err));
		return -err;
	}
	k->irq_assigned = true;
	return 0;
}

/* KVM_DEASSIGN_DEV_IRQ, KVM_DEASSIGN_PCI_DEVICE, BARs unmapped. */
static void kassign_close(struct pt_dev *pt)
{
	struct kassign_dev *k = to_kassign(pt);
	struct kvm_assigned_irq irq;

	if (!k)
		return;
	if (k->irq_assigned) {
		irq = (struct kvm_assigned_irq){ .assigned_dev_id = k->req.assigned_dev_id,
			.flags = KVM_DEV_IRQ_HOST_INTX | KVM_DEV_IRQ_GUEST_INTX };
		k->vm_ioctl(k->vm_fd, KVM_DEASSIGN_DEV_IRQ, &irq);
	}
	if (k->assigned)
		k->vm_ioctl(k->vm_fd, KVM_DEASSIGN_PCI_DEVICE, &k->req);
	for (unsigned i = 0; i < PCI_STD_NUM_BARS; i++)
		pt_bar__release(&k->bars[i]);
	if (k->cfg_fd >= 0)
		close(k->cfg_fd);
	free(k);
	pt->backend_priv = NULL;
}
