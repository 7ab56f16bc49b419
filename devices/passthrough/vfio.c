// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO backend (Documentation/driver-api/vfio.rst; pt.h's vfio_backend):
 * the device file, opened with its DMA mapping by a vfio_opener
 * (vfio_open.h); config space through the config region (vfio-pci keeps
 * COMMAND.INTX_DISABLE virtual and masks INTx itself); BARs mmapped into
 * the guest or trapped; INTx through a resampling irqfd, MSI and MSI-X
 * through irqfds.
 *
 * Its open takes the shared type-1 container with guest RAM mapped for
 * DMA, the IOMMU group and the device, resets it if it can be, builds the
 * guest's config view and declares the BARs (mmapped as guest memory where
 * the region allows, trapped otherwise). Its enable_intx wires INTx to
 * pt->pci.gsi in the order that avoids the known races (as QEMU's
 * vfio_intx_enable_kvm): trigger eventfd, mask, resampling KVM irqfd,
 * unmask eventfd, unmask; from then on each interrupt goes device ->
 * vfio-pci (masks it at the device) -> irqfd -> guest, and the guest's EOI
 * -> resamplefd -> vfio-pci unmask, without us. Its close turns INTx off,
 * unmaps the BARs, resets and closes the device. One line naming the
 * device and the fix on failure.
 */
#include "vfio_open.h"
#include "pt_bar.h"
#include "host_dev.h"
#include "passthrough_types.h"
#include "pt.h"
#include "layout.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

struct vfio_dev;

struct vfio_dev {
	struct passthrough_ctx *ctx;
	struct pt_dev *pt;
	const struct vfio_opener *opener;
	void *open_handle; /* the opener's, for its release */
	int device_fd;
	uint64_t cfg_offset;
	bool can_reset;
	struct pt_bar bars[PCI_STD_NUM_BARS]; /* pt_bar.h */
	struct vfio_rom {
		uint64_t region_offset, size;
		void *copy; /* NULL: every read goes to the region */
		int slot;   /* the copy's read-only memslot while the guest enables it */
	} rom; /* size 0 without one */
	int trigger_fd, resample_fd;
	bool intx_on, irqfd_on;
	bool msi_on[2]; /* indexed by enum pt_msi_kind: vfio-pci has it enabled */
};

static struct vfio_dev *to_vfio(struct pt_dev *pt)
{
	return pt->backend_priv;
}

static int vfio_cfg_read(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val)
{
	struct vfio_dev *v = to_vfio(pt);

	*val = 0;
	return pread(v->device_fd, val, len, v->cfg_offset + off) == (ssize_t)len ? 0 : -EIO;
}

/* Guest RAM is mapped for DMA in the background (vfio_dma.h); pt_command.c waits here. */
static int vfio_wait_dma(struct pt_dev *pt)
{
	struct vfio_dev *v = to_vfio(pt);

	return v->opener->wait_dma(v->ctx);
}

static int vfio_cfg_write(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val)
{
	struct vfio_dev *v = to_vfio(pt);

	return pwrite(v->device_fd, &val, len, v->cfg_offset + off) == (ssize_t)len ? 0 : -EIO;
}

/* ---- BARs ---- */

/*
 * A ROM is read-only: the guest's writes to it go nowhere. Reads come from
 * the copy made at setup, or vfio-pci's ROM region when there is none.
 */
static void vfio_rom_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
			    bool is_write)
{
	struct vfio_dev *v = opaque;
	struct vfio_rom *r = &v->rom;

	if (is_write)
		return;
	if (r->copy && off + len <= r->size)
		memcpy(data, (uint8_t *)r->copy + off, len);
	else if (off + len > r->size ||
		 pread(v->device_fd, data, len, r->region_offset + off) != (ssize_t)len)
		memset(data, 0xff, len);
}

/* While the guest enables the ROM: a read-only memslot on the copy (writes still trap). */
static int vfio_rom_map(void *opaque, uint64_t gpa, bool map)
{
	struct vfio_dev *v = opaque;
	struct vfio_rom *r = &v->rom;
	int slot;

	if (r->slot >= 0)
		vm__unmap_slot(v->ctx->vm, r->slot);
	r->slot = -1;
	if (!map)
		return 0;
	slot = vm__map_slot_flags(v->ctx->vm, gpa, r->size, r->copy, KVM_MEM_READONLY);
	if (slot < 0)
		return slot; /* reads then trap to vfio_rom_access */
	r->slot = slot;
	return 0;
}

