// SPDX-License-Identifier: GPL-2.0
/*
 * Config-space permissions of a passed-through function whose backend
 * writes the guest's config accesses to the device raw (kvm-assign: sysfs
 * "config", pt_backend_ops.raw_config). They are vfio-pci's, from its
 * config virtualization in the kernel (drivers/vfio/pci/vfio_pci_config.c,
 * init_pci_cap_*_perm and their write handlers), which VFIO devices get
 * from the kernel already, so that such a guest can neither reset nor
 * power down the real function nor change what the host's fabric set up
 * for it:
 *  - PCI Express (PCIe 6.0 7.5.3): Device Control and Device Control 2 are
 *    writable except as below; every other register of the capability
 *    (Link, Slot and Root Control and Status, Link Control 2...) is
 *    read-only: the guest reads the device's, its writes are dropped.
 *    In Device Control, Max_Payload_Size is the guest's own (it reads back
 *    what it wrote; the device keeps the host's, chosen for the whole
 *    hierarchy), Max_Read_Request_Size follows the guest's but never below
 *    the device's MPS, Phantom Functions Enable keeps the host's (it
 *    widens the requester IDs the IOMMU must know) and Initiate Function
 *    Level Reset is dropped: vfio-pci turns it into a proper reset, this
 *    backend has none, and a reset would also clear the INTX_DISABLE the
 *    kernel owns (devices/INTX-MASKING.md). In Device Control 2, ARI
 *    Forwarding Enable keeps the host's (set at enumeration).
 *  - Advanced Features (PCI AF ECN): AF Control, whose one bit is
 *    Initiate FLR, is read-only.
 *  - Power Management Control/Status (PCI PM 1.2 3.2.4) is our model's:
 *    the guest reads back the power state and PME_En it wrote, and PME
 *    Status clears when it writes 1, while the device stays in D0 (QEMU's
 *    vfio emulates the power state bits the same way).
 *  - A vendor-specific capability is written raw, as vfio-pci does
 *    (vfio_raw_config_write: drivers talk to their device through it, e.g.
 *    virtio's PCI configuration access capability).
 *  - VPD is hidden: vfio-pci serves it through the kernel's VPD access
 *    (pci_read_vpd/pci_write_vpd: bounded to the VPD's size, quirked
 *    devices refused, function N sent to function 0 where they share one
 *    VPD engine, serialized with the host's own readers), which raw writes
 *    of its address register would bypass.
 *  - PCI-X: only the PCI-X Command register is writable.
 *  - AGP, HyperTransport and SATA capabilities are read-only, as vfio-pci
 *    keeps every capability it has no rules for.
 *  - Every other capability (vfio-pci's pci_cap_length 0: Slot ID,
 *    CompactPCI hot swap and CRC, Debug port, SHPC, bridge subsystem IDs,
 *    AGP 8x, Secure Device, Enhanced Allocation and any newer ID) is taken
 *    out of the guest's list, its body read-only up to the next capability.
 * Cache Line Size and Latency Timer in the header go through (vfio-pci's
 * init_pci_cap_basic_perm): the owner table leaves them to the device.
 */
#include "pt.h"

/* Device Control bits that reach the device as the guest wrote them. */
#define DEVCTL_TO_DEVICE ((uint16_t)~(PCI_EXP_DEVCTL_PAYLOAD | PCI_EXP_DEVCTL_READRQ | \
				      PCI_EXP_DEVCTL_PHANTOM | PCI_EXP_DEVCTL_BCR_FLR))
/* Device Control bits that are the guest's own, kept in our model. */
#define DEVCTL_GUEST_OWN (PCI_EXP_DEVCTL_PAYLOAD | PCI_EXP_DEVCTL_READRQ)
/* The largest Max_Read_Request_Size encoding (5: 4096 bytes; 6 and 7 are reserved). */
#define DEVCTL_READRQ_MAX 5

/* Bytes of the PCI Express capability, by version: through Root Status (v1), Slot Control 2 (v2). */
static unsigned exp_cap_size(uint16_t flags)
{
	return (flags & PCI_EXP_FLAGS_VERS) >= 2 ? PCI_EXP_SLTCTL2 + 4 : PCI_EXP_RTSTA + 4;
}

/*
 * The device's Max_Read_Request_Size for the guest's (encodings: 128 << n
 * bytes), as vfio_exp_config_write sets it: the guest's, but at least the
 * device's Max_Payload_Size (pcie_get_mps) so that reads still complete in
 * full TLPs; a reserved encoding leaves the device's as it is, since
 * pcie_set_readrq refuses more than 4096 bytes.
 */
