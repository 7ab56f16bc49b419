/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI configuration registers: the kernel's uapi <linux/pci_regs.h>, plus
 * the few facts pcivmm needs that it does not spell. Never in the same file
 * as libpci's <pci/pci.h>, which defines the same names its own way.
 */
#ifndef PCIVMM_PCI_REGS_H
#define PCIVMM_PCI_REGS_H

#include <linux/pci_regs.h>

/* STATUS bits 15-11 and 8 (parity, aborts, SERR): write 1 to clear. */
#define PCI_STATUS_W1C 0xf900
/* Class code of a host bridge (base class 06, subclass 00); the kernel's is in pci_ids.h, not uapi. */
#define PCI_CLASS_BRIDGE_HOST 0x0600

#endif
