// SPDX-License-Identifier: GPL-2.0
/*
 * Config-space virtualization for passthrough devices, as a per-byte owner
 * table (after bhyve's pci_passthru): each byte is answered by the device,
 * by our model, by both, or by nobody. MSI, where the backend delivers it,
 * is our model's (pt_msi.c); MSI-X is hidden. STATUS and COMMAND are read live from
 * the device, so STATUS.INTERRUPT is never a stale copy. A backend whose writes
 * reach the device raw gets vfio-pci's permissions on top (pt_perm.c).
 */
#include "pt.h"
#include "log.h"

#include <stddef.h>
#include <string.h>

#define PCI_CAP_WALK_MAX 48

/* Bytes an MSI capability occupies, from its flags (PCI 3.0 6.8.1). */
static unsigned msi_cap_size(uint16_t flags)
{
	unsigned size = 10;

	if (flags & PCI_MSI_FLAGS_64BIT)
		size += 4;
	if (flags & PCI_MSI_FLAGS_MASKBIT)
		size += 10;
	return size;
}

static void pt_config_caps(struct pt_dev *pt, const uint8_t *raw)
{
	uint8_t visible[PCI_CAP_WALK_MAX];
	unsigned nr_visible = 0, walked = 0;
	struct pci_config *c = &pt->pci.cfg;
	bool seen[PCI_CFG_SPACE_SIZE] = { false };

	if (raw[PCI_STATUS] & PCI_STATUS_CAP_LIST) {
		for (unsigned p = raw[PCI_CAPABILITY_LIST] & ~3u; p >= PCI_STD_HEADER_SIZEOF &&
		     p < PCI_CFG_SPACE_SIZE - 1 && walked < PCI_CAP_WALK_MAX; p = raw[p + 1] & ~3u, walked++) {
			uint8_t id = raw[p];
			uint16_t flags = raw[p + 2] | raw[p + 3] << 8;

			/* A chain that loops (a broken or hostile device) ends where it repeats. */
			if (seen[p])
				break;
			seen[p] = true;
			/* The first MSI and MSI-X capabilities are offered; any second one is hidden. */
			if (id == PCI_CAP_ID_MSI && pt->msi_possible && !pt->msi.cap) {
				pt_config__own(pt, p, msi_cap_size(flags), PT_HIDDEN);
				pt_config__own(pt, p, pt_msi__setup(pt, p, flags), PT_EMULATED);
				visible[nr_visible++] = p;
			} else if (id == PCI_CAP_ID_MSI) {
				pt_config__own(pt, p, msi_cap_size(flags), PT_HIDDEN);
				pt->hidden_caps++;
			} else if (id == PCI_CAP_ID_MSIX && pt->msix_possible && !pt->msix.cap &&
				   pt_msix__setup(pt, p, raw)) {
				pt_config__own(pt, p, PCI_CAP_MSIX_SIZEOF, PT_EMULATED);
				visible[nr_visible++] = p;
			} else if (id == PCI_CAP_ID_MSIX) {
				pt_config__own(pt, p, PCI_CAP_MSIX_SIZEOF, PT_HIDDEN);
				pt->hidden_caps++;
			} else if (pt->backend->raw_config && !pt_perm__protect_cap(pt, raw, p)) {
				pt->hidden_caps++;
			} else {
				visible[nr_visible++] = p;
			}
		}
	}
	pt->visible_caps = nr_visible;
	/* Re-link the visible capabilities: emulated pointers skip the hidden ones. */
	pt_config__own(pt, PCI_CAPABILITY_LIST, 1, PT_EMULATED);
	pci_config__set(c, PCI_CAPABILITY_LIST, 1, nr_visible ? visible[0] : 0);
	for (unsigned i = 0; i < nr_visible; i++) {
		pt_config__own(pt, visible[i] + 1, 1, PT_EMULATED);
		pci_config__set(c, visible[i] + 1, 1, i + 1 < nr_visible ? visible[i + 1] : 0);
	}
}

static const struct pci_device_ops pt_pci_ops = {
	.cfg_read = pt_config__read,
	.cfg_write = pt_config__write,
	.ext_cfg_read = pt_ext_config__read,
};

