// SPDX-License-Identifier: GPL-2.0
/*
 * vm.add-device and vm.remove-device: devices plugged into and ejected
 * from the running guest through ACPI PCI hot-plug (devices/pci_hotplug.h,
 * vmm/boot/acpi_pcihp.h). The bus changes only with every vCPU paused, so
 * no vCPU is ever inside a device being made or torn down. An unplug is
 * the guest's: the request answers once the guest ejected the device
 * (event device-removed), or with an error after API_EJECT_TIMEOUT_S
 * and the device kept (cloud-hypervisor's and QEMU's pitfalls: an id stays
 * taken until the guest released it, a second remove is refused).
 */
#include "vm_hotplug.h"
#include "acpi_pm.h"
#include "event_loop.h"
#include "layout.h"
#include "passthrough.h"
#include "pci_hotplug.h"
#include "privileges.h"
#include "testdev.h"
#include "vm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* The guest's OSPM enabled the hot-plug GPE: its ACPI is up and will answer. */
static struct api_reply *guest_not_ready(struct vm_hotplug *hp, struct api_reply *err)
{
	if (!hp->hotplug) {
		*err = api__error(409, "this VM has no PCI hot-plug");
		return err;
	}
	if (!acpi_pm__gpe_enabled(hp->pm, ACPI_GPE_PCI_HOTPLUG)) {
		*err = api__error(409, "the guest has not enabled ACPI PCI hot-plug events yet (still booting, or no ACPI); try again later");
		return err;
	}
	return NULL;
}

/* Pauses the vCPUs unless the user had; true when we did (resume after). */
static int quiesce(struct vm_hotplug *hp, bool *paused_here)
{
	int ret;

	*paused_here = false;
	if (vm__paused(hp->vm))
		return 0;
	ret = vm__pause(hp->vm, API_PAUSE_TIMEOUT_MS);
	*paused_here = !ret;
	return ret;
}

static void unquiesce(struct vm_hotplug *hp, bool paused_here)
{
	if (paused_here)
		vm__resume(hp->vm);
}

/* Takes dev off the bus and releases it; the vCPUs are paused. */
static void unplug(struct vm_hotplug *hp, struct pci_device *dev)
{
	(pci_device__is_passthrough(dev) ? passthrough__unplug : testdev__unplug)(hp->vm, dev);
}

/* The guest has the host device at bdf already (the command line refuses it twice too). */
static bool host_device_in_vm(struct vm_hotplug *hp, const char *bdf)
{
	for (unsigned s = 1; s < PCI_MAX_SLOTS; s++)
		if (hp->vm->pci->slots[s] && !strcmp(hp->vm->pci->slots[s]->host_bdf, bdf))
			return true;
	return false;
}

/* Makes the device the spec names; 0 or an error reply's status with *why. */
static int create_device(struct vm_hotplug *hp, const struct api_device_spec *spec,
			 struct pci_device **dev, char *why, size_t why_len)
{
	FILE *err = fmemopen(why, why_len, "w");
	struct passthrough_opts pt;
	struct testdev_opts td;
	int ret, slot;
	bool ok;

