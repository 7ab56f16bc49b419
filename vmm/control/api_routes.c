// SPDX-License-Identifier: GPL-2.0
#include "api.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct api_reply api__error(int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A request's own bytes may be quoted: JSON strings must be UTF-8, so keep them ASCII. */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	return (struct api_reply){ status, json_pack("{siss}", "status", status, "error", msg) };
}

char *api__reply_text(struct api_reply *reply)
{
	char *text = reply->body ? json_dumps(reply->body, JSON_COMPACT) : NULL;

	json_decref(reply->body);
	reply->body = NULL;
	return text;
}

/*
 * The body of a request that takes no parameters: nothing, or an empty
 * object (what `curl -X PUT -d '{}'` and client libraries send).
 */
static struct api_reply *no_params(const json_t *body, struct api_reply *err)
{
	if (!body || (json_is_object(body) && json_object_size(body) == 0))
		return NULL;
	*err = json_is_object(body) ?
		       api__error(400, "unknown field '%s': this request takes none",
				  json_object_iter_key(json_object_iter((json_t *)body))) :
		       api__error(400, "the body must be a JSON object");
	return err;
}

/* An unknown key of obj, or NULL when every key is in allowed (NULL-terminated). */
static const char *unknown_key(const json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		const char *const *a = allowed;

		(void)v;
		while (*a && strcmp(*a, key))
			a++;
		if (!*a)
			return key;
	}
	return NULL;
}

/*
 * Appends ",text" to the option; one that would not fit leaves it as it
 * was and marks the spec too long (refused whole by add_device).
 */
static void option_add(struct api_device_spec *spec, const char *text)
{
	size_t used = strlen(spec->option);

	if (strlen(text) + (used ? 1 : 0) >= sizeof(spec->option) - used) {
		spec->too_long = true;
		return;
	}
	snprintf(spec->option + used, sizeof(spec->option) - used, "%s%s", used ? "," : "", text);
}

/* A "slot" field: 1-31, as the command line's slot=N. */
static bool slot_option(const json_t *slot, struct api_device_spec *spec, struct api_reply *err)
{
	char text[16];

	if (!slot)
		return true;
	if (!json_is_integer(slot) || json_integer_value(slot) < 1 || json_integer_value(slot) > 31) {
		*err = api__error(400, "'slot' must be a number from 1 to 31");
		return false;
	}
	snprintf(text, sizeof(text), "slot=%d", (int)json_integer_value(slot));
	option_add(spec, text);
	return true;
}

static bool testdev_spec(const json_t *td, struct api_device_spec *spec, struct api_reply *err)
{
	static const char *const fields[] = { "slot", NULL };
	const char *bad;

	spec->testdev = true;
	if (!json_is_object(td)) {
		*err = api__error(400, "'testdev' must be an object, e.g. {\"slot\": 6}");
		return false;
	}
	bad = unknown_key(td, fields);
	if (bad) {
		*err = api__error(400, "unknown field 'testdev.%s'; a testdev takes 'slot'", bad);
		return false;
	}
	return slot_option(json_object_get(td, "slot"), spec, err);
}

/* {"bdf": "0000:00:04.0", "slot": 5, "managed": true, "backend": "vfio", "msix": false} */
static bool passthrough_spec(const json_t *body, struct api_device_spec *spec,
			     struct api_reply *err)
{
	static const char *const fields[] = { "bdf", "slot", "managed", "backend", "msix", NULL };
	const json_t *bdf = json_object_get(body, "bdf"), *managed, *backend, *msix;
	const char *bad = unknown_key(body, fields);

	if (bad) {
		*err = api__error(400, "unknown field '%s'; give bdf, slot, managed, backend, msix, or testdev",
				  bad);
		return false;
	}
	if (!json_is_string(bdf) || !json_string_length(bdf) || strpbrk(json_string_value(bdf), ",=") ||
	    json_string_length(bdf) != strlen(json_string_value(bdf))) {
		*err = api__error(400, "'bdf' must be a PCI address such as \"0000:00:04.0\"");
		return false;
	}
	option_add(spec, json_string_value(bdf));
	if (!slot_option(json_object_get(body, "slot"), spec, err))
		return false;
	managed = json_object_get(body, "managed");
	if (managed && !json_is_boolean(managed)) {
		*err = api__error(400, "'managed' must be true or false");
		return false;
	}
	if (json_is_true(managed))
		option_add(spec, "managed");
	backend = json_object_get(body, "backend");
	if (backend && !(json_is_string(backend) && (!strcmp(json_string_value(backend), "vfio") ||
						     !strcmp(json_string_value(backend), "kvm-assign")))) {
		*err = api__error(400, "'backend' must be \"vfio\" or \"kvm-assign\"");
		return false;
	}
	if (backend)
		option_add(spec, !strcmp(json_string_value(backend), "vfio") ? "backend=vfio"
									    : "backend=kvm-assign");
	msix = json_object_get(body, "msix");
	if (msix && !json_is_boolean(msix)) {
		*err = api__error(400, "'msix' must be true or false");
		return false;
	}
	if (json_is_false(msix))
		option_add(spec, "msix=off");
	return true;
}