/*
 * The expansion ROM, from vfio-pci's ROM region (which enables the device's
 * ROM decode around each read): offered read-only at the ROM BAR when the
 * device has one. It is read once into a copy that backs a read-only
 * memslot, as QEMU maps ROMs, so a guest reading it byte by byte (option
 * ROM scanners, hashes) costs no exit per read.
 */
static void vfio_setup_rom(struct vfio_dev *v)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = VFIO_PCI_ROM_REGION_INDEX };
	struct vfio_rom *r = &v->rom;
	uint64_t copy;

	if (ioctl(v->device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri) < 0 || ri.size == 0)
		return;
	*r = (struct vfio_rom){ .region_offset = ri.offset, .size = ri.size, .slot = -1 };
	if (pci_device__add_rom(&v->pt->pci, ri.size, vfio_rom_access, v)) {
		pr_warn("%s: its expansion ROM (%llu bytes) cannot be offered to the guest",
			v->pt->bdf, (unsigned long long)ri.size);
		return;
	}
	/* The copy is the guest's ROM BAR, at least a page (past the ROM: 0xff). */
	copy = v->pt->pci.bars[PCI_ROM_BAR].size;
	r->copy = mmap(NULL, copy, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->copy == MAP_FAILED) {
		r->copy = NULL; /* r->size stays the ROM's: no read goes past it */
	} else {
		r->size = copy;
		memset(r->copy, 0xff, r->size);
		if (pread(v->device_fd, r->copy, ri.size, ri.offset) > 0)
			v->pt->pci.bars[PCI_ROM_BAR].map = vfio_rom_map;
	}
	pr_debug("%s: expansion ROM of %llu KiB offered read-only", v->pt->bdf,
		 (unsigned long long)(ri.size >> 10));
}

/* A BAR as vfio-pci offers it: a region of the device file (pt_bar.h). */
static int vfio_bar_region(void *opaque, unsigned idx, struct pt_bar_region *r)
{
	struct vfio_dev *v = opaque;
	struct vfio_region_info ri = { .argsz = sizeof(ri),
				       .index = VFIO_PCI_BAR0_REGION_INDEX + idx };
	int ret;

	if (ioctl(v->device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri) < 0) {
		ret = -errno;
		pt_err(v->pt, "VFIO_DEVICE_GET_REGION_INFO for BAR%u: %s", idx, strerror(errno));
		return ret;
	}
	*r = (struct pt_bar_region){
		.fd = v->device_fd, .offset = ri.offset, .size = ri.size,
		.can_mmap = ri.flags & VFIO_REGION_INFO_FLAG_MMAP,
		.file_rw = true, /* vfio-pci reads and writes the region at the access's width */
	};
	return 0;
}

static int vfio_setup_bars(struct vfio_dev *v, const uint8_t *raw)
{
	int ret = pt_bar__add_all(v->bars, v->pt, raw, vfio_bar_region, v);

	if (!ret)
		vfio_setup_rom(v);
	return ret;
}

/* ---- INTx ---- */

/* VFIO_DEVICE_SET_IRQS on vectors 0..count-1 of IRQ index with one eventfd each. */
static int vfio_irq_set_fds(struct vfio_dev *v, unsigned index, const int *efds, uint32_t count)
{
	size_t size = sizeof(struct vfio_irq_set) + count * sizeof(int32_t);
	struct vfio_irq_set *set = calloc(1, size);
	int ret;

	if (!set)
		return -ENOMEM;
	*set = (struct vfio_irq_set){
		.argsz = size,
		.flags = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD,
		.index = index,
		.count = count,
	};
	for (uint32_t i = 0; i < count; i++) {
		int32_t fd = efds[i];

		memcpy(set->data + i * sizeof(fd), &fd, sizeof(fd));
	}
	ret = ioctl(v->device_fd, VFIO_DEVICE_SET_IRQS, set) < 0 ? -errno : 0;
	free(set);
	return ret;
}

