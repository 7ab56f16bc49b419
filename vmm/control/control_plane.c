// SPDX-License-Identifier: GPL-2.0
#include "control_plane.h"
#include "api_server.h"
#include "log.h"
#include "vm.h"

int control_plane__open(struct control_plane *cp, const char *api_spec, const char *events_spec,
			FILE *err)
{
	int ret;

	*cp = (struct control_plane){ .api = NULL };
	cp->events.fd = -1;
	if (events_spec) {
		ret = event_monitor__open(&cp->events, events_spec, err);
		if (ret)
			return ret;
		cp->has_events = true;
	}
	if (api_spec) {
		ret = api_server__open(&cp->api, api_spec, err);
		if (ret) {
			event_monitor__close(&cp->events);
			return ret;
		}
	}
	return 0;
}

int control_plane__start(struct control_plane *cp, struct vm *vm, struct acpi_pm *pm,
			 struct pci_hotplug *hotplug, const struct vm_control_machine *machine)
{
	if (cp->has_events)
		vm->events = &cp->events;
	vm_control__init(&cp->ctl, vm, pm, hotplug, machine);
	cp->started = true;
	return cp->api ? api_server__start(cp->api, &vm->loop, &cp->ctl.ops) : 0;
}

void control_plane__close(struct control_plane *cp, struct vm *vm)
{
	if (cp->started) {
		vm_control__exit(&cp->ctl); /* what still waits is answered first */
		cp->started = false;
	}
	if (cp->api) {
		api_server__drain(cp->api, API_DRAIN_MS);
		api_server__close(cp->api);
		cp->api = NULL;
	}
	if (vm && vm->events == &cp->events)
		vm->events = NULL;
	if (cp->events.dropped)
		pr_warn("--event-monitor: %lu event(s) dropped: the reader did not keep up or went away",
			cp->events.dropped);
	event_monitor__close(&cp->events);
}
