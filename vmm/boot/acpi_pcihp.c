// SPDX-License-Identifier: GPL-2.0
#include "acpi_pcihp.h"
#include "aml.h"
#include "layout.h"

#include <stdio.h>

/* Slot 0 is the host bridge; devices go in 1-31 (devices/pci.h). */
#define PCIHP_FIRST_SLOT 1
#define PCIHP_LAST_SLOT 31

/* Notify values (ACPI 6.5 5.6.6, table 5.166). */
#define ACPI_NOTIFY_DEVICE_CHECK 1
#define ACPI_NOTIFY_EJECT_REQUEST 3

static void slot_name(char name[5], unsigned slot)
{
	snprintf(name, 5, "S%02X_", slot);
}

/* Device(Sxx_) { Name(_ADR, slot << 16) Name(_SUN, slot) Method(_EJ0, 1) { Store(bit, B0EJ) } } */
static void pcihp_slot(struct aml *a, unsigned slot)
{
	char name[5];
	size_t dev, ej0;

	slot_name(name, slot);
	dev = aml__device_open(a, name);
	aml__name_op(a, "_ADR");
	aml__integer(a, (uint64_t)slot << 16); /* function 0 */
	aml__name_op(a, "_SUN");
	aml__integer(a, slot);
	ej0 = aml__method_open(a, "_EJ0", 1);
	aml__op(a, AML_STORE_OP);
	aml__integer(a, 1ULL << slot);
	aml__name(a, "B0EJ");
	aml__close(a, ej0);
	aml__close(a, dev);
}

/* If (And(LocalN, bit, Zero)) { Notify(Sxx_, value) } */
static void pcnt_notify(struct aml *a, unsigned local, unsigned slot, unsigned value)
{
	char name[5];
	size_t cond = aml__if_open(a);

	slot_name(name, slot);
	aml__op(a, AML_AND_OP);
	aml__op(a, AML_LOCAL_OP(local));
	aml__integer(a, 1ULL << slot);
	aml__op(a, AML_NULL_NAME);
	aml__op(a, AML_NOTIFY_OP);
	aml__name(a, name);
	aml__integer(a, value);
	aml__close(a, cond);
}

void acpi_pcihp__slots(struct aml *a)
{
	static const char *const regs[] = { "PCIU", "PCID", "B0EJ" };
	size_t pcnt;

	aml__io_region(a, "PCST", PCI_HOTPLUG_PORT, PCI_HOTPLUG_LEN);
	aml__dword_fields(a, "PCST", regs, 3);
	for (unsigned slot = PCIHP_FIRST_SLOT; slot <= PCIHP_LAST_SLOT; slot++)
		pcihp_slot(a, slot);

	/* Method(PCNT) { Store(PCIU, Local0) Store(PCID, Local1) ...one If per slot and event... } */
	pcnt = aml__method_open(a, "PCNT", 0);
	aml__op(a, AML_STORE_OP);
	aml__name(a, "PCIU"); /* reading PCIU clears it (pci_hotplug.c) */
	aml__op(a, AML_LOCAL_OP(0));
	aml__op(a, AML_STORE_OP);
	aml__name(a, "PCID");
	aml__op(a, AML_LOCAL_OP(1));
	for (unsigned slot = PCIHP_FIRST_SLOT; slot <= PCIHP_LAST_SLOT; slot++) {
		pcnt_notify(a, 0, slot, ACPI_NOTIFY_DEVICE_CHECK);
		pcnt_notify(a, 1, slot, ACPI_NOTIFY_EJECT_REQUEST);
	}
	aml__close(a, pcnt);
}

void acpi_pcihp__gpe(struct aml *a)
{
	char method[5];
	size_t scope, e;

	snprintf(method, sizeof(method), "_E%02X", ACPI_GPE_PCI_HOTPLUG); /* edge: ACPICA clears it first */
	scope = aml__scope_open(a, "\\_GPE");
	e = aml__method_open(a, method, 0);
	aml__name(a, "\\_SB_.PCI0.PCNT");
	aml__close(a, e);
	aml__close(a, scope);
}
