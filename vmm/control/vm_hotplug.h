/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM's devices as the API names them ("testdev0", "passthrough1": an
 * id per device, never reused within a run), and vm.add-device and
 * vm.remove-device, which plug devices into the running guest and eject
 * them through ACPI PCI hot-plug (devices/pci_hotplug.h). Main thread only.
 */
#ifndef PCIVMM_VM_HOTPLUG_H
#define PCIVMM_VM_HOTPLUG_H

#include "api.h"
#include "pci.h"

struct vm;
struct acpi_pm;
struct pci_hotplug;
struct passthrough_ctx;
struct vm_hotplug;

/* What the API knows of a guest slot. */
struct control_slot {
	struct vm_hotplug *hp;
	unsigned slot;
	char id[API_DEVICE_ID_MAX]; /* "testdev0", "passthrough1"; "" for an empty slot */
	struct api_pending *later;  /* vm.remove-device waiting for the guest's eject */
	int eject_timer;            /* its deadline (timerfd), -1 */
};

struct vm_hotplug {
	struct vm *vm;
	struct acpi_pm *pm;
	struct pci_hotplug *hotplug;         /* NULL: this VM has no PCI hot-plug */
	struct passthrough_ctx *passthrough; /* NULL: it cannot take host devices */
	struct control_slot slots[PCI_MAX_SLOTS];
	unsigned next_id;
};

/* Gives each device now on vm's bus its id and takes the guest's ejects. */
void vm_hotplug__init(struct vm_hotplug *hp, struct vm *vm, struct acpi_pm *pm,
		      struct pci_hotplug *hotplug, struct passthrough_ctx *passthrough);
struct api_reply vm_hotplug__add(struct vm_hotplug *hp, const struct api_device_spec *spec);
/* Answers later, once the guest ejected the device (API_EJECT_TIMEOUT_S at most). */
struct api_reply vm_hotplug__remove(struct vm_hotplug *hp, const char *id,
				    struct api_pending *later);
/* The VM is going: what still waits is answered 503, the guest's ejects no longer taken. */
void vm_hotplug__exit(struct vm_hotplug *hp);

#endif
