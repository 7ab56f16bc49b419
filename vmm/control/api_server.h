/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --api-socket path=PATH|fd=N: HTTP/1.1 over a Unix socket, served from the
 * main thread's event loop by libmicrohttpd (no thread of its own, so a
 * request runs between the loop's other work and never beside it). A
 * client that sends nothing or a byte a second holds one connection until
 * its timeout, never the loop: libmicrohttpd reads without blocking.
 */
#ifndef PCIVMM_API_SERVER_H
#define PCIVMM_API_SERVER_H

#include <stdio.h>

#include "api.h"

struct event_loop;
struct api_server;

/* Seconds a connection may stay idle or unfinished before it is closed. */
#define API_CONNECTION_TIMEOUT_S 10
#define API_MAX_CONNECTIONS 16

/*
 * Makes (path=) or takes (fd=) the listening socket, before the VM is
 * built so that a bad one costs nothing. path=: mode 0600; a stale socket
 * that nobody answers on is replaced, anything else that exists (a
 * socket in use, a file) is refused. fd=: a bound Unix stream socket.
 * One line to err and -errno on failure.
 */
int api_server__open(struct api_server **out, const char *spec, FILE *err);

/* Serves requests through ops from loop's thread until api_server__close. */
int api_server__start(struct api_server *s, struct event_loop *loop, const struct api_ops *ops);

/*
 * Serves for up to ms more, until no connection is left: the reply to
 * vm.shutdown is queued as the VM stops, and sent here.
 */
#define API_DRAIN_MS 500
void api_server__drain(struct api_server *s, int ms);

/* Stops serving, closes the socket and removes the path it made. NULL is fine. */
void api_server__close(struct api_server *s);

#endif