void pt_config__setup(struct pt_dev *pt, const uint8_t raw[PCI_CFG_SPACE_SIZE])
{
	pci_device__init(&pt->pci, &pt_pci_ops, raw[0] | raw[1] << 8, raw[2] | raw[3] << 8,
			 raw[PCI_CLASS_PROG] | raw[PCI_CLASS_DEVICE] << 8 |
			 raw[PCI_CLASS_DEVICE + 1] << 16,
			 raw[PCI_REVISION_ID], raw[PCI_INTERRUPT_PIN]);
	memset(pt->owner, PT_PASSTHROUGH, sizeof(pt->owner));
	/* Identity is the device's, and not the guest's to change (nor BIST to start). */
	pt_config__own(pt, PCI_VENDOR_ID, 4, PT_READONLY);
	pt_config__own(pt, PCI_REVISION_ID, 4, PT_READONLY);
	pt_config__own(pt, PCI_HEADER_TYPE, 2, PT_READONLY);
	pt_config__own(pt, PCI_SUBSYSTEM_VENDOR_ID, 4, PT_READONLY);
	pt_config__own(pt, PCI_INTERRUPT_PIN + 1, 2, PT_READONLY); /* min grant, max latency */
	pt_config__own(pt, PCI_COMMAND, 4, PT_EMULATED); /* answered by pt_command.c's handlers */
	pt_config__own(pt, PCI_BASE_ADDRESS_0, 4 * PCI_STD_NUM_BARS, PT_EMULATED);
	/* The ROM BAR reads 0 unless the backend adds the ROM. */
	pt_config__own(pt, PCI_ROM_ADDRESS, 4, PT_EMULATED);
	pt_config__own(pt, PCI_INTERRUPT_LINE, 2, PT_EMULATED);
	pt_config_caps(pt, raw);
	pt_ext_config__setup(pt);
	pt_command__install(pt);
}

/* True if any byte of [off, off+len) is read from the device. */
static bool pt_reads_device(const struct pt_dev *pt, unsigned off, unsigned len)
{
	for (unsigned i = off; i < off + len; i++)
		if (pt->owner[i] == PT_PASSTHROUGH || pt->owner[i] == PT_READONLY)
			return true;
	return false;
}

uint32_t pt_config__read(struct pci_device *dev, unsigned off, unsigned len)
{
	struct pt_dev *pt = pt_from_pci(dev);
	uint32_t from_dev = 0xffffffff, from_model, val = 0;

	if (pt_reads_device(pt, off, len))
		pt__cfg_read(pt, off, len, &from_dev); /* all ones if it stopped answering */
	from_model = pci_config__read(&dev->cfg, off, len);
	for (unsigned i = 0; i < len; i++) {
		uint32_t byte;

		switch (pt->owner[off + i]) {
		case PT_PASSTHROUGH:
		case PT_READONLY:
			byte = (from_dev >> (8 * i)) & 0xff;
			break;
		case PT_EMULATED:
			byte = (from_model >> (8 * i)) & 0xff;
			break;
		default:
			byte = 0;
			break;
		}
		val |= byte << (8 * i);
	}
	return val;
}

void pt_config__write(struct pci_device *dev, unsigned off, unsigned len, uint32_t val)
{
	struct pt_dev *pt = pt_from_pci(dev);
	bool all_to_dev = true;

	for (unsigned i = 0; i < len; i++) {
		enum pt_owner o = pt->owner[off + i];

		if (o == PT_EMULATED)
			pci_config__write(&dev->cfg, off + i, 1, (val >> (8 * i)) & 0xff);
		if (o != PT_PASSTHROUGH)
			all_to_dev = false;
	}
	if (all_to_dev) {
		pt__cfg_write(pt, off, len, val);
		return;
	}
	for (unsigned i = 0; i < len; i++) {
		if (pt->owner[off + i] == PT_PASSTHROUGH)
			pt__cfg_write(pt, off + i, 1, (val >> (8 * i)) & 0xff);
	}
	/* The MSI capability's flags, address and data (its first 14 bytes at most). */
	if (pt->msi.cap && off < pt->msi.cap + 14 && off + len > pt->msi.cap)
		pt_msi__update(pt);
	/* MSI-X's Message Control. */
	if (pt->msix.cap && off < pt->msix.cap + 4 && off + len > pt->msix.cap + 2)
		pt_msix__update(pt);
}
