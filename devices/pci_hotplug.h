/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registers behind the DSDT's PCI hot-plug methods (vmm/boot/
 * acpi_pcihp.h), at port 0xae00, 32 bits each:
 *   0x0 PCIU  RO  slots plugged in since the last read (the read clears it)
 *   0x4 PCID  RO  slots the VMM asks the guest to eject
 *   0x8 B0EJ  WO  the guest's _EJ0: the slots it has released
 * A plug or an eject request sets its bit and raises GPE0 bit 1, so the
 * guest's \_GPE._E01 runs PCNT. Only an eject the VMM asked for is taken:
 * a guest cannot unplug a device on its own. The eject is handed from the
 * vCPU that wrote B0EJ to the main thread (the device is torn down there,
 * with every vCPU paused).
 */
#ifndef PCIVMM_PCI_HOTPLUG_H
#define PCIVMM_PCI_HOTPLUG_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct vm;
struct acpi_pm;

struct pci_hotplug {
	struct vm *vm;
	struct acpi_pm *pm;
	pthread_mutex_t lock;
	uint32_t up, down; /* PCIU, PCID */
	uint32_t ejected;  /* B0EJ's slots, not yet taken by the main thread */
	int eject_efd;
	/* The main thread's answer to an eject (vm_control.c). */
	void (*on_eject)(void *opaque, unsigned slot);
	void *opaque;
};

int pci_hotplug__create(struct vm *vm, struct acpi_pm *pm, struct pci_hotplug **out);
/* A device is in slot now: PCIU and the GPE. Thread-safe. */
void pci_hotplug__plugged(struct pci_hotplug *hp, unsigned slot);
/* Asks the guest to eject slot: PCID and the GPE. Thread-safe. */
void pci_hotplug__request_eject(struct pci_hotplug *hp, unsigned slot);
/*
 * Withdraws the request (the guest did not answer in time): true, and a
 * later _EJ0 is ignored; false when the guest's _EJ0 came already (on_eject
 * is on its way), which then stands.
 */
bool pci_hotplug__cancel_eject(struct pci_hotplug *hp, unsigned slot);

#endif
