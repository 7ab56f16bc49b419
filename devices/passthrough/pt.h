/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A passed-through PCI function: the guest-visible pci_device, the host
 * device behind it and the backend (VFIO today) that reaches it. Private to
 * devices/passthrough/.
 */
#ifndef PCIVMM_PT_H
#define PCIVMM_PT_H

#include <stdint.h>

#include "../pci.h"
#include "passthrough.h"

struct vm;
struct pt_dev;

struct pt_backend_ops {
	const char *name;
	/* Raw access to the host device's configuration space. */
	int (*cfg_read)(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val);
	int (*cfg_write)(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val);
	/* Wires the device's INTx to pt->pci.gsi (after the slot is known). */
	int (*enable_intx)(struct pt_dev *pt);
	/* Undoes open and enable_intx; safe on a half-opened device. */
	void (*close)(struct pt_dev *pt);
};

/* Who answers each byte of the guest's view of config space. */
enum pt_owner {
	PT_PASSTHROUGH,  /* the device, read and written live */
	PT_READONLY,     /* the device, read live; writes dropped (IDs, class) */
	PT_EMULATED,     /* our model only (BARs, ROM, cap pointers, line/pin) */
	PT_MIRRORED,     /* read from the device, written to both (COMMAND) */
	PT_HIDDEN,       /* reads 0, writes dropped (MSI/MSI-X: INTx only) */
};

struct pt_dev {
	struct pci_device pci;
	struct vm *vm;
	char bdf[16];
	const struct pt_backend_ops *backend;
	void *backend_priv;
	uint8_t owner[PCI_CFG_SIZE];
	unsigned hidden_caps;
	unsigned visible_caps;
	enum passthrough_fault fault;
	uint16_t stale_status; /* PT_FAULT_STALE_STATUS's copy */
};

/*
 * Builds the guest's view from a snapshot of the device's config space:
 * IDs, class, STATUS and visible capabilities pass through, COMMAND is
 * mirrored (so BAR decoding follows it), BARs/ROM/interrupt line are
 * emulated and MSI/MSI-X are hidden with the capability list re-linked
 * around them. BARs themselves are declared by the backend afterwards.
 */
void pt_config__setup(struct pt_dev *pt, const uint8_t raw[PCI_CFG_SIZE]);

/* pci_device_ops.cfg_read / cfg_write of every passthrough device. */
uint32_t pt_config__read(struct pci_device *dev, unsigned off, unsigned len);
void pt_config__write(struct pci_device *dev, unsigned off, unsigned len, uint32_t val);

#endif
