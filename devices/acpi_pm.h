/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI PM1a register blocks the FADT announces (vmm/boot/acpi.c), where
 * SeaBIOS puts QEMU q35's ICH9 PM block (base 0x600), ACPI 6.5 4.8.3.1:
 *  - PM1a_EVT 0x600: PM1_STS, where the one fixed event is the power
 *    button's PWRBTN_STS (bit 8, write-1-to-clear), and PM1_EN (kept:
 *    ACPICA enables the power button, global lock and RTC events and reads
 *    the enables back). While PWRBTN_STS and PWRBTN_EN are both set the
 *    SCI (GSI 9) is high, as ICH9's PM block drives it;
 *  - GPE0 0x620: GPE0_STS and GPE0_EN, 16 events each; bit 1 is PCI
 *    hot-plug (pci_hotplug.h), whose \_GPE._E01 the DSDT has. A pending
 *    enabled GPE raises the SCI as a fixed event does;
 *  - PM1a_CNT 0x604: SCI_EN reads 1 (the machine is in ACPI mode from the
 *    start: the FADT has no SMI_CMD); SLP_EN with SLP_TYP 0, the \_S5 the
 *    DSDT gives, powers off (exit status 0), as QEMU's S5 encoding.
 */
#ifndef PCIVMM_ACPI_PM_H
#define PCIVMM_ACPI_PM_H

#include <stdbool.h>

struct vm;
struct acpi_pm;

/* Claims the ports; *out (may be NULL) gets the block, for the power button. */
int acpi_pm__create(struct vm *vm, struct acpi_pm **out);

/*
 * A press of the fixed-feature power button: PWRBTN_STS set, and an SCI if
 * the guest enabled the event. -EAGAIN when it has not (the status is
 * latched all the same, as on hardware; a guest without an ACPI power
 * button driver never answers). Thread-safe.
 */
int acpi_pm__press_power_button(struct acpi_pm *pm);

/* Sets GPE0_STS bit (an SCI if the guest enabled it). Thread-safe. */
void acpi_pm__raise_gpe(struct acpi_pm *pm, unsigned bit);
/* The guest enabled GPE bit: its OSPM handles that event. */
bool acpi_pm__gpe_enabled(struct acpi_pm *pm, unsigned bit);

#endif
