// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate breakage of a passed-through device (--passthrough
 * BDF,fault=NAME), to prove the tests catch what they claim to. Each fault
 * is a wrapper around pt_command.c's COMMAND+STATUS handler, installed
 * only when asked for; the production path has no fault checks.
 *   local-intx-disable  INTX_DISABLE kept in our model, never sent to the
 *                       device or KVM (the kernel keeps the line live)
 *   stale-status        STATUS is a copy refreshed only on COMMAND writes
 *                       (kvmtool's cached header)
 *   byte-command        the guest's COMMAND bytes, INTX_DISABLE included,
 *                       reach the device at the guest's width (pcivmm
 *                       before the register handlers: a byte write at 5
 *                       stays a byte write at 5)
 */
#include "pt.h"

#include <stddef.h>

static void local_intx_command_write(struct pci_device *dev, unsigned reg, uint32_t val,
				     uint32_t bytes)
{
	(void)reg;
	pt_command__write_dword(pt_from_pci(dev), val, bytes, false, false);
}

static void byte_command_write(struct pci_device *dev, unsigned reg, uint32_t val,
			       uint32_t bytes)
{
	(void)reg;
	pt_command__write_dword(pt_from_pci(dev), val, bytes, true, true);
}

static void stale_status_command_write(struct pci_device *dev, unsigned reg, uint32_t val,
				       uint32_t bytes)
{
	struct pt_dev *pt = pt_from_pci(dev);
	uint32_t st;

	if ((bytes & 0xffff) && !pt__cfg_read(pt, PCI_STATUS, 2, &st))
		pt->stale_status = st;
	(void)reg;
	pt_command__write_dword(pt, val, bytes, true, false);
}

/* COMMAND read live, STATUS from the copy. */
static uint32_t stale_status_read(struct pci_device *dev, unsigned reg)
{
	struct pt_dev *pt = pt_from_pci(dev);
	uint32_t cmd;

	(void)reg;
	if (pt__cfg_read(pt, PCI_COMMAND, 2, &cmd))
		cmd = 0xffff;
	return pt_command__guest_view(pt, cmd | (uint32_t)pt->stale_status << 16);
}

void pt_faults__install(struct pt_dev *pt)
{
	struct pci_reg_handler command = *pci_device__reg_handler(&pt->pci, PCI_COMMAND);

	switch (pt->fault) {
	case PT_FAULT_LOCAL_INTX_DISABLE:
		command.write = local_intx_command_write;
		break;
	case PT_FAULT_BYTE_COMMAND:
		command.write = byte_command_write;
		break;
	case PT_FAULT_STALE_STATUS:
		command.write = stale_status_command_write;
		command.read = stale_status_read;
		break;
	default:
		return;
	}
	pci_device__set_reg_handler(&pt->pci, PCI_COMMAND, 4, &command);
}
