/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control API (doc/api.md): cloud-hypervisor's endpoint shapes under
 * http://localhost/api/v1/, JSON bodies. This part is the request's
 * meaning, apart from HTTP's framing (api_server.c): one function from
 * (method, path, body) to (status, JSON body), that the server, the unit
 * tests and the fuzz target all call. What a request does to the VM is
 * behind struct api_ops (vm_control.c), so routing knows no device.
 */
#ifndef PCIVMM_API_H
#define PCIVMM_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define API_PREFIX "/api/v1/"
/* Larger bodies get 413: the biggest valid one (add-device) is ~150 bytes. */
#define API_MAX_BODY 4096
/* An option string as --passthrough or --testdev takes it. */
#define API_DEVICE_OPTION_MAX 128
#define API_DEVICE_ID_MAX 32
/*
 * How long a request waits for every vCPU to leave KVM_RUN (vm.pause, and
 * the pause around a bus change): 503 after it (doc/api.md).
 */
#define API_PAUSE_TIMEOUT_MS 2000
/* How long vm.remove-device waits for the guest to eject the device: 504 after it. */
#define API_EJECT_TIMEOUT_S 10

/* A reply: HTTP status and JSON body (NULL with 204). body is owned by the reply. */
struct api_reply {
	int status;
	json_t *body;
};

/*
 * A reply that comes later (vm.remove-device waits for the guest's eject):
 * the op returns API_DEFERRED and answers through api__answer_later(later,
 * reply) from the main thread; later is the server's, NULL where nothing
 * can wait (then the op must answer at once).
 */
#define API_DEFERRED 0
struct api_pending;
void api__answer_later(struct api_pending *later, struct api_reply reply);

/* vm.add-device's body, as the command line's option (CLI syntax, checked by the device's parser). */
struct api_device_spec {
	bool testdev; /* else a passed host device */
	bool too_long; /* the option did not fit: refused */
	char option[API_DEVICE_OPTION_MAX];
};

struct api_ops {
	void *ctx;
	bool closed; /* the VM is being torn down: every request gets 503 */
	json_t *(*ping)(void *ctx);
	json_t *(*info)(void *ctx);
	json_t *(*counters)(void *ctx);
	struct api_reply (*pause)(void *ctx);
	struct api_reply (*resume)(void *ctx);
	struct api_reply (*power_button)(void *ctx);
	struct api_reply (*shutdown)(void *ctx);
	struct api_reply (*add_device)(void *ctx, const struct api_device_spec *spec);
	struct api_reply (*remove_device)(void *ctx, const char *id, struct api_pending *later);
};

/*
 * The whole meaning of one request. path is the request target (a query
 * string is refused as an unknown path); body may hold NULs (refused as
 * malformed JSON). Errors: 400 malformed JSON or an unknown or mistyped
 * field, 404 unknown path, 405 wrong method, 413 body over API_MAX_BODY;
 * the ops add 409 (wrong state) and their own. Nothing is changed on error.
 */
struct api_reply api__handle(const struct api_ops *ops, const char *method, const char *path,
			     const char *body, size_t body_len, struct api_pending *later);

/* The methods a known path takes ("GET" or "PUT"), for 405's Allow header; NULL if unknown. */
const char *api__allowed_method(const char *path);

/* An error reply: {"status": N, "error": "message"}. */
__attribute__((format(printf, 2, 3))) struct api_reply api__error(int status, const char *fmt, ...);
static inline struct api_reply api__ok(json_t *body)
{
	return (struct api_reply){ body ? 200 : 204, body };
}

/* The reply's body as text (malloc'd, NULL for 204 or out of memory); the body is released. */
char *api__reply_text(struct api_reply *reply);

#endif
