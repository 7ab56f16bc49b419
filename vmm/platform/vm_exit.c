// SPDX-License-Identifier: GPL-2.0
/* Exit requests and events, from any thread (vm_exit.h). */
#include "vm_exit.h"
#include "event_monitor.h"
#include "exit_codes.h"
#include "log.h"
#include "vcpu_pause.h"
#include "vm_types.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* The "exit" event's reason where the caller gave none. */
static const char *vm_exit_reason(int status)
{
	switch (status) {
	case EXIT_GUEST_POWEROFF: return "guest-power-off";
	case EXIT_GUEST_CRASH: return "guest-crash";
	case EXIT_SIGNAL: return "signal";
	case EXIT_HOST: return "host-error";
	default: return status & 1 ? "debug-exit" : "error";
	}
}

void vm__request_exit(struct vm *vm, int status)
{
	vm__request_exit_for(vm, status, NULL);
}

bool vm__request_exit_for(struct vm *vm, int status, const char *reason)
{
	uint64_t one = 1;
	bool won = false;

	pthread_mutex_lock(&vm->exit_lock);
	if (!atomic_load(&vm->exiting)) {
		won = true;
		vm->exit_status = status;
		vm->exit_reason = reason ? reason : vm_exit_reason(status);
		atomic_store(&vm->exiting, true);
		if (write(vm->exit_efd, &one, sizeof(one)) < 0)
			pr_warn("exit eventfd: %s", strerror(errno));
	}
	pthread_mutex_unlock(&vm->exit_lock);
	/* A vm__pause waiting for vCPUs that will not park now gives up at once. */
	vm_pause__wake_all(vm);
	return won;
}

void vm__event(struct vm *vm, const char *name, json_t *properties)
{
	event_monitor__emit(vm->events, name, properties);
}