/* VFIO_DEVICE_SET_IRQS on one vector (or none: count 0) of IRQ index, with efd or no data. */
static int vfio_irq_set(struct vfio_dev *v, unsigned index, uint32_t action, int efd,
			uint32_t count)
{
	/* struct vfio_irq_set ends in a flexible array: the eventfd follows it. */
	union {
		struct vfio_irq_set set;
		uint8_t bytes[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	} req;
	int32_t fd = efd;

	req.set = (struct vfio_irq_set){
		.argsz = sizeof(req.set),
		.flags = action | VFIO_IRQ_SET_DATA_NONE,
		.index = index,
		.start = 0,
		.count = count,
	};
	if (efd >= 0) {
		req.set.argsz = sizeof(req.bytes);
		req.set.flags = action | VFIO_IRQ_SET_DATA_EVENTFD;
		memcpy(req.bytes + sizeof(req.set), &fd, sizeof(fd));
	}
	return ioctl(v->device_fd, VFIO_DEVICE_SET_IRQS, &req) < 0 ? -errno : 0;
}

static int vfio_intx_set(struct vfio_dev *v, uint32_t action, int efd, uint32_t count)
{
	return vfio_irq_set(v, VFIO_PCI_INTX_IRQ_INDEX, action, efd, count);
}

static void vfio_report_unshareable(struct vfio_dev *v)
{
	int irq = host_dev__irq(v->pt->bdf);
	char sharers[512];

	host_dev__irq_sharers(irq, v->pt->bdf, sharers, sizeof(sharers));
	pt_err_ratelimited(v->pt, "INTx cannot be shared: the device cannot mask INTx itself (no PCI 2.3 INTX_DISABLE) and host IRQ %d is in use by: %s; move it to an unshared line",
			   irq, sharers[0] ? sharers : "another device");
}

/*
 * Takes the device's INTx: with the trigger set, vfio-pci's handler owns
 * the host line for it and masks it when it asserts (AUTOMASKED); the
 * interrupt then waits, masked, for the guest. Order after QEMU's
 * vfio_intx_enable_kvm: GET_IRQ_INFO, TRIGGER(eventfd), MASK here; then
 * KVM_IRQFD(resample), UNMASK(resamplefd), UNMASK in vfio_enable_intx.
 * Called from vfio_open for a device found asserting, else from
 * vfio_enable_intx, also each time the guest turns MSI or MSI-X off: its
 * messages and vfio_enable_intx's are rate-limited (log.h).
 */
static int vfio_claim_intx(struct vfio_dev *v)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = VFIO_PCI_INTX_IRQ_INDEX };
	struct pt_dev *pt = v->pt;
	int ret;

	if (!pt->pci.pin)
		return 0;
	if (ioctl(v->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &info) < 0) {
		ret = -errno;
		pt_err_ratelimited(pt, "VFIO_DEVICE_GET_IRQ_INFO for INTx: %s", strerror(errno));
		return ret;
	}
	if (info.count != 1) { /* vfio-pci: a pin, but INTx unusable (e.g. no IRQ routed) */
		pr_warn_ratelimited("%s: VFIO offers no INTx; the guest sees the pin but gets no interrupts",
				    pt->bdf);
		return 0;
	}
	v->trigger_fd = eventfd(0, EFD_CLOEXEC);
	v->resample_fd = eventfd(0, EFD_CLOEXEC);
	if (v->trigger_fd < 0 || v->resample_fd < 0)
		return -errno;
	ret = vfio_intx_set(v, VFIO_IRQ_SET_ACTION_TRIGGER, v->trigger_fd, 1);
	if (ret) {
		if (ret == -EBUSY)
			vfio_report_unshareable(v);
		else
			pt_err_ratelimited(pt, "enabling INTx: %s", strerror(-ret));
		return ret;
	}
	v->intx_on = true;
	ret = vfio_intx_set(v, VFIO_IRQ_SET_ACTION_MASK, -1, 1);
	if (ret)
		pt_err_ratelimited(pt, "masking INTx: %s", strerror(-ret));
	return ret;
}

/* Wires the claimed INTx to the guest GSI, now that the slot is known. */
static int vfio_enable_intx(struct pt_dev *pt)
{
	struct vfio_dev *v = to_vfio(pt);
	int ret;

	if (!v->intx_on) {
		ret = vfio_claim_intx(v);
		if (ret || !v->intx_on)
			return ret;
	}
	ret = vm__add_resample_irqfd(v->ctx->vm, pt->pci.gsi, v->trigger_fd, v->resample_fd);
	if (!ret) {
		v->irqfd_on = true;
		ret = vfio_intx_set(v, VFIO_IRQ_SET_ACTION_UNMASK, v->resample_fd, 1);
	}
	if (!ret)
		ret = vfio_intx_set(v, VFIO_IRQ_SET_ACTION_UNMASK, -1, 1);
	if (ret)
		pt_err_ratelimited(pt, "wiring INTx to GSI %u: %s", pt->pci.gsi, strerror(-ret));
	return ret;
}

