// SPDX-License-Identifier: GPL-2.0
#include "vm_control.h"
#include "acpi_pm.h"
#include "exit_codes.h"
#include "host_dev.h"
#include "thread.h"
#include "vm.h"

#include <errno.h>
#include <linux/pci_regs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static json_t *control_ping(void *opaque)
{
	(void)opaque;
	return json_pack("{sssis[ssssssss]}", "version", PCIVMM_VERSION, "pid", (int)getpid(),
			 "features", "info", "counters", "pause", "power-button", "shutdown",
			 "events", "hotplug-testdev", "hotplug-passthrough");
}

static const char *control_state(struct vm *vm)
{
	if (atomic_load(&vm->exiting))
		return "shutdown";
	return vm__paused(vm) ? "paused" : "running";
}

/*
 * Config reads for vm.info, on the main thread. A vCPU may hold the host
 * lock for as long as a passed device's BUS_MASTER write waits for the DMA
 * mapping (pci.h); vm.info waits for it until one deadline for all its
 * devices, then reports what it could not read as unknown, so the main
 * thread goes back to signals, the console and the API.
 */
struct info_cfg {
	struct pci_host *host;
	unsigned slot;
	const struct timespec *deadline;
	bool busy; /* the host lock was not had in time: the reads gave 0 */
};

static uint32_t info_cfg_read(struct info_cfg *c, unsigned off, unsigned len)
{
	uint32_t v;

	if (c->busy || pci_host__cfg_read_until(c->host, c->slot, 0, off, len, c->deadline, &v)) {
		c->busy = true;
		return 0;
	}
	return v;
}

/*
 * How the guest has the function interrupt, read from the config space it
 * sees: MSI-X or MSI when their enable bit is set (PCI 3.0 6.8.1.3,
 * 6.8.2.3), else INTx; "none" for a function without a pin or either;
 * "unknown" when a vCPU kept the config space past the deadline.
 */