	if (!err)
		return 500;
	ok = spec->testdev ? testdev__parse_option(spec->option[0] ? spec->option : NULL, &td, err)
			   : passthrough__parse_option(spec->option, &pt, err);
	fclose(err);
	if (!ok)
		return 400;
	/*
	 * A host device is opened through sysfs and /dev/vfio as root, which a
	 * pcivmm that dropped it (--user, --chroot) no longer is: as QEMU's
	 * -run-with, such a VM takes host devices at start only.
	 */
	if (!spec->testdev && privileges__dropped())
		return snprintf(why, why_len,
				"pcivmm dropped root (--user/--chroot) and cannot open %s now; pass host devices at start, or run without --user and --chroot to plug them",
				pt.bdf), 409;
	if (!spec->testdev && host_device_in_vm(hp, pt.bdf))
		return snprintf(why, why_len, "%s is in this VM already; vm.info lists it", pt.bdf), 409;
	slot = spec->testdev ? td.slot : pt.slot;
	if (slot > 0 && hp->vm->pci->slots[slot])
		return snprintf(why, why_len, "slot %d is taken; pick another or leave slot out", slot),
		       409;
	if (spec->testdev)
		ret = testdev__create(hp->vm, hp->vm->pci, td.slot, td.fault, dev);
	else if (!hp->passthrough)
		return snprintf(why, why_len, "this VM cannot take host devices"), 409;
	else
		ret = passthrough__create(hp->passthrough, &pt, dev);
	if (ret == -EBUSY || ret == -ENOSPC || ret == -EINVAL)
		return snprintf(why, why_len, "%s", ret == -EINVAL ? "no such slot" :
						    ret == -EBUSY ? "the slot or the device is taken" :
								    "no free slot"), 409;
	if (ret)
		return snprintf(why, why_len, "the device could not be set up (%s; pcivmm's log says why)",
				strerror(-ret)), 500;
	return 0;
}

/* The id of the device now in slot. */
static void name_device(struct vm_hotplug *hp, unsigned slot)
{
	const struct pci_device *d = hp->vm->pci->slots[slot];

	snprintf(hp->slots[slot].id, sizeof(hp->slots[slot].id), "%s%u", pci_device__kind(d),
		 hp->next_id++);
}

struct api_reply vm_hotplug__add(struct vm_hotplug *hp, const struct api_device_spec *spec)
{
	struct api_reply err;
	struct pci_device *dev = NULL;
	char why[256] = "";
	bool paused_here;
	unsigned slot;
	int status;

	if (guest_not_ready(hp, &err))
		return err;
	if (quiesce(hp, &paused_here))
		return api__error(503, "the vCPUs did not stop to take the device; try again");
	status = create_device(hp, spec, &dev, why, sizeof(why));
	if (!status && pci_host__assign_hotplug_bars(hp->vm->pci, dev)) {
		unplug(hp, dev);
		status = 409;
		snprintf(why, sizeof(why), "its BARs do not fit the free space of the PCI windows");
	}
	unquiesce(hp, paused_here);
	if (status)
		return api__error(status, "%s", why[0] ? why : "the device was refused");
	slot = dev->slot;
	name_device(hp, slot);
	pci_hotplug__plugged(hp->hotplug, slot);
	vm__event(hp->vm, "device-added",
		  json_pack("{sssssi}", "id", hp->slots[slot].id, "name", dev->name, "slot", slot));
	return api__ok(json_pack("{sssi}", "id", hp->slots[slot].id, "slot", slot));
}

static void stop_deadline(struct vm_hotplug *hp, struct control_slot *s)
{
	if (s->eject_timer < 0)
		return;
	event_loop__remove(&hp->vm->loop, s->eject_timer);
	close(s->eject_timer);
	s->eject_timer = -1;
}

static void eject_done(struct vm_hotplug *hp, unsigned slot, struct api_reply reply)
{
	struct control_slot *s = &hp->slots[slot];

	stop_deadline(hp, s);
	if (s->later)
		api__answer_later(s->later, reply);
	else
		json_decref(reply.body);
	s->later = NULL;
}

/* The guest ran _EJ0 for a slot we asked it to give up (main thread). */
static void on_guest_eject(void *opaque, unsigned slot)
{
	struct vm_hotplug *hp = opaque;
	struct pci_device *dev = hp->vm->pci->slots[slot];
	char id[API_DEVICE_ID_MAX];
	bool paused_here;

	if (!dev || !hp->slots[slot].later)
		return;
	if (quiesce(hp, &paused_here)) {
		/*
		 * Short of a stuck vCPU, only a VM that is stopping: its
		 * teardown releases the device like every other.
		 */
		eject_done(hp, slot, api__error(503, "the vCPUs did not stop to take the device out"));
		return;
	}
	unplug(hp, dev);
	unquiesce(hp, paused_here);
	snprintf(id, sizeof(id), "%s", hp->slots[slot].id);
	hp->slots[slot].id[0] = '\0';
	vm__event(hp->vm, "device-removed", json_pack("{sssi}", "id", id, "slot", slot));
	eject_done(hp, slot, api__ok(NULL));
}