static uint16_t devctl_readrq(uint16_t guest, uint16_t dev)
{
	unsigned rq = (guest & PCI_EXP_DEVCTL_READRQ) >> 12;
	unsigned mps = (dev & PCI_EXP_DEVCTL_PAYLOAD) >> 5;

	if (rq > DEVCTL_READRQ_MAX)
		return dev & PCI_EXP_DEVCTL_READRQ;
	return (rq > mps ? rq : mps) << 12;
}

/* The device's Device Control with the guest's own MPS and MRRS over it; FLR reads 0. */
static uint32_t devctl_read(struct pci_device *dev, unsigned reg)
{
	struct pt_dev *pt = pt_from_pci(dev);
	uint32_t v;

	if (pt__cfg_read(pt, reg, 2, &v))
		return 0xffff; /* a device that stopped answering reads as absent */
	return (v & ~(DEVCTL_GUEST_OWN | PCI_EXP_DEVCTL_BCR_FLR)) |
	       (pci_config__read(&dev->cfg, reg, 2) & DEVCTL_GUEST_OWN);
}

static void devctl_write(struct pci_device *dev, unsigned reg, uint32_t val, uint32_t bytes)
{
	struct pt_dev *pt = pt_from_pci(dev);
	uint16_t old = pci_config__read(&dev->cfg, reg, 2), guest;
	uint32_t to_dev = DEVCTL_TO_DEVICE & bytes, dev_val, out;

	pci_config__write_bytes(&dev->cfg, reg, 2, val, bytes);
	guest = pci_config__read(&dev->cfg, reg, 2);
	if (pt__cfg_read(pt, reg, 2, &dev_val))
		return; /* reported; without the device's bits the write is dropped */
	out = (dev_val & ~to_dev) | (val & to_dev);
	/* FLR always reads 0 (PCIe 6.0 7.5.3.4); never write back a 1 a broken device shows. */
	out &= ~PCI_EXP_DEVCTL_BCR_FLR;
	if ((old ^ guest) & PCI_EXP_DEVCTL_READRQ)
		out = (out & ~PCI_EXP_DEVCTL_READRQ) | devctl_readrq(guest, dev_val);
	if (out != dev_val)
		pt__cfg_write(pt, reg, 2, out);
}

/* Device Control 2: all but ARI Forwarding Enable, which keeps the device's value. */
static void devctl2_write(struct pci_device *dev, unsigned reg, uint32_t val, uint32_t bytes)
{
	struct pt_dev *pt = pt_from_pci(dev);
	uint32_t to_dev = ~PCI_EXP_DEVCTL2_ARI & bytes & 0xffff, dev_val, out;

	if (pt__cfg_read(pt, reg, 2, &dev_val))
		return;
	out = (dev_val & ~to_dev) | (val & to_dev);
	if (out != dev_val)
		pt__cfg_write(pt, reg, 2, out);
}

static void pt_perm_exp(struct pt_dev *pt, const uint8_t *raw, unsigned p)
{
	static const struct pci_reg_handler devctl = { devctl_read, devctl_write };
	static const struct pci_reg_handler devctl2 = { NULL, devctl2_write };
	struct pci_config *c = &pt->pci.cfg;
	unsigned size = exp_cap_size(raw[p + 2] | raw[p + 3] << 8);

	/* Read-only, save what an earlier capability's rules own (a device packing one inside). */
	for (unsigned i = p + 2; i < p + size && i < PCI_CFG_SPACE_SIZE; i++)
		if (pt->owner[i] == PT_PASSTHROUGH)
			pt->owner[i] = PT_READONLY;
	if (p + PCI_EXP_DEVCTL + 2 <= PCI_CFG_SPACE_SIZE) {
		pci_config__set(c, p + PCI_EXP_DEVCTL, 2,
				(raw[p + PCI_EXP_DEVCTL] | raw[p + PCI_EXP_DEVCTL + 1] << 8) &
					DEVCTL_GUEST_OWN);
		pci_config__set_wmask(c, p + PCI_EXP_DEVCTL, 2, DEVCTL_GUEST_OWN);
		pci_device__set_reg_handler(&pt->pci, p + PCI_EXP_DEVCTL, 2, &devctl);
	}
	if (size > PCI_EXP_DEVCTL2 && p + PCI_EXP_DEVCTL2 + 2 <= PCI_CFG_SPACE_SIZE)
		pci_device__set_reg_handler(&pt->pci, p + PCI_EXP_DEVCTL2, 2, &devctl2);
}

