// SPDX-License-Identifier: GPL-2.0
/*
 * The control API's routing (vmm/control/api_routes.c): each endpoint
 * reaches its operation once; every bad request gets its status and a JSON
 * error body and reaches no operation; vm.add-device's JSON becomes the
 * option string the device's own parser (the command line's) accepts.
 */
#include "unit.h"
#include "api.h"
#include "api_double.h"
#include "passthrough.h"
#include "testdev.h"

#include <stdio.h>
#include <string.h>

static struct api_double d;

static int handle(const char *method, const char *path, const char *body)
{
	struct api_reply r = api__handle(&d.ops, method, path, body, body ? strlen(body) : 0, NULL);
	int status = r.status;

	/* Errors carry {"status": N, "error": "..."}; successes their op's body or none. */
	if (status >= 400 && (!json_is_object(r.body) ||
			      json_integer_value(json_object_get(r.body, "status")) != status ||
			      !json_is_string(json_object_get(r.body, "error"))))
		status = -1;
	json_decref(r.body);
	return status;
}

TEST(each_endpoint_reaches_its_operation_once)
{
	api_double__init(&d);
	EXPECT_EQ(handle("GET", "/api/v1/vmm.ping", NULL), 200);
	EXPECT_EQ(handle("GET", "/api/v1/vm.info", NULL), 200);
	EXPECT_EQ(handle("GET", "/api/v1/vm.counters", NULL), 200);
	EXPECT_EQ(handle("PUT", "/api/v1/vm.pause", NULL), 204);
	EXPECT_EQ(handle("PUT", "/api/v1/vm.resume", "{}"), 204);
	EXPECT_EQ(handle("PUT", "/api/v1/vm.power-button", ""), 204);
	EXPECT_EQ(handle("PUT", "/api/v1/vm.shutdown", " { } "), 204);
	EXPECT_EQ(handle("PUT", "/api/v1/vm.add-device", "{\"testdev\": {}}"), 200);
	EXPECT_EQ(handle("PUT", "/api/v1/vm.remove-device", "{\"id\": \"testdev0\"}"), 204);
	EXPECT_EQ(d.calls, 9);
	EXPECT(d.ping == 1 && d.info == 1 && d.counters == 1 && d.pause == 1 && d.resume == 1);
	EXPECT(d.power_button == 1 && d.shutdown == 1 && d.add == 1 && d.remove == 1);
	EXPECT(!strcmp(d.last_id, "testdev0"));
}

TEST(unknown_paths_are_404_and_reach_nothing)
{
	static const char *const paths[] = {
		"/api/v1/vm.nothing", "/api/v1/", "/api/v2/vm.info", "/vm.info",
		"/api/v1/vm.info?x=1", "/api/v1/vm.info/", "/api/v1//vm.info", "", "api/v1/vm.info",
	};

	api_double__init(&d);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		EXPECT_EQ(handle("GET", paths[i], NULL), 404);
	EXPECT_EQ(d.calls, 0);
}

TEST(a_wrong_method_is_405_with_the_allowed_one)
{
	api_double__init(&d);
	EXPECT_EQ(handle("PUT", "/api/v1/vm.info", NULL), 405);
	EXPECT_EQ(handle("GET", "/api/v1/vm.pause", NULL), 405);
	EXPECT_EQ(handle("POST", "/api/v1/vm.shutdown", NULL), 405);
	EXPECT_EQ(handle("DELETE", "/api/v1/vm.remove-device", "{\"id\":\"x\"}"), 405);
	EXPECT_EQ(d.calls, 0);
	EXPECT(!strcmp(api__allowed_method("/api/v1/vm.info"), "GET"));
	EXPECT(!strcmp(api__allowed_method("/api/v1/vm.pause"), "PUT"));
	EXPECT(api__allowed_method("/api/v1/nothing") == NULL);
}

TEST(malformed_json_is_400_and_reaches_nothing)
{
	static const char *const bodies[] = {
		"{", "{\"a\":}", "[1,2", "nul", "{\"id\": \"a\", \"id\": \"b\"}", "\"str\"x",
	};
	struct api_reply r;

	api_double__init(&d);
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		EXPECT_EQ(handle("PUT", "/api/v1/vm.pause", bodies[i]), 400);
		EXPECT_EQ(handle("PUT", "/api/v1/vm.remove-device", bodies[i]), 400);
	}
	/* A NUL inside the body is not JSON. */
	r = api__handle(&d.ops, "PUT", "/api/v1/vm.pause", "{}\0{}", 5, NULL);
	EXPECT_EQ(r.status, 400);
	json_decref(r.body);
	EXPECT_EQ(d.calls, 0);
}

