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
#include "vm_hotplug.h"

struct vm;
struct acpi_pm;
struct pci_hotplug;
struct passthrough_ctx;

/*
 * How long vm.info waits, for all its devices together, for a vCPU to give
 * up the PCI host lock before it reports an irq_mode as "unknown": a config
 * access holds it for microseconds, a passed device's BUS_MASTER write for
 * as long as guest RAM's DMA mapping takes (pci.h).
 */
#define VM_CONTROL_CONFIG_WAIT_MS 50

struct vm_control_machine {
	const char *kernel, *cmdline;
	uint64_t mem_size;
	struct passthrough_ctx *passthrough; /* for hot-plugged host devices */
};

struct vm_control {
	struct vm *vm;
	struct acpi_pm *pm;
	struct vm_control_machine machine;
	struct vm_hotplug devices; /* every device's id; plug and unplug */
	struct api_ops ops;
};

/* Gives each device on vm's bus an id and fills ctl->ops; hotplug may be NULL. */
void vm_control__init(struct vm_control *ctl, struct vm *vm, struct acpi_pm *pm,
		      struct pci_hotplug *hotplug, const struct vm_control_machine *machine);
/*
 * The VM's devices are going (a teardown of the VM, registered after the
 * ACPI block and the hot-plug registers, so it runs before they are
 * freed): from then on every request is answered 503, and what still
 * waits is answered 503 too. vm_control__exit does it if the VM never ran.
 */
void vm_control__exit(struct vm_control *ctl);

#endif
