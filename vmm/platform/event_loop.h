/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The main thread's epoll loop: console input, signals, the exit request and
 * every device eventfd (INTx resample notifications) are served here, so no
 * device needs a thread of its own.
 */
#ifndef PCIVMM_EVENT_LOOP_H
#define PCIVMM_EVENT_LOOP_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*event_fn)(void *opaque, uint32_t epoll_events);

struct event_watch;

struct event_loop {
	int epfd;
	struct event_watch *watches;
	/* Removed while a batch was being dispatched: freed once it is done. */
	struct event_watch *removed;
};

int event_loop__init(struct event_loop *loop);
void event_loop__exit(struct event_loop *loop);
/* Calls fn(opaque) from the main thread whenever fd is readable. */
int event_loop__add(struct event_loop *loop, int fd, event_fn fn, void *opaque);
/* Safe from a callback, for any watch (a device unplugged by an event). */
int event_loop__remove(struct event_loop *loop, int fd);
/*
 * Stops (false) or resumes (true) watching fd without forgetting it: for a
 * consumer that cannot take more now (epoll is level-triggered, so a
 * readable fd nobody reads would be reported forever). Safe from any
 * thread while no watch is being added or removed.
 */
int event_loop__set_enabled(struct event_loop *loop, int fd, bool enabled);
/* Waits up to timeout_ms (-1: forever) and dispatches what is ready. */
int event_loop__run_once(struct event_loop *loop, int timeout_ms);

#endif
