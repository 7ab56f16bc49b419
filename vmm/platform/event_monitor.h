/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --event-monitor path=PATH|fd=N: one JSON object per line, written whole
 * with one write(2) as the event happens, so a supervisor can wait for an
 * event instead of grepping the console or sleeping:
 *   {"timestamp":{"secs":S,"nanos":N},"event":"booted","properties":{...}}
 * The timestamp counts from pcivmm's start (CLOCK_MONOTONIC), as
 * cloud-hypervisor's event monitor does. The events: doc/api.md.
 */
#ifndef PCIVMM_EVENT_MONITOR_H
#define PCIVMM_EVENT_MONITOR_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

struct event_monitor {
	int fd;
	bool own_fd; /* opened from path=, closed by event_monitor__close */
	pthread_mutex_t lock;
	struct timespec start;
	unsigned long dropped; /* events a full pipe or a gone reader did not take */
};

/*
 * "path=PATH" (created or appended to, mode 0600) or "fd=N" (an open file
 * or pipe a supervisor handed over). One line to err and -errno or -EINVAL
 * on failure.
 */
int event_monitor__open(struct event_monitor *m, const char *spec, FILE *err);
void event_monitor__close(struct event_monitor *m);

/*
 * Writes one event line; properties (may be NULL) is taken over. A reader
 * that went away or stopped reading costs the event, never the VM: the
 * descriptor does not block (a line is far below PIPE_BUF, so a pipe takes
 * it whole or not at all), EPIPE is ignored (so is SIGPIPE), and the loss
 * is counted in dropped. Thread-safe.
 */
void event_monitor__emit(struct event_monitor *m, const char *event, json_t *properties);

#endif
