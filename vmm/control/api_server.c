// SPDX-License-Identifier: GPL-2.0
#include "api_server.h"
#include "event_loop.h"
#include "log.h"
#include "parse_num.h"
#include "privileges.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct api_server {
	int listen_fd;
	char *path; /* made by us (path=): removed at close */
	struct MHD_Daemon *daemon;
	int mhd_epoll_fd, timer_fd;
	uint64_t timer_due_ns; /* CLOCK_MONOTONIC when timer_fd fires; 0: disarmed */
	struct event_loop *loop;
	const struct api_ops *ops;
};

/* A deferred reply (api.h): the connection waits, suspended, until it is answered. */
struct api_pending {
	struct api_server *server;
	struct MHD_Connection *connection;
	bool deferred, answered;
	struct api_reply reply;
};

/* One request's body as it arrives (libmicrohttpd hands it in pieces). */
struct api_request {
	char body[API_MAX_BODY];
	size_t len;
	struct api_pending later;
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Arms timer_fd to fire at due_ns (absolute, CLOCK_MONOTONIC); 0 disarms it. */
static void set_timer(struct api_server *s, uint64_t due_ns)
{
	struct itimerspec t = {
		.it_value = { (time_t)(due_ns / 1000000000u), (long)(due_ns % 1000000000u) },
	};

	timerfd_settime(s->timer_fd, TFD_TIMER_ABSTIME, &t, NULL);
	s->timer_due_ns = due_ns;
}

/* Has the loop run libmicrohttpd at once (on_timer), as its timer would. */
static void kick(struct api_server *s)
{
	set_timer(s, 1); /* long past: fires at once */
}

void api__answer_later(struct api_pending *later, struct api_reply reply)
{
	later->reply = reply;
	later->answered = true;
	/*
	 * The handler runs again with no data, and queues the reply, at the
	 * next MHD_run: a resumed connection wakes no descriptor of ours in
	 * external-epoll mode (seen in the nested L1: the reply waited for
	 * the client's timeout), so the run is asked for here.
	 */
	MHD_resume_connection(later->connection);
	kick(later->server);
}

/* True when something answers on path: a live pcivmm (or anything else) has it. */
static bool socket_in_use(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool used;

	if (fd < 0)
		return true;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	used = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 || errno != ECONNREFUSED;
	close(fd);
	return used;
}

static int make_socket(struct api_server *s, const char *path, FILE *err)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old_umask;
	int ret;

	if (!*path || strlen(path) >= sizeof(a.sun_path)) {
		fprintf(err, "pcivmm: error: --api-socket path=%s: empty or longer than %zu characters; use a shorter path\n",
			path, sizeof(a.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(err, "pcivmm: error: --api-socket path=%s: exists and is not a socket; pick another path\n",
				path);
			return -EEXIST;
		}
		if (socket_in_use(path)) {
			fprintf(err, "pcivmm: error: --api-socket path=%s: another process serves it; stop it or pick another path\n",
				path);
			return -EADDRINUSE;
		}
		unlink(path); /* left by a pcivmm that was killed */
	}
	strcpy(a.sun_path, path);
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0)
		return -errno;
	/* Mode 0600 from the start: the socket is root's VM control. */
	old_umask = umask(0177);
	ret = bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)) ? -errno : 0;
	umask(old_umask);
	if (!ret) {
		s->path = strdup(path);
		ret = listen(s->listen_fd, API_MAX_CONNECTIONS) ? -errno : 0;
	}
	if (ret)
		fprintf(err, "pcivmm: error: --api-socket path=%s: %s; pick a path in a writable directory\n",
			path, strerror(-ret));
	return ret;
}

static int take_socket(struct api_server *s, const char *fd_text, FILE *err)
{
	unsigned long fd;
	int type = 0, listening = 0;
	struct sockaddr_un a;
	socklen_t len = sizeof(type), alen = sizeof(a);

	if (!parse__uint(fd_text, 65535, &fd) || fd <= 2 ||
	    getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &len) || type != SOCK_STREAM ||
	    getsockname((int)fd, (struct sockaddr *)&a, &alen) || a.sun_family != AF_UNIX) {
		fprintf(err, "pcivmm: error: --api-socket fd=%s: not a Unix stream socket above fd 2; hand over a bound one, or use path=\n",
			fd_text);
		return -EBADF;
	}
	len = sizeof(listening);
	getsockopt((int)fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len);
	if (!listening && listen((int)fd, API_MAX_CONNECTIONS)) {
		fprintf(err, "pcivmm: error: --api-socket fd=%s: listen: %s\n", fd_text, strerror(errno));
		return -errno;
	}
	fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	fcntl((int)fd, F_SETFL, fcntl((int)fd, F_GETFL) | O_NONBLOCK);
	s->listen_fd = (int)fd;
	return 0;
}

int api_server__open(struct api_server **out, const char *spec, FILE *err)
{
	struct api_server *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	*s = (struct api_server){ .listen_fd = -1, .mhd_epoll_fd = -1, .timer_fd = -1 };
	if (!strncmp(spec, "path=", 5)) {
		ret = make_socket(s, spec + 5, err);
	} else if (!strncmp(spec, "fd=", 3)) {
		ret = take_socket(s, spec + 3, err);
	} else {
		fprintf(err, "pcivmm: error: --api-socket %s: use path=PATH or fd=N\n", spec);
		ret = -EINVAL;
	}
	if (ret) {
		api_server__close(s);
		return ret;
	}
	*out = s;
	return 0;
}

