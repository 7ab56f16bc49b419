/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control plane as main.c sees it: --api-socket and --event-monitor
 * opened before the VM is built (a bad path costs nothing), served while
 * it runs, and closed, socket removed, on every way out.
 */
#ifndef PCIVMM_CONTROL_PLANE_H
#define PCIVMM_CONTROL_PLANE_H

#include <stdio.h>

#include "event_monitor.h"
#include "vm_control.h"

struct api_server;

struct control_plane {
	struct api_server *api;   /* NULL without --api-socket */
	struct event_monitor events;
	bool has_events;          /* --event-monitor */
	struct vm_control ctl;
	bool started; /* ctl is set up */
};

/* Either spec may be NULL. One line to err and -errno on failure, nothing left open. */
int control_plane__open(struct control_plane *cp, const char *api_spec, const char *events_spec,
			FILE *err);

/* Events from now on, and the API served by vm's event loop. */
int control_plane__start(struct control_plane *cp, struct vm *vm, struct acpi_pm *pm,
			 struct pci_hotplug *hotplug, const struct vm_control_machine *machine);

/* Answers what is still queued (bounded), closes both, removes the socket's path. */
void control_plane__close(struct control_plane *cp, struct vm *vm);

#endif