static void vfio_disable_intx(struct vfio_dev *v)
{
	if (v->intx_on)
		vfio_intx_set(v, VFIO_IRQ_SET_ACTION_MASK, -1, 1);
	if (v->irqfd_on)
		vm__del_irqfd(v->ctx->vm, v->pt->pci.gsi, v->trigger_fd);
	if (v->intx_on) {
		/* count 0 with DATA_NONE tears the trigger down and frees the host IRQ. */
		vfio_intx_set(v, VFIO_IRQ_SET_ACTION_TRIGGER, -1, 0);
	}
	v->intx_on = v->irqfd_on = false;
	if (v->trigger_fd >= 0)
		close(v->trigger_fd);
	if (v->resample_fd >= 0)
		close(v->resample_fd);
	v->trigger_fd = v->resample_fd = -1;
}

/* ---- MSI and MSI-X (pt_msi.c and pt_msix.c decide and wire them to KVM) ---- */

static unsigned vfio_msi_index(enum pt_msi_kind kind)
{
	return kind == PT_MSIX ? VFIO_PCI_MSIX_IRQ_INDEX : VFIO_PCI_MSI_IRQ_INDEX;
}

/*
 * vfio-pci takes MSI or MSI-X only with INTx off (its irq_type must be
 * none), every vector at once (Linux 6.1 cannot add vectors to an enabled
 * MSI-X: QEMU disables and re-enables for more), each with its eventfd; it
 * programs the device's capability or table with the host's messages
 * itself. QEMU's vfio_msi_enable does the same steps.
 */
static int vfio_msi_enable(struct pt_dev *pt, enum pt_msi_kind kind, unsigned nr,
			   const int *efds)
{
	struct vfio_dev *v = to_vfio(pt);
	int ret;

	vfio_disable_intx(v);
	ret = vfio_irq_set_fds(v, vfio_msi_index(kind), efds, nr);
	if (ret)
		vfio_enable_intx(pt); /* as it was */
	else
		v->msi_on[kind] = true;
	return ret;
}

static void vfio_msi_disable(struct pt_dev *pt, enum pt_msi_kind kind, bool restore_intx)
{
	struct vfio_dev *v = to_vfio(pt);

	if (!v->msi_on[kind])
		return;
	vfio_irq_set(v, vfio_msi_index(kind), VFIO_IRQ_SET_ACTION_TRIGGER, -1, 0);
	v->msi_on[kind] = false;
	/* INTx as at start: claimed, irqfd, resample, and unmasked once more. */
	if (restore_intx && vfio_enable_intx(pt))
		pr_warn_ratelimited("%s: INTx could not be restored after %s: the guest gets no INTx from it",
				    pt->bdf, kind == PT_MSIX ? "MSI-X" : "MSI");
}

/* vfio-pci offers IRQ index for this device (GET_IRQ_INFO: at least one vector). */
static bool vfio_has_irqs(struct vfio_dev *v, unsigned index)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = index };

	return ioctl(v->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &info) == 0 && info.count >= 1;
}

/* ---- open / close ---- */

static void vfio_close(struct pt_dev *pt);
static int vfio_open(struct passthrough_ctx *ctx, struct pt_dev *pt);

const struct pt_backend_ops vfio_backend = {
	.name = "vfio",
	.open = vfio_open,
	.cfg_read = vfio_cfg_read,
	.cfg_write = vfio_cfg_write,
	.wait_dma = vfio_wait_dma,
	.enable_intx = vfio_enable_intx,
	.msi_enable = vfio_msi_enable,
	.msi_disable = vfio_msi_disable,
	.close = vfio_close,
};

