// SPDX-License-Identifier: GPL-2.0
#include "event_monitor.h"
#include "parse_num.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Events are written without blocking: a reader that stops reading (a
 * full pipe) costs the events, never a vCPU or the main thread. A pipe or
 * FIFO handed over is opened again through /proc/self/fd with O_NONBLOCK,
 * a description of our own, so the supervisor's end keeps its mode; a
 * socket (which cannot be opened so) is made non-blocking itself.
 */
static int event_monitor_nonblocking(int fd)
{
	char path[32];
	int own;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	own = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (own >= 0) {
		close(fd);
		return own;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

int event_monitor__open(struct event_monitor *m, const char *spec, FILE *err)
{
	unsigned long fd;

	*m = (struct event_monitor){ .fd = -1 };
	pthread_mutex_init(&m->lock, NULL);
	clock_gettime(CLOCK_MONOTONIC, &m->start);
	if (!strncmp(spec, "path=", 5) && spec[5]) {
		m->fd = open(spec + 5, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
			     0600);
		if (m->fd < 0) {
			int ret = -errno;

			fprintf(err, "pcivmm: error: --event-monitor %s: %s; pick a file pcivmm can write\n",
				spec + 5, strerror(errno));
			return ret;
		}
		m->own_fd = true;
		return 0;
	}
	if (!strncmp(spec, "fd=", 3) && parse__uint(spec + 3, 65535, &fd)) {
		if (fd <= 2 || fcntl((int)fd, F_GETFL) < 0 || (fcntl((int)fd, F_GETFL) & O_ACCMODE) == O_RDONLY) {
			fprintf(err, "pcivmm: error: --event-monitor fd=%lu: not an open writable descriptor above 2; hand one over, or use path=\n",
				fd);
			return -EBADF;
		}
		m->fd = event_monitor_nonblocking((int)fd);
		return 0;
	}
	fprintf(err, "pcivmm: error: --event-monitor %s: use path=PATH or fd=N\n", spec);
	return -EINVAL;
}

void event_monitor__close(struct event_monitor *m)
{
	if (m->own_fd && m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}

static json_t *event_timestamp(const struct event_monitor *m)
{
	struct timespec now;
	long long secs, nanos;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = now.tv_sec - m->start.tv_sec;
	nanos = now.tv_nsec - m->start.tv_nsec;
	if (nanos < 0) {
		secs--;
		nanos += 1000000000;
	}
	return json_pack("{sIsI}", "secs", (json_int_t)secs, "nanos", (json_int_t)nanos);
}

void event_monitor__emit(struct event_monitor *m, const char *event, json_t *properties)
{
	json_t *o;
	char *text;
	size_t len, done = 0;

	if (!m || m->fd < 0) {
		json_decref(properties);
		return;
	}
	o = json_pack("{soss}", "timestamp", event_timestamp(m), "event", event);
	if (o && properties)
		json_object_set_new(o, "properties", properties);
	else
		json_decref(properties);
	text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return;
	len = strlen(text);
	text[len++] = '\n'; /* json_dumps's NUL becomes the line's end */
	pthread_mutex_lock(&m->lock);
	while (done < len) {
		ssize_t n = write(m->fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* a reader that left or stopped: the VM goes on without it */
		done += (size_t)n;
	}
	if (done < len)
		m->dropped++;
	pthread_mutex_unlock(&m->lock);
	free(text);
}