static void pt_perm_pm(struct pt_dev *pt, const uint8_t *raw, unsigned p)
{
	struct pci_config *c = &pt->pci.cfg;

	if (p + PCI_PM_CTRL + 1 >= PCI_CFG_SPACE_SIZE)
		return;
	pt_config__own(pt, p + PCI_PM_CTRL, 2, PT_EMULATED);
	pci_config__set(c, p + PCI_PM_CTRL, 2,
			(raw[p + PCI_PM_CTRL] | raw[p + PCI_PM_CTRL + 1] << 8) &
				~(PCI_PM_CTRL_STATE_MASK | PCI_PM_CTRL_PME_STATUS));
	pci_config__set_wmask(c, p + PCI_PM_CTRL, 2,
			      PCI_PM_CTRL_STATE_MASK | PCI_PM_CTRL_PME_ENABLE);
	pci_config__set_w1cmask(c, p + PCI_PM_CTRL, 2, PCI_PM_CTRL_PME_STATUS);
}

/*
 * Bytes from p to the nearest capability above it in the device's list (or
 * the end of the header's config space): where a capability whose layout we
 * do not know can end at most.
 */
static unsigned cap_extent(const uint8_t *raw, unsigned p)
{
	unsigned end = PCI_CFG_SPACE_SIZE, q = raw[PCI_CAPABILITY_LIST] & ~3u;

	for (unsigned walked = 0; q >= PCI_STD_HEADER_SIZEOF && q < PCI_CFG_SPACE_SIZE - 1 &&
	     walked < PCI_CFG_SPACE_SIZE / 4; q = raw[q + 1] & ~3u, walked++)
		if (q > p && q < end)
			end = q;
	return end - p;
}

/* The body after ID and next pointer read-only, for len bytes at most to the next capability. */
static void cap_body_readonly(struct pt_dev *pt, const uint8_t *raw, unsigned p, unsigned len)
{
	unsigned extent = cap_extent(raw, p);

	if (len > extent)
		len = extent;
	if (len > 2)
		pt_config__own(pt, p + 2, len - 2, PT_READONLY);
}

/* vfio_cap_len's sizes for the read-only capabilities it shows. */
static unsigned cap_size(const uint8_t *raw, unsigned p)
{
	switch (raw[p]) {
	case PCI_CAP_ID_AGP:
		return PCI_AGP_SIZEOF;
	case PCI_CAP_ID_HT:
		return (raw[p + 3] & HT_3BIT_CAP_MASK) ? HT_CAP_SIZEOF_SHORT : HT_CAP_SIZEOF_LONG;
	case PCI_CAP_ID_SATA:
		if (p + PCI_SATA_REGS >= PCI_CFG_SPACE_SIZE)
			return PCI_SATA_SIZEOF_SHORT; /* a capability at 0xfc: its body is past the end */
		return (raw[p + PCI_SATA_REGS] & PCI_SATA_REGS_MASK) == PCI_SATA_REGS_INLINE ?
			       PCI_SATA_SIZEOF_LONG : PCI_SATA_SIZEOF_SHORT;
	}
	return PCI_CFG_SPACE_SIZE; /* to the next capability */
}

bool pt_perm__protect_cap(struct pt_dev *pt, const uint8_t *raw, unsigned p)
{
	switch (raw[p]) {
	case PCI_CAP_ID_EXP:
		pt_perm_exp(pt, raw, p);
		return true;
	case PCI_CAP_ID_AF:
		pt_config__own(pt, p + PCI_AF_CTRL, 1, PT_READONLY);
		return true;
	case PCI_CAP_ID_PM:
		pt_perm_pm(pt, raw, p);
		return true;
	case PCI_CAP_ID_VNDR:
		return true;
	case PCI_CAP_ID_PCIX: {
		/*
		 * Command (2 bytes at 2) as it was (writable unless an overlapping
		 * capability's rule said otherwise); Status and the version 2
		 * registers read-only.
		 */
		uint8_t cmd[2] = { pt->owner[p + PCI_X_CMD], pt->owner[p + PCI_X_CMD + 1] };

		cap_body_readonly(pt, raw, p, PCI_CAP_PCIX_SIZEOF_V2);
		pt->owner[p + PCI_X_CMD] = cmd[0];
		pt->owner[p + PCI_X_CMD + 1] = cmd[1];
		return true;
	}
	case PCI_CAP_ID_AGP:
	case PCI_CAP_ID_HT:
	case PCI_CAP_ID_SATA:
		cap_body_readonly(pt, raw, p, cap_size(raw, p));
		return true;
	}
	pt_config__own(pt, p, 2, PT_HIDDEN);
	cap_body_readonly(pt, raw, p, cap_size(raw, p));
	return false;
}