static int vfio_open(struct passthrough_ctx *ctx, struct pt_dev *pt)
{
	struct vfio_dev *v = calloc(1, sizeof(*v));
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info cfg = { .argsz = sizeof(cfg), .index = VFIO_PCI_CONFIG_REGION_INDEX };
	uint8_t raw[PCI_CFG_SPACE_SIZE];
	uint16_t status;
	int ret, dma_fd;

	if (!v)
		return -ENOMEM;
	*v = (struct vfio_dev){ .ctx = ctx, .pt = pt, .device_fd = -1,
				.trigger_fd = -1, .resample_fd = -1 };
	for (unsigned i = 0; i < PCI_STD_NUM_BARS; i++) /* slot 0 is guest RAM: never "unmap" it */
		pt_bar__init(&v->bars[i]);
	v->rom.slot = -1;
	v->opener = &vfio_group_opener;
	v->device_fd = v->opener->open_device(ctx, pt, &v->open_handle, &dma_fd);
	if (v->device_fd < 0) {
		ret = v->device_fd;
		free(v);
		return ret;
	}
	pt->backend = &vfio_backend;
	pt->backend_priv = v;
	/* vfio-pci's open has enabled it: its INTx is ours now */
	pt__acquired(pt, v->device_fd, dma_fd);
	if (ioctl(v->device_fd, VFIO_DEVICE_GET_INFO, &info) < 0 ||
	    !(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    ioctl(v->device_fd, VFIO_DEVICE_GET_REGION_INFO, &cfg) < 0) {
		pt_err(pt, "VFIO does not present it as a PCI device");
		return -ENODEV;
	}
	v->cfg_offset = cfg.offset;
	/*
	 * A device a previous owner left asserting: vfio-pci's open has just
	 * unmasked it, and with no handler yet it holds the shared host line.
	 * Claim its INTx at once; any other device's at enable time, in the
	 * order QEMU's vfio-pci uses.
	 */
	if (pread(v->device_fd, &pt->pci.pin, 1, v->cfg_offset + PCI_INTERRUPT_PIN) != 1 ||
	    pread(v->device_fd, &status, 2, v->cfg_offset + PCI_STATUS) != 2) {
		pt_err(pt, "cannot read its configuration space through VFIO");
		return -EIO;
	}
	if (status & PCI_STATUS_INTERRUPT) {
		ret = vfio_claim_intx(v);
		if (ret)
			return ret;
	}
	/* Start from a clean device if it can be reset; edu-like devices cannot, quietly. */
	v->can_reset = info.flags & VFIO_DEVICE_FLAGS_RESET;
	if (v->can_reset && ioctl(v->device_fd, VFIO_DEVICE_RESET) < 0)
		pr_debug("%s: reset failed: %s", pt->bdf, strerror(errno));
	else
		pr_debug("%s: VFIO device open%s", pt->bdf, v->can_reset ? ", reset" : "");
	if (pread(v->device_fd, raw, sizeof(raw), v->cfg_offset) != sizeof(raw)) {
		pt_err(pt, "cannot read its configuration space through VFIO");
		return -EIO;
	}
	/* Left mastering the bus by its previous owner: it may DMA at any time. */
	if ((raw[PCI_COMMAND] & PCI_COMMAND_MASTER) && v->opener->wait_dma(ctx)) {
		return -EIO;
	}
	pt->msi_possible = vfio_has_irqs(v, VFIO_PCI_MSI_IRQ_INDEX);
	pt->msix_possible = !pt->msix_off && vfio_has_irqs(v, VFIO_PCI_MSIX_IRQ_INDEX);
	pt_config__setup(pt, raw);
	return vfio_setup_bars(v, raw);
}

static void vfio_close(struct pt_dev *pt)
{
	struct vfio_dev *v = to_vfio(pt);

	if (!v)
		return;
	vfio_msi_disable(pt, PT_MSI, false);
	vfio_msi_disable(pt, PT_MSIX, false);
	vfio_disable_intx(v);
	for (unsigned i = 0; i < PCI_STD_NUM_BARS; i++)
		pt_bar__release(&v->bars[i]);
	if (v->rom.slot >= 0)
		vm__unmap_slot(v->ctx->vm, v->rom.slot);
	if (v->rom.copy)
		munmap(v->rom.copy, v->rom.size);
	if (v->device_fd >= 0) {
		if (v->can_reset)
			ioctl(v->device_fd, VFIO_DEVICE_RESET);
		close(v->device_fd);
	}
	v->opener->release(v->ctx, v->open_handle);
	free(v);
	pt->backend_priv = NULL;
	pr_debug("%s: VFIO device released", pt->bdf);
}
