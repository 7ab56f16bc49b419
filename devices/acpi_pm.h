/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI PM1a register blocks the FADT announces (vmm/boot/acpi.c), where
 * SeaBIOS puts QEMU q35's ICH9 PM block (base 0x600), ACPI 6.5 4.8.3.1:
 *  - PM1a_EVT 0x600: PM1_STS (no fixed event ever happens here: reads 0,
 *    write-1-to-clear changes nothing) and PM1_EN (kept: ACPICA enables the
 *    global lock and RTC events and reads the enables back);
 *  - PM1a_CNT 0x604: SCI_EN reads 1 (the machine is in ACPI mode from the
 *    start: the FADT has no SMI_CMD); SLP_EN with SLP_TYP 0, the \_S5 the
 *    DSDT gives, powers off (exit status 0), as QEMU's S5 encoding.
 */
#ifndef PCIVMM_ACPI_PM_H
#define PCIVMM_ACPI_PM_H

struct vm;

int acpi_pm__create(struct vm *vm);

#endif
