// SPDX-License-Identifier: GPL-2.0
/*
 * How a VM ends (vmm/platform/vm_exit.c): the first request wins, and a
 * guest's power-off or reset that comes after another stop (vm.shutdown, a
 * signal, a debug exit) is not reported as an event: the event monitor's
 * "guest-reset" must never contradict the "exit" event's reason.
 */
#include "unit.h"
#include "event_monitor.h"
#include "exit_codes.h"
#include "exit_ports.h"
#include "vm.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A described VM whose events go to a pipe; the pipe's read end in *rd. */
static bool vm_with_events(struct vm *vm, struct event_monitor *ev, int *rd)
{
	int p[2];
	char spec[32];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) || vm__create_described(vm, 16 << 20))
		return false;
	snprintf(spec, sizeof(spec), "fd=%d", p[1]);
	if (event_monitor__open(ev, spec, stderr))
		return false;
	vm->events = ev;
	*rd = p[0];
	return true;
}

static void events_read(int rd, char *buf, size_t size)
{
	ssize_t n = read(rd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
}

TEST(first_request_wins_and_says_so)
{
	struct vm vm;
	struct event_monitor ev;
	int rd;

	EXPECT(vm_with_events(&vm, &ev, &rd));
	EXPECT(vm__request_exit_for(&vm, EXIT_SIGNAL, "api-shutdown"));
	EXPECT(!vm__request_exit_for(&vm, EXIT_GUEST_POWEROFF, "guest-power-off"));
	EXPECT_EQ(vm.exit_status, EXIT_SIGNAL);
	EXPECT(!strcmp(vm.exit_reason, "api-shutdown"));
	vm__destroy(&vm);
	event_monitor__close(&ev);
	close(rd);
}

TEST(reset_after_a_shutdown_is_no_event)
{
	struct vm vm;
	struct event_monitor ev;
	char buf[256];
	int rd;

	EXPECT(vm_with_events(&vm, &ev, &rd));
	vm__request_exit_for(&vm, EXIT_SIGNAL, "api-shutdown");
	exit_ports__reset(&vm);
	events_read(rd, buf, sizeof(buf));
	EXPECT(!strstr(buf, "guest-reset"));
	EXPECT(!strcmp(vm.exit_reason, "api-shutdown"));
	vm__destroy(&vm);
	event_monitor__close(&ev);
	close(rd);
}

TEST(reset_that_ends_the_vm_is_an_event)
{
	struct vm vm;
	struct event_monitor ev;
	char buf[256];
	int rd;

	EXPECT(vm_with_events(&vm, &ev, &rd));
	exit_ports__reset(&vm);
	events_read(rd, buf, sizeof(buf));
	EXPECT(strstr(buf, "\"guest-reset\""));
	EXPECT(!strcmp(vm.exit_reason, "guest-reset"));
	vm__destroy(&vm);
	event_monitor__close(&ev);
	close(rd);
}
