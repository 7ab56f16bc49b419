// SPDX-License-Identifier: GPL-2.0
/*
 * The extended (PCIe) configuration space of a passed-through function,
 * 0x100-0xfff, reached through ECAM only. The guest sees the device's
 * extended capabilities that describe the function itself - Advanced Error
 * Reporting, Device Serial Number, vendor-specific (VSEC, DVSEC), Power
 * Budgeting - read live; the others are about the host's fabric, IOMMU or
 * other functions (SR-IOV, ATS, PRI, PASID, ACS, resizable BAR, LTR, L1
 * substates, DPC...) and are unlinked from the chain and read as 0, as
 * QEMU's vfio-pci hides them. A hidden first capability leaves a null
 * header (ID 0) at 0x100 that links to the first visible one. The space is
 * read-only to the guest: its writes are dropped.
 */
#include "pt.h"

#include <string.h>

static bool ext_cap_visible(uint16_t id)
{
	switch (id) {
	case PCI_EXT_CAP_ID_ERR:
	case PCI_EXT_CAP_ID_DSN:
	case PCI_EXT_CAP_ID_PWR:
	case PCI_EXT_CAP_ID_VNDR:
	case PCI_EXT_CAP_ID_DVSEC:
		return true;
	default:
		return false;
	}
}

/* The bytes capability id at off may span: up to the next capability in address order. */
static unsigned ext_cap_end(const uint16_t *starts, unsigned n, unsigned off)
{
	unsigned end = PCI_CFG_SPACE_EXP_SIZE;

	for (unsigned i = 0; i < n; i++)
		if (starts[i] > off && starts[i] < end)
			end = starts[i];
	return end;
}

void pt_ext_config__setup(struct pt_dev *pt)
{
	struct pt_ext *e = &pt->ext;
	uint16_t starts[PT_EXT_CAPS_MAX], ids[PT_EXT_CAPS_MAX], visible[PT_EXT_CAPS_MAX];
	unsigned n = 0, nv = 0;
	bool seen[PCI_CFG_SPACE_EXP_SIZE / 4] = { false };
	uint32_t hdr;

	memset(e, 0, sizeof(*e));
	/* A conventional function (or an access that fails) has no extended space. */
	if (pt->backend->cfg_read(pt, PCI_CFG_SPACE_SIZE, 4, &hdr) || hdr == 0 || hdr == 0xffffffff)
		return;
	for (unsigned off = PCI_CFG_SPACE_SIZE; off >= PCI_CFG_SPACE_SIZE && n < PT_EXT_CAPS_MAX;
	     off = PCI_EXT_CAP_NEXT(hdr)) {
		if (seen[off / 4] || pt->backend->cfg_read(pt, off, 4, &hdr) || hdr == 0xffffffff)
			break; /* a loop, or a device that stopped answering */
		seen[off / 4] = true;
		starts[n] = off;
		ids[n++] = PCI_EXT_CAP_ID(hdr);
		if (!PCI_EXT_CAP_NEXT(hdr))
			break;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned end = ext_cap_end(starts, n, starts[i]);

		if (!ext_cap_visible(ids[i]))
			continue;
		visible[nv++] = i;
		for (unsigned d = starts[i] / 4; d < end / 4; d++)
			e->live[d / 32] |= 1u << (d % 32);
	}
	e->present = true;
	/* Headers: each visible one linked to the next visible; 0x100 starts the chain. */
	for (unsigned k = 0; k < nv; k++) {
		unsigned i = visible[k];
		uint32_t next = k + 1 < nv ? starts[visible[k + 1]] : 0;

		pt->backend->cfg_read(pt, starts[i], 4, &hdr);
		e->hdr[e->nr_hdr].off = starts[i];
		e->hdr[e->nr_hdr++].val = (hdr & 0x000fffff) | next << 20;
	}
	if (!nv || starts[visible[0]] != PCI_CFG_SPACE_SIZE) {
		/* A null capability (ID 0, version 0) at 0x100 that leads to the first visible one. */
		e->hdr[e->nr_hdr].off = PCI_CFG_SPACE_SIZE;
		e->hdr[e->nr_hdr++].val = nv ? (uint32_t)starts[visible[0]] << 20 : 0;
		e->live[PCI_CFG_SPACE_SIZE / 4 / 32] &= ~(1u << (PCI_CFG_SPACE_SIZE / 4 % 32));
	}
	e->hidden = n - nv;
}

uint32_t pt_ext_config__read(struct pci_device *dev, unsigned off, unsigned len)
{
	struct pt_dev *pt = pt_from_pci(dev);
	struct pt_ext *e = &pt->ext;
	unsigned dword = off & ~3u, shift = 8 * (off & 3);
	uint32_t val = 0;

	if (!e->present)
		return 0;
	for (unsigned i = 0; i < e->nr_hdr; i++)
		if (e->hdr[i].off == dword)
			return (e->hdr[i].val >> shift) & (len == 4 ? 0xffffffff : (1u << (8 * len)) - 1);
	if (!(e->live[dword / 4 / 32] & (1u << (dword / 4 % 32))))
		return 0;
	pt__cfg_read(pt, off, len, &val); /* all ones if it stopped answering */
	return val;
}
