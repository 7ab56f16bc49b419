// SPDX-License-Identifier: GPL-2.0
#include "event_loop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

struct event_watch {
	int fd;
	event_fn fn;
	void *opaque;
	struct event_watch *next;
};

int event_loop__init(struct event_loop *loop)
{
	loop->watches = NULL;
	loop->removed = NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	return loop->epfd < 0 ? -errno : 0;
}

static void free_watches(struct event_watch **list)
{
	while (*list) {
		struct event_watch *w = *list;

		*list = w->next;
		free(w);
	}
}

void event_loop__exit(struct event_loop *loop)
{
	free_watches(&loop->watches);
	free_watches(&loop->removed);
	if (loop->epfd >= 0)
		close(loop->epfd);
	loop->epfd = -1;
}

int event_loop__add(struct event_loop *loop, int fd, event_fn fn, void *opaque)
{
	struct event_watch *w = calloc(1, sizeof(*w));
	struct epoll_event ev = { .events = EPOLLIN };

	if (!w)
		return -ENOMEM;
	*w = (struct event_watch){ fd, fn, opaque, loop->watches };
	ev.data.ptr = w;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = -errno;

		free(w);
		return err;
	}
	loop->watches = w;
	return 0;
}

int event_loop__remove(struct event_loop *loop, int fd)
{
	for (struct event_watch **p = &loop->watches; *p; p = &(*p)->next) {
		struct event_watch *w = *p;

		if (w->fd != fd)
			continue;
		epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
		*p = w->next;
		/*
		 * Not freed yet: the batch being dispatched may hold an event
		 * for it further on; fn NULL makes run_once skip that.
		 */
		w->fn = NULL;
		w->next = loop->removed;
		loop->removed = w;
		return 0;
	}
	return -ENOENT;
}

int event_loop__set_enabled(struct event_loop *loop, int fd, bool enabled)
{
	for (struct event_watch *w = loop->watches; w; w = w->next) {
		struct epoll_event ev = { .events = enabled ? EPOLLIN : 0, .data.ptr = w };

		if (w->fd == fd)
			return epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
	}
	return -ENOENT;
}

int event_loop__run_once(struct event_loop *loop, int timeout_ms)
{
	struct epoll_event evs[16];
	int n = epoll_wait(loop->epfd, evs, 16, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct event_watch *w = evs[i].data.ptr;

		if (w->fn)
			w->fn(w->opaque, evs[i].events);
	}
	free_watches(&loop->removed);
	return n;
}
