/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a VM ends, from any thread: the first request to stop wins and wakes
 * the main loop (vm.c) through an eventfd; and the events the event monitor
 * reports (event_monitor.h), the "exit" one among them.
 */
#ifndef PCIVMM_VM_EXIT_H
#define PCIVMM_VM_EXIT_H

#include <stdbool.h>

struct vm;

/*
 * Asks the VM to stop with this status; the first request wins. Thread-safe.
 * reason names it in the "exit" event ("guest-power-off", "signal",
 * "api-shutdown"...); vm__request_exit derives one from the status.
 */
void vm__request_exit(struct vm *vm, int status);
/*
 * true when this request is the one that stops the VM: only then may its
 * event be reported (a guest's power-off after a vm.shutdown must not
 * contradict the "exit" event's reason).
 */
bool vm__request_exit_for(struct vm *vm, int status, const char *reason);

/*
 * An event for the event monitor (event_monitor.h), if there is one:
 * name and its properties (a jansson object, taken over; NULL for none).
 * Thread-safe.
 */
struct json_t;
void vm__event(struct vm *vm, const char *name, struct json_t *properties);

#endif