static enum MHD_Result queue_reply(struct MHD_Connection *c, const char *path,
				   struct api_reply *reply)
{
	int status = reply->status;
	char *text = api__reply_text(reply);
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(text ? strlen(text) : 0, text ? text : (char *)"",
					    text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	if (text)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	if (status == 405 && api__allowed_method(path))
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, api__allowed_method(path));
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * libmicrohttpd calls this once when the headers are in, then once per
 * piece of body, then once more with no data: that last call answers.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct api_server *s = cls;
	struct api_request *req = *con_cls;
	struct api_reply reply;

	(void)version;
	if (!req) {
		const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
								 MHD_HTTP_HEADER_CONTENT_LENGTH);

		req = calloc(1, sizeof(*req));
		if (!req)
			return MHD_NO;
		*con_cls = req;
		/* A body announced too large is refused before it is read. */
		if (length && strtoull(length, NULL, 10) > API_MAX_BODY) {
			reply = api__error(413, "the body is %s bytes; at most %d", length, API_MAX_BODY);
			return queue_reply(c, url, &reply);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (req->len + *upload_size > sizeof(req->body)) {
			/* Answered now, not read to its end: a body may never end. */
			reply = api__error(413, "the body is over %d bytes", API_MAX_BODY);
			return queue_reply(c, url, &reply);
		}
		memcpy(req->body + req->len, upload, *upload_size);
		req->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	if (req->later.answered) {
		reply = req->later.reply;
	} else {
		req->later.connection = c;
		req->later.server = s;
		reply = api__handle(s->ops, method, url, req->body, req->len, &req->later);
		if (reply.status == API_DEFERRED) {
			req->later.deferred = true;
			MHD_suspend_connection(c);
			return MHD_YES;
		}
	}
	pr_debug("api: %s %s: %d", method, url, reply.status);
	return queue_reply(c, url, &reply);
}

static void on_request_done(void *cls, struct MHD_Connection *c, void **con_cls,
			    enum MHD_RequestTerminationCode why)
{
	(void)cls, (void)c, (void)why;
	free(*con_cls);
	*con_cls = NULL;
}

/*
 * libmicrohttpd's timeouts (an idle connection's) need a call when they
 * expire: a timerfd in the loop. A timer already due no later than
 * libmicrohttpd's next deadline is left as it is (firing early costs one
 * empty MHD_run), so a busy connection, whose deadline moves on with every
 * request, costs no timerfd_settime per request.
 */
static void run_and_rearm(struct api_server *s)
{
	MHD_UNSIGNED_LONG_LONG ms;
	uint64_t due;

	MHD_run(s->daemon);
	if (MHD_get_timeout(s->daemon, &ms) != MHD_YES) {
		if (s->timer_due_ns)
			set_timer(s, 0);
		return;
	}
	due = now_ns() + (uint64_t)(ms ? ms : 1) * 1000000u;
	if (!s->timer_due_ns || s->timer_due_ns > due)
		set_timer(s, due);
}

/* A connection or the listening socket is ready (libmicrohttpd's epoll descriptor). */
static void on_ready(void *opaque, uint32_t events)
{
	(void)events;
	run_and_rearm(opaque);
}

static void on_timer(void *opaque, uint32_t events)
{
	struct api_server *s = opaque;
	uint64_t ticks;

	(void)events;
	if (read(s->timer_fd, &ticks, sizeof(ticks)) == sizeof(ticks))
		s->timer_due_ns = 0;
	run_and_rearm(s);
}

int api_server__start(struct api_server *s, struct event_loop *loop, const struct api_ops *ops)
{
	const union MHD_DaemonInfo *info;

	s->ops = ops;
	s->daemon = MHD_start_daemon(
		MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
		on_request, s,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)s->listen_fd,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)API_CONNECTION_TIMEOUT_S,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)API_MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, on_request_done, s, MHD_OPTION_END);
	if (!s->daemon) {
		pr_err("--api-socket: libmicrohttpd would not serve the socket");
		return -EIO;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (!info || s->timer_fd < 0) {
		pr_err("--api-socket: no epoll or timer descriptor: %s", strerror(errno));
		return -EIO;
	}
	s->mhd_epoll_fd = info->epoll_fd;
	s->loop = loop;
	if (event_loop__add(loop, s->mhd_epoll_fd, on_ready, s) ||
	    event_loop__add(loop, s->timer_fd, on_timer, s)) {
		pr_err("--api-socket: cannot watch the socket: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

void api_server__drain(struct api_server *s, int ms)
{
	struct pollfd p = { .fd = s->mhd_epoll_fd, .events = POLLIN };
	struct timespec start, now;

	if (!s->daemon)
		return;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		const union MHD_DaemonInfo *info =
			MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		long left;

		MHD_run(s->daemon);
		if (!info || !info->num_connections)
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = ms - ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			return;
		poll(&p, 1, (int)(left < 10 ? left : 10));
	}
}

void api_server__close(struct api_server *s)
{
	if (!s)
		return;
	if (s->loop) {
		event_loop__remove(s->loop, s->mhd_epoll_fd);
		event_loop__remove(s->loop, s->timer_fd);
	}
	if (s->daemon) {
		/* Quiesced first, libmicrohttpd leaves the listening socket to us. */
		MHD_quiesce_daemon(s->daemon);
		MHD_stop_daemon(s->daemon);
	}
	if (s->timer_fd >= 0)
		close(s->timer_fd);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	/* Without root (or in a chroot) the path is the reaper's to remove (privileges.h). */
	if (s->path && !privileges__dropped())
		unlink(s->path);
	free(s->path);
	free(s);
}
