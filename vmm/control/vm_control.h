/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API's operations on the running VM (api.h's struct api_ops): what
 * vm.info and vm.counters report, pause and resume, the power button,
 * shutdown, and the device table that gives every device an id. Runs on
 * the main thread (the API server is served from its event loop).
 */
#ifndef PCIVMM_VM_CONTROL_H
#define PCIVMM_VM_CONTROL_H

#include <stdint.h>

#include "api.h"
#include "pci.h"

struct vm;
struct acpi_pm;

/* How long vm.pause waits for every vCPU to leave KVM_RUN. */
#define VM_CONTROL_PAUSE_TIMEOUT_MS 2000

struct vm_control_machine {
	const char *kernel, *cmdline;
	uint64_t mem_size;
};

struct vm_control {
	struct vm *vm;
	struct acpi_pm *pm;
	struct vm_control_machine machine;
	/* Device ids by guest slot ("testdev0", "passthrough1"); "" for an empty slot. */
	char ids[PCI_MAX_SLOTS][API_DEVICE_ID_MAX];
	unsigned next_id; /* ids are never reused within a run */
	struct api_ops ops;
};

/* Gives each device on vm's bus an id and fills ctl->ops. */
void vm_control__init(struct vm_control *ctl, struct vm *vm, struct acpi_pm *pm,
		      const struct vm_control_machine *machine);

#endif
