/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI PCI hot-plug on bus 0, as QEMU's PIIX4 machine and cloud-hypervisor
 * do it, and as Linux's acpiphp (CONFIG_HOTPLUG_PCI_ACPI, built into
 * Debian's kernels) drives it: every slot is a Device with _ADR, _SUN and
 * _EJ0; a general-purpose event (GPE0 bit 1, \_GPE._E01) runs PCNT, which
 * reads which slots came (PCIU) and which are to go (PCID) from
 * devices/pci_hotplug.c's registers and Notifies each slot: 1 (Device
 * Check: scan it) or 3 (Eject Request: release it, then _EJ0, which writes
 * the slot's bit to B0EJ). Why ACPI and not PCIe native hot-plug: it needs
 * no root port per slot, so a hot-added device sits on bus 0 like every
 * other, with its INTx swizzled onto the same GSIs (doc/api.md).
 */
#ifndef PCIVMM_ACPI_PCIHP_H
#define PCIVMM_ACPI_PCIHP_H

struct aml;

/* Inside \_SB.PCI0's Device: the slots, the registers and PCNT. */
void acpi_pcihp__slots(struct aml *a);
/* At the root: Scope(\_GPE) { Method(_E01) { \_SB.PCI0.PCNT } }. */
void acpi_pcihp__gpe(struct aml *a);

#endif