static void on_eject_timeout(void *opaque, uint32_t events)
{
	struct control_slot *s = opaque;
	struct vm_hotplug *hp = s->hp;

	(void)events;
	if (!pci_hotplug__cancel_eject(hp->hotplug, s->slot)) {
		/* The guest's _EJ0 came just now: its eject, queued, answers. */
		stop_deadline(hp, s);
		return;
	}
	eject_done(hp, s->slot,
		   api__error(504, "the guest did not release %s within %d s (no ACPI hot-plug driver, or the device is busy); it keeps the device",
			      s->id, API_EJECT_TIMEOUT_S));
}

static int arm_eject_deadline(struct vm_hotplug *hp, unsigned slot)
{
	struct itimerspec t = { .it_value = { API_EJECT_TIMEOUT_S, 0 } };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0 || timerfd_settime(fd, 0, &t, NULL) ||
	    event_loop__add(&hp->vm->loop, fd, on_eject_timeout, &hp->slots[slot])) {
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	hp->slots[slot].eject_timer = fd;
	return 0;
}

struct api_reply vm_hotplug__remove(struct vm_hotplug *hp, const char *id,
				    struct api_pending *later)
{
	struct api_reply err;
	unsigned slot;

	for (slot = 1; slot < PCI_MAX_SLOTS && strcmp(hp->slots[slot].id, id); slot++)
		;
	if (slot == PCI_MAX_SLOTS)
		return api__error(404, "no device '%s'; vm.info lists the ids", id);
	if (hp->slots[slot].later)
		return api__error(409, "%s is already being removed; wait for the device-removed event", id);
	if (guest_not_ready(hp, &err))
		return err;
	if (vm__paused(hp->vm))
		return api__error(409, "the VM is paused: the guest cannot eject %s; vm.resume first", id);
	if (!later)
		return api__error(500, "this request cannot wait for the guest");
	if (arm_eject_deadline(hp, slot))
		return api__error(500, "out of memory");
	hp->slots[slot].later = later;
	pci_hotplug__request_eject(hp->hotplug, slot);
	return (struct api_reply){ API_DEFERRED, NULL };
}

void vm_hotplug__init(struct vm_hotplug *hp, struct vm *vm, struct acpi_pm *pm,
		      struct pci_hotplug *hotplug, struct passthrough_ctx *passthrough)
{
	*hp = (struct vm_hotplug){ .vm = vm, .pm = pm, .hotplug = hotplug,
				   .passthrough = passthrough };
	for (unsigned slot = 0; slot < PCI_MAX_SLOTS; slot++) {
		hp->slots[slot].hp = hp;
		hp->slots[slot].slot = slot;
		hp->slots[slot].eject_timer = -1;
	}
	for (unsigned slot = 1; slot < PCI_MAX_SLOTS; slot++)
		if (vm->pci && vm->pci->slots[slot])
			name_device(hp, slot);
	if (hp->hotplug) {
		hp->hotplug->on_eject = on_guest_eject;
		hp->hotplug->opaque = hp;
	}
}

void vm_hotplug__exit(struct vm_hotplug *hp)
{
	for (unsigned slot = 1; slot < PCI_MAX_SLOTS; slot++)
		if (hp->slots[slot].later)
			eject_done(hp, slot, api__error(503, "the VM stopped before the guest released %s",
							 hp->slots[slot].id));
	if (hp->hotplug)
		hp->hotplug->on_eject = NULL;
	hp->hotplug = NULL; /* freed by its own teardown, next */
}