static const char *control_irq_mode(struct pci_host *host, const struct pci_device *d,
				    const struct timespec *deadline)
{
	struct info_cfg c = { host, d->slot, deadline, false };
	unsigned cap = 0, guard = 0;

	if (info_cfg_read(&c, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST)
		cap = info_cfg_read(&c, PCI_CAPABILITY_LIST, 1) & ~3u;
	for (; cap >= 0x40 && guard < 48; guard++) {
		unsigned id = info_cfg_read(&c, cap, 1);
		unsigned flags = info_cfg_read(&c, cap + 2, 2);

		if (id == PCI_CAP_ID_MSIX && (flags & PCI_MSIX_FLAGS_ENABLE))
			return "MSI-X";
		if (id == PCI_CAP_ID_MSI && (flags & PCI_MSI_FLAGS_ENABLE))
			return "MSI";
		cap = info_cfg_read(&c, cap + 1, 1) & ~3u;
	}
	if (c.busy)
		return "unknown";
	return d->pin ? "INTx" : "none";
}

static json_t *control_device_info(struct vm_control *ctl, unsigned slot,
				   const struct timespec *deadline)
{
	const struct pci_device *d = ctl->vm->pci->slots[slot];
	char guest_bdf[16], sharers[512];
	json_t *o;

	snprintf(guest_bdf, sizeof(guest_bdf), "0000:00:%02x.0", slot);
	o = json_pack("{sssssssisiss?sb}", "id", ctl->devices.slots[slot].id, "kind",
		      pci_device__kind(d), "guest_bdf", guest_bdf,
		      "vendor_id", d->vendor_id, "device_id", d->device_id, "name", d->name,
		      "removing", ctl->devices.slots[slot].later != NULL);
	json_object_set_new(o, "irq_mode",
			    json_string(control_irq_mode(ctl->vm->pci, d, deadline)));
	if (d->pin) {
		json_object_set_new(o, "pin", json_sprintf("INT%c", 'A' + d->pin - 1));
		json_object_set_new(o, "gsi", json_integer(d->gsi));
	}
	if (!pci_device__is_passthrough(d))
		return o;
	json_object_set_new(o, "host_bdf", json_string(d->host_bdf));
	if (d->backend)
		json_object_set_new(o, "backend", json_string(d->backend));
	if (d->stats.host_irq >= 0) {
		json_t *list = json_array();
		char *save, *tok;

		json_object_set_new(o, "host_irq", json_integer(d->stats.host_irq));
		/* Every other handler on the host line: what sharing INTx means here. */
		host_dev__irq_sharers(d->stats.host_irq, d->host_bdf, sharers, sizeof(sharers));
		for (tok = strtok_r(sharers, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			json_array_append_new(list, json_string(tok + strspn(tok, " ")));
		json_object_set_new(o, "host_irq_sharers", list);
	}
	return o;
}

static json_t *control_info(void *opaque)
{
	struct vm_control *ctl = opaque;
	struct timespec deadline = thread__deadline(VM_CONTROL_CONFIG_WAIT_MS);
	json_t *devices = json_array();

	for (unsigned slot = 1; slot < PCI_MAX_SLOTS; slot++)
		if (ctl->vm->pci->slots[slot] && ctl->devices.slots[slot].id[0])
			json_array_append_new(devices, control_device_info(ctl, slot, &deadline));
	return json_pack("{sss{sisIss?ss?}so}", "state", control_state(ctl->vm), "config", "cpus",
			 ctl->vm->nr_vcpus, "memory", (json_int_t)ctl->machine.mem_size, "kernel",
			 ctl->machine.kernel, "cmdline", ctl->machine.cmdline, "devices", devices);
}

static json_t *control_device_counters(const struct pci_device *d)
{
	const struct pci_intx_stats *s = &d->stats;
	json_t *o = json_pack("{sIsIsIsI}", "guest_intx_disable_sets", (json_int_t)s->guest_masks,
			      "guest_intx_disable_clears", (json_int_t)s->guest_unmasks,
			      "msi_enables", (json_int_t)s->msi_enables, "msix_enables",
			      (json_int_t)s->msix_enables);

	/* A passed device's INTx goes host -> KVM by irqfd: pcivmm never sees one. */
	if (d->pin && !s->kernel_delivers)
		json_object_set_new(o, "intx_asserted", json_integer((json_int_t)s->asserted));
	if (s->host_irq >= 0)
		json_object_set_new(o, "host_irq_interrupts",
				    json_integer((json_int_t)(host_dev__irq_count(s->host_irq) -
							      s->host_irq_start)));
	return o;
}

static json_t *control_counters(void *opaque)
{
	struct vm_control *ctl = opaque;
	struct vm_exit_counts exits;
	json_t *devices = json_object();

	vm__exit_counts(ctl->vm, &exits);
	for (unsigned slot = 1; slot < PCI_MAX_SLOTS; slot++)
		if (ctl->vm->pci->slots[slot] && ctl->devices.slots[slot].id[0])
			json_object_set_new(devices, ctl->devices.slots[slot].id,
					    control_device_counters(ctl->vm->pci->slots[slot]));
	return json_pack("{s{sIsIsIsI}sIso}", "exits", "total",
			 (json_int_t)(exits.pio + exits.mmio + exits.other), "pio",
			 (json_int_t)exits.pio, "mmio", (json_int_t)exits.mmio, "other",
			 (json_int_t)exits.other, "coalesced_cf8_writes", (json_int_t)exits.coalesced,
			 "devices", devices);
}

static struct api_reply control_pause(void *opaque)
{
	struct vm_control *ctl = opaque;
	int ret = vm__pause(ctl->vm, API_PAUSE_TIMEOUT_MS);

	if (ret == -EALREADY)
		return api__error(409, "the VM is already paused; vm.resume first");
	if (ret == -ECANCELED)
		return api__error(409, "the VM is shutting down");
	if (ret)
		return api__error(503, "a vCPU did not stop within %d ms; the VM runs on, try again",
				  API_PAUSE_TIMEOUT_MS);
	vm__event(ctl->vm, "paused", NULL);
	return api__ok(NULL);
}

static struct api_reply control_resume(void *opaque)
{
	struct vm_control *ctl = opaque;

	if (vm__resume(ctl->vm))
		return api__error(409, "the VM is not paused");
	vm__event(ctl->vm, "resumed", NULL);
	return api__ok(NULL);
}

static struct api_reply control_power_button(void *opaque)
{
	struct vm_control *ctl = opaque;

	if (vm__paused(ctl->vm))
		return api__error(409, "the VM is paused; vm.resume first, or the press waits unseen");
	if (acpi_pm__press_power_button(ctl->pm) == -EAGAIN)
		return api__ok(json_pack("{sbss}", "seen", 0, "note",
					 "the guest has not enabled the ACPI power button event (no ACPI button driver yet); the press stays latched"));
	return api__ok(json_pack("{sb}", "seen", 1));
}

static struct api_reply control_shutdown(void *opaque)
{
	struct vm_control *ctl = opaque;

	vm__request_exit_for(ctl->vm, EXIT_SIGNAL, "api-shutdown");
	return api__ok(NULL);
}

static struct api_reply control_add_device(void *opaque, const struct api_device_spec *spec)
{
	struct vm_control *ctl = opaque;

	return vm_hotplug__add(&ctl->devices, spec);
}

static struct api_reply control_remove_device(void *opaque, const char *id,
					      struct api_pending *later)
{
	struct vm_control *ctl = opaque;

	return vm_hotplug__remove(&ctl->devices, id, later);
}

static void control_teardown(struct vm *vm, void *opaque)
{
	struct vm_control *ctl = opaque;

	(void)vm;
	ctl->ops.closed = true;
	vm_hotplug__exit(&ctl->devices);
}

void vm_control__init(struct vm_control *ctl, struct vm *vm, struct acpi_pm *pm,
		      struct pci_hotplug *hotplug, const struct vm_control_machine *machine)
{
	*ctl = (struct vm_control){ .vm = vm, .pm = pm, .machine = *machine };
	vm_hotplug__init(&ctl->devices, vm, pm, hotplug, machine->passthrough);
	ctl->ops = (struct api_ops){
		.ctx = ctl,
		.ping = control_ping,
		.info = control_info,
		.counters = control_counters,
		.pause = control_pause,
		.resume = control_resume,
		.power_button = control_power_button,
		.shutdown = control_shutdown,
		.add_device = control_add_device,
		.remove_device = control_remove_device,
	};
	vm__add_teardown(vm, control_teardown, ctl);
}

void vm_control__exit(struct vm_control *ctl)
{
	vm__run_teardown_now(ctl->vm, control_teardown, ctl); /* -ENOENT: it ran with the VM's */
}
