// SPDX-License-Identifier: GPL-2.0
/*
 * COMMAND and STATUS of a passed-through function: the one place where the
 * guest's view of INTx masking (PCI 2.3 6.2.2 INTX_DISABLE, 6.2.3 STATUS
 * INTERRUPT) becomes the device's and KVM's, for every access shape a guest
 * may use (byte at 4 or 5, word at 4, dword at 4 with STATUS, through
 * CF8/CFC or ECAM: pci_device__cfg_write hands us the whole register).
 *
 * The guest's COMMAND lives in our model (BAR decoding follows it); the
 * device's COMMAND gets the guest's bits, always written as one 16-bit
 * register (read-modify-write at offset 4), as Linux's pci_intx() and
 * vfio-pci write it. A device may only look at its INTx state when a write
 * covers byte 4 (QEMU 7.2's pci_default_write_config checks
 * range_covers_byte(addr, l, PCI_COMMAND)): a one-byte write at 5 passed on
 * as such flips INTX_DISABLE without updating the line, which is how a
 * uio-style guest once left a shared host line asserting with nobody to
 * handle it.
 *
 * INTX_DISABLE (the whole contract, for all three implementations, is in
 * devices/INTX-MASKING.md):
 *  - the guest reads back its own bit, never the device's: the kernel's
 *    interrupt handlers set the device's bit on every interrupt, and a
 *    guest shown that would never write its own mask (Linux's
 *    pci_check_and_mask_intx() writes only when the bit it reads differs);
 *  - a backend with set_intx_mask (kvm-assign: KVM_ASSIGN_SET_INTX_MASK)
 *    hears each change and the kernel owns the device's bit: it masks on
 *    demand when the device interrupts and unmasks at the guest's EOI, so
 *    we never write that bit (writing it on unmask races KVM's own re-raise
 *    of a still-pending interrupt and delivers it twice);
 *  - without one (VFIO) the config write is the message: the device gets
 *    the guest's bit and vfio-pci keeps it virtual (virq_disabled), masking
 *    and unmasking the device itself;
 *  - any other COMMAND write leaves the device's bit as the kernel set it.
 */
#include "pt.h"
#include "log.h"

#include <string.h>

uint32_t pt_command__guest_view(struct pt_dev *pt, uint32_t dev_dword)
{
	uint32_t guest = pci_config__read(&pt->pci.cfg, PCI_COMMAND, 2);
	uint32_t cmd = (dev_dword & 0xffff & ~PCI_COMMAND_INTX_DISABLE) |
		       (guest & PCI_COMMAND_INTX_DISABLE);
	uint32_t status = dev_dword >> 16;

	/* With every capability hidden the list is empty: STATUS must not claim one. */
	if (!pt->visible_caps)
		status &= ~PCI_STATUS_CAP_LIST;
	return cmd | status << 16;
}

/* One device read answers both registers, STATUS read live (never a stale INTERRUPT). */
static uint32_t pt_command_status_read(struct pci_device *dev, unsigned reg)
{
	struct pt_dev *pt = pt_from_pci(dev);
	uint32_t dev_dword;

	(void)reg;
	if (pt__cfg_read(pt, PCI_COMMAND, 4, &dev_dword))
		return 0xffffffff; /* a device that stopped answering reads as absent */
	return pt_command__guest_view(pt, dev_dword);
}

static void pt_command__write(struct pt_dev *pt, uint32_t val, uint32_t bytes, bool forward_intx,
		       bool as_guest_wrote)
{
	struct pci_config *model = &pt->pci.cfg;
	uint16_t old = pci_config__read(model, PCI_COMMAND, 2), guest;
	uint32_t dev_cmd, out;

	pci_config__write_bytes(model, PCI_COMMAND, 2, val, bytes);
	guest = pci_config__read(model, PCI_COMMAND, 2);
	if (pt__cfg_read(pt, PCI_COMMAND, 2, &dev_cmd))
		return; /* reported; without the device's bits the write is dropped */
	/* The guest's bytes over the device's; the device's own INTX_DISABLE. */
	out = (dev_cmd & ~bytes) | (val & bytes);
	out = (out & ~PCI_COMMAND_INTX_DISABLE) | (dev_cmd & PCI_COMMAND_INTX_DISABLE);
	if (forward_intx && ((old ^ guest) & PCI_COMMAND_INTX_DISABLE)) {
		bool masked = guest & PCI_COMMAND_INTX_DISABLE;
		int ret = 0;

		pci_intx_stats__guest_mask(&pt->pci.stats, masked);
		if (pt->backend->set_intx_mask)
			ret = pt->backend->set_intx_mask(pt, masked);
		if (ret)
			pr_warn_ratelimited("%s: telling the kernel the guest %s INTx failed: %s",
					    pt->pci.name, masked ? "masked" : "unmasked",
					    strerror(-ret));
		if (!pt->backend->set_intx_mask || as_guest_wrote)
			out = (out & ~PCI_COMMAND_INTX_DISABLE) | (guest & PCI_COMMAND_INTX_DISABLE);
	}
	/*
	 * The device masters the bus (DMA, and MSI, which is a memory write)
	 * only once guest RAM is mapped for it: a write leaving BUS_MASTER set
	 * waits for the mapping, and is dropped if there will be none.
	 */
	if ((out & PCI_COMMAND_MASTER) && pt->backend->wait_dma && pt->backend->wait_dma(pt))
		return;
	if (as_guest_wrote) {
		/* The old way: the guest's bytes and bit, at the guest's width. */
		unsigned off = bytes == 0xff00 ? 1 : 0, len = bytes == 0xffff ? 2 : 1;

		pt__cfg_write(pt, PCI_COMMAND + off, len, out >> (8 * off));
		return;
	}
	if (out != dev_cmd)
		pt__cfg_write(pt, PCI_COMMAND, 2, out);
}

/*
 * COMMAND's bytes as above; of STATUS only the write-one-to-clear error bits
 * the guest wrote as 1 reach the device, as one 16-bit write (INTERRUPT and
 * the other bits are read-only). A COMMAND write that comes as a dword with
 * STATUS 0 writes nothing to STATUS.
 */
void pt_command__write_dword(struct pt_dev *pt, uint32_t val, uint32_t bytes, bool forward_intx,
			     bool as_guest_wrote)
{
	uint32_t clear = (val >> 16) & (bytes >> 16) & PCI_STATUS_W1C;

	if (bytes & 0xffff)
		pt_command__write(pt, val & 0xffff, bytes & 0xffff, forward_intx, as_guest_wrote);
	if (clear)
		pt__cfg_write(pt, PCI_STATUS, 2, clear);
}

static void pt_command_status_write(struct pci_device *dev, unsigned reg, uint32_t val,
				    uint32_t bytes)
{
	(void)reg;
	pt_command__write_dword(pt_from_pci(dev), val, bytes, true, false);
}

/*
 * COMMAND and STATUS are one 4-byte register here: Linux's interrupt path
 * (pci_check_and_mask_intx) reads them as one dword, which is then one
 * device read (a syscall into vfio-pci or sysfs) instead of two; a word or
 * byte access costs the same one read as before.
 */
void pt_command__install(struct pt_dev *pt)
{
	static const struct pci_reg_handler command_status = {
		pt_command_status_read, pt_command_status_write
	};

	pci_device__set_reg_handler(&pt->pci, PCI_COMMAND, 4, &command_status);
}