TEST(unknown_or_mistyped_fields_are_400_and_reach_nothing)
{
	static const char *const add[] = {
		"{\"bdf\": \"0000:00:04.0\", \"colour\": 1}",
		"{\"bdf\": 4}",
		"{\"bdf\": \"\"}",
		"{\"bdf\": \"0000:00:04.0,slot=3\"}",   /* no option smuggled in the string */
		"{\"bdf\": \"0000:00:04.0\", \"slot\": 0}",
		"{\"bdf\": \"0000:00:04.0\", \"slot\": 32}",
		"{\"bdf\": \"0000:00:04.0\", \"slot\": \"5\"}",
		"{\"bdf\": \"0000:00:04.0\", \"managed\": \"yes\"}",
		"{\"bdf\": \"0000:00:04.0\", \"backend\": \"iommufd\"}",
		"{\"bdf\": \"0000:00:04.0\", \"msix\": 0}",
		"{\"testdev\": 1}",
		"{\"testdev\": {\"slot\": 40}}",
		"{\"testdev\": {\"fault\": \"stale-status\"}}",
		"{\"testdev\": {}, \"bdf\": \"0000:00:04.0\"}",
		"{}", "[]", "3",
		/* Found by libFuzzer: an address too long for the option, with options after it. */
		"{\"bdf\": \"0000:0gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"
		"ggggggggggggggggggggggggggggggggggggggggggggg0\", \"slot\": 5, \"managed\": true}",
	};
	static const char *const remove[] = {
		"{}", "{\"id\": 3}", "{\"id\": \"\"}", "{\"id\": \"a\", \"x\": 1}",
		"{\"id\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", "[\"id\"]",
	};

	api_double__init(&d);
	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++)
		EXPECT_EQ(handle("PUT", "/api/v1/vm.add-device", add[i]), 400);
	for (size_t i = 0; i < sizeof(remove) / sizeof(remove[0]); i++)
		EXPECT_EQ(handle("PUT", "/api/v1/vm.remove-device", remove[i]), 400);
	EXPECT_EQ(handle("PUT", "/api/v1/vm.pause", "{\"now\": true}"), 400);
	EXPECT_EQ(handle("GET", "/api/v1/vm.info", "[]"), 400);
	EXPECT_EQ(d.calls, 0);
}

TEST(a_body_over_the_limit_is_413_and_reaches_nothing)
{
	static char big[API_MAX_BODY + 2];
	struct api_reply r;

	api_double__init(&d);
	memset(big, ' ', sizeof(big) - 1);
	big[0] = '{';
	big[sizeof(big) - 2] = '}';
	r = api__handle(&d.ops, "PUT", "/api/v1/vm.add-device", big, sizeof(big) - 1, NULL);
	EXPECT_EQ(r.status, 413);
	json_decref(r.body);
	/* At the limit it is read (and here refused only for what it says). */
	r = api__handle(&d.ops, "PUT", "/api/v1/vm.add-device", big + 1, API_MAX_BODY, NULL);
	EXPECT_EQ(r.status, 400);
	json_decref(r.body);
	EXPECT_EQ(d.calls, 0);
}

TEST(add_device_json_becomes_the_command_line_option)
{
	struct passthrough_opts pt;
	struct testdev_opts td;

	api_double__init(&d);
	EXPECT_EQ(handle("PUT", "/api/v1/vm.add-device",
			 "{\"bdf\": \"0000:00:04.0\", \"slot\": 5, \"managed\": true, "
			 "\"backend\": \"vfio\", \"msix\": false}"), 200);
	EXPECT(!d.last_spec.testdev);
	EXPECT(!strcmp(d.last_spec.option, "0000:00:04.0,slot=5,managed,backend=vfio,msix=off"));
	/* The device's own parser, the command line's, takes it, into whatever struct. */
	memset(&pt, 0xa5, sizeof(pt));
	EXPECT(passthrough__parse_option(d.last_spec.option, &pt, stderr));
	EXPECT(pt.slot == 5 && pt.managed && pt.msix_off && pt.backend == PT_BACKEND_VFIO);
	EXPECT(!strcmp(pt.bdf, "0000:00:04.0"));

	EXPECT_EQ(handle("PUT", "/api/v1/vm.add-device", "{\"testdev\": {\"slot\": 6}}"), 200);
	EXPECT(d.last_spec.testdev);
	EXPECT(!strcmp(d.last_spec.option, "slot=6"));
	memset(&pt, 0xa5, sizeof(pt));
	EXPECT(passthrough__parse_option("0000:00:0c.0,managed", &pt, stderr));
	EXPECT(pt.slot == -1 && pt.managed && !pt.msix_off && pt.backend == PT_BACKEND_AUTO &&
	       pt.fault == PT_FAULT_NONE);
	EXPECT(testdev__parse_option(d.last_spec.option, &td, stderr) && td.slot == 6);

	EXPECT_EQ(handle("PUT", "/api/v1/vm.add-device", "{\"testdev\": {}}"), 200);
	EXPECT(d.last_spec.testdev && !d.last_spec.option[0]);
	EXPECT_EQ(d.add, 3);
}
