// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the control API's request handling (api__handle: the
 * path, the method, the JSON body and its fields). Input: the method's
 * index in the first byte, then the path up to a NUL, then the body.
 * Invariants: every reply has a status from the documented set and, for
 * an error, a JSON body that says it; an error reaches no operation; an
 * accepted vm.add-device hands over an option its device's parser reads
 * without crashing.
 */
#include "fuzz_quiet.h"
#include "api.h"
#include "../unit/api_double.h"
#include "passthrough.h"
#include "testdev.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const methods[] = { "GET", "PUT", "POST", "DELETE", "HEAD", "" };

static void check_reply(const struct api_double *d, struct api_reply *r)
{
	switch (r->status) {
	case 200: case 204:
		if (d->calls != 1)
			abort();
		break;
	case 400: case 404: case 405: case 413:
		if (d->calls || json_integer_value(json_object_get(r->body, "status")) != r->status)
			abort();
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_double d;
	struct api_reply r;
	char path[256];
	const char *body;
	size_t n;

	if (size < 1)
		return 0;
	fuzz_quiet_messages();
	api_double__init(&d);
	data++, size--;
	for (n = 0; n < size && n < sizeof(path) - 1 && data[n]; n++)
		path[n] = (char)data[n];
	path[n] = '\0';
	body = n < size ? (const char *)data + n + 1 : "";
	r = api__handle(&d.ops, methods[data[-1] % 6], path, body, n < size ? size - n - 1 : 0, NULL);
	check_reply(&d, &r);
	if (d.add) {
		static FILE *null;
		struct passthrough_opts pt;
		struct testdev_opts td;

		if (!null && !(null = fopen("/dev/null", "w")))
			abort();
		if (d.last_spec.testdev)
			testdev__parse_option(d.last_spec.option[0] ? d.last_spec.option : NULL, &td, null);
		else
			passthrough__parse_option(d.last_spec.option, &pt, null);
	}
	free(api__reply_text(&r));
	return 0;
}