static struct api_reply add_device(const struct api_ops *ops, const json_t *body,
				   struct api_pending *later)
{
	struct api_device_spec spec = { .testdev = false };
	struct api_reply err;
	const json_t *td;

	if (!json_is_object(body))
		return api__error(400, "give the device: {\"bdf\": \"0000:00:04.0\"} or {\"testdev\": {}}");
	td = json_object_get(body, "testdev");
	if (td && json_object_size(body) != 1)
		return api__error(400, "'testdev' stands alone: {\"testdev\": {\"slot\": N}}");
	(void)later; /* plugging answers at once */
	if (td ? !testdev_spec(td, &spec, &err) : !passthrough_spec(body, &spec, &err))
		return err;
	if (spec.too_long)
		return api__error(400, "the device's options do not fit %zu bytes; 'bdf' is a PCI address",
				  sizeof(spec.option) - 1);
	return ops->add_device(ops->ctx, &spec);
}

static struct api_reply remove_device(const struct api_ops *ops, const json_t *body,
				      struct api_pending *later)
{
	static const char *const fields[] = { "id", NULL };
	const json_t *id = json_object_get(body, "id");
	const char *bad;

	if (!json_is_object(body))
		return api__error(400, "give the device's id: {\"id\": \"testdev0\"}");
	bad = unknown_key(body, fields);
	if (bad)
		return api__error(400, "unknown field '%s'; vm.remove-device takes 'id'", bad);
	if (!json_is_string(id) || !json_string_length(id) ||
	    json_string_length(id) >= API_DEVICE_ID_MAX ||
	    json_string_length(id) != strlen(json_string_value(id)))
		return api__error(400, "'id' must be a device id as vm.info lists them");
	return ops->remove_device(ops->ctx, json_string_value(id), later);
}

enum api_verb { GET, PUT };

static struct api_reply as_query(json_t *answer)
{
	return answer ? api__ok(answer) : api__error(500, "out of memory");
}

static struct api_reply as_action(struct api_reply reply)
{
	return reply;
}

/* A request without parameters: an empty body, then the op, its answer made a reply. */
#define PARAMLESS_ROUTE(op, reply)                                                   \
	static struct api_reply route_##op(const struct api_ops *ops, const json_t *body, \
					   struct api_pending *later)                        \
	{                                                                            \
		struct api_reply err;                                                \
		(void)later;                                                         \
		if (no_params(body, &err))                                           \
			return err;                                                  \
		return reply(ops->op(ops->ctx));                                     \
	}
#define QUERY_ROUTE(op) PARAMLESS_ROUTE(op, as_query)
#define ACTION_ROUTE(op) PARAMLESS_ROUTE(op, as_action)
QUERY_ROUTE(ping)
QUERY_ROUTE(info)
QUERY_ROUTE(counters)
ACTION_ROUTE(pause)
ACTION_ROUTE(resume)
ACTION_ROUTE(power_button)
ACTION_ROUTE(shutdown)

static const struct {
	const char *name;
	enum api_verb verb;
	struct api_reply (*handle)(const struct api_ops *ops, const json_t *body,
				   struct api_pending *later);
} routes[] = {
	{ "vmm.ping", GET, route_ping },
	{ "vm.info", GET, route_info },
	{ "vm.counters", GET, route_counters },
	{ "vm.pause", PUT, route_pause },
	{ "vm.resume", PUT, route_resume },
	{ "vm.power-button", PUT, route_power_button },
	{ "vm.shutdown", PUT, route_shutdown },
	{ "vm.add-device", PUT, add_device },
	{ "vm.remove-device", PUT, remove_device },
};

static int route_index(const char *path)
{
	if (strncmp(path, API_PREFIX, strlen(API_PREFIX)))
		return -1;
	path += strlen(API_PREFIX);
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (!strcmp(path, routes[i].name))
			return (int)i;
	return -1;
}

const char *api__allowed_method(const char *path)
{
	int i = route_index(path);

	return i < 0 ? NULL : routes[i].verb == GET ? "GET" : "PUT";
}

struct api_reply api__handle(const struct api_ops *ops, const char *method, const char *path,
			     const char *body, size_t body_len, struct api_pending *later)
{
	int i = route_index(path);
	struct api_reply reply;
	json_error_t jerr;
	json_t *json = NULL;

	if (i < 0)
		return api__error(404, "no such endpoint: %.200s; see doc/api.md", path);
	if (strcmp(method, routes[i].verb == GET ? "GET" : "PUT"))
		return api__error(405, "%s takes %s, not %.16s", routes[i].name,
				  routes[i].verb == GET ? "GET" : "PUT", method);
	if (ops->closed)
		return api__error(503, "the VM is stopping");
	if (body_len > API_MAX_BODY)
		return api__error(413, "the body is %zu bytes; at most %d", body_len, API_MAX_BODY);
	if (body_len) {
		json = json_loadb(body, body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!json)
			return api__error(400, "malformed JSON at line %d, column %d: %s", jerr.line,
					  jerr.column, jerr.text);
	}
	reply = routes[i].handle(ops, json, later);
	json_decref(json);
	return reply;
}
