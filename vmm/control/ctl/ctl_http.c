// SPDX-License-Identifier: GPL-2.0
#include "ctl_http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* More than any reply of pcivmm's (vm.info with 31 devices is ~10 KiB). */
#define CTL_MAX_REPLY (1 << 20)

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int connect_unix(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

/* Status line and the body after the blank line; the server closes after one reply. */
static int parse_reply(char *text, size_t len, struct ctl_reply *reply)
{
	char *body = strstr(text, "\r\n\r\n");

	if (sscanf(text, "HTTP/1.%*d %d", &reply->status) != 1 || !body)
		return -EPROTO;
	body += 4;
	if (body < text + len && *body)
		reply->body = strdup(body);
	return 0;
}

int ctl_http__request(const char *socket_path, const char *method, const char *endpoint,
		      const char *body, struct ctl_reply *reply)
{
	char head[512], *text = malloc(CTL_MAX_REPLY + 1);
	size_t got = 0;
	int fd, ret;

	*reply = (struct ctl_reply){ 0, NULL };
	if (!text)
		return -ENOMEM;
	fd = connect_unix(socket_path);
	if (fd < 0) {
		free(text);
		return fd;
	}
	snprintf(head, sizeof(head),
		 "%s /api/v1/%s HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		 method, endpoint, body ? strlen(body) : 0);
	ret = write_all(fd, head, strlen(head));
	if (!ret && body)
		ret = write_all(fd, body, strlen(body));
	while (!ret && got < CTL_MAX_REPLY) {
		ssize_t n = read(fd, text + got, CTL_MAX_REPLY - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ret = -errno;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	text[got] = '\0';
	if (!ret)
		ret = parse_reply(text, got, reply);
	free(text);
	return ret;
}

void ctl_http__free(struct ctl_reply *reply)
{
	free(reply->body);
	reply->body = NULL;
}
