// SPDX-License-Identifier: GPL-2.0
/*
 * pcivmm-ctl: the control API's client, as cloud-hypervisor's ch-remote.
 * One request per run over the Unix socket of pcivmm --api-socket; human
 * output by default, the server's JSON with --json.
 */
#include "ctl_http.h"
#include "ctl_print.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exit statuses (also in --help). */
enum { CTL_OK = 0, CTL_REFUSED = 1, CTL_USAGE = 2, CTL_NO_VMM = 3 };

static const char usage_text[] =
	"Usage: pcivmm-ctl --api-socket PATH [--json] COMMAND [ARG]\n"
	"Drives a running pcivmm through its control API (pcivmm --api-socket path=PATH).\n"
	"\n"
	"Commands:\n"
	"  ping                       version, pid and features of the pcivmm serving PATH\n"
	"  info                       state, machine, and every device with its id\n"
	"  counters                   exits and per-device INTx counts\n"
	"  pause | resume             stop every vCPU, or let them run again\n"
	"  power-button               press the ACPI power button (the guest shuts down)\n"
	"  shutdown                   stop the VM now, torn down as on SIGTERM\n"
	"  add-device BDF[,slot=N][,managed][,backend=vfio|kvm-assign][,msix=off]\n"
	"  add-device testdev[,slot=N]\n"
	"                             plug a host device or an emulated test device in\n"
	"  remove-device ID           ask the guest to eject device ID (from info)\n"
	"\n"
	"  --json                     print the server's JSON reply as it came\n"
	"  -h, --help                 this text\n"
	"\n"
	"Exit status: 0 done, 1 the VM refused (the reason is printed), 2 bad command\n"
	"line, 3 no pcivmm answers on the socket.\n";

struct ctl_command {
	const char *name;
	const char *method, *endpoint;
	bool takes_arg;
	void (*print)(json_t *reply);
};

static const struct ctl_command commands[] = {
	{ "ping", "GET", "vmm.ping", false, ctl_print__ping },
	{ "info", "GET", "vm.info", false, ctl_print__info },
	{ "counters", "GET", "vm.counters", false, ctl_print__counters },
	{ "pause", "PUT", "vm.pause", false, NULL },
	{ "resume", "PUT", "vm.resume", false, NULL },
	{ "power-button", "PUT", "vm.power-button", false, ctl_print__power_button },
	{ "shutdown", "PUT", "vm.shutdown", false, NULL },
	{ "add-device", "PUT", "vm.add-device", true, ctl_print__added },
	{ "remove-device", "PUT", "vm.remove-device", true, NULL },
};

/* "BDF,slot=5,managed" or "testdev,slot=6" -> vm.add-device's body; NULL and a line on error. */
static json_t *add_device_body(const char *arg)
{
	char *copy = strdup(arg), *save, *tok = strtok_r(copy, ",", &save);
	bool testdev = tok && !strcmp(tok, "testdev");
	json_t *dev = json_object();

	if (tok && !testdev)
		json_object_set_new(dev, "bdf", json_string(tok));
	while (tok && (tok = strtok_r(NULL, ",", &save))) {
		char *eq = strchr(tok, '=');
		char *end;

		if (eq && !strncmp(tok, "slot=", 5)) {
			long slot = strtol(eq + 1, &end, 0);

			if (*end || end == eq + 1)
				break;
			json_object_set_new(dev, "slot", json_integer(slot));
		} else if (!testdev && !strcmp(tok, "managed")) {
			json_object_set_new(dev, "managed", json_true());
		} else if (!testdev && !strncmp(tok, "backend=", 8)) {
			json_object_set_new(dev, "backend", json_string(eq + 1));
		} else if (!testdev && !strcmp(tok, "msix=off")) {
			json_object_set_new(dev, "msix", json_false());
		} else {
			break;
		}
	}
	if (!copy || !*arg || tok) {
		fprintf(stderr, "pcivmm-ctl: error: add-device %s: %s%s; see pcivmm-ctl --help\n", arg,
			tok ? "unknown option " : "no device given", tok ? tok : "");
		json_decref(dev);
		free(copy);
		return NULL;
	}
	free(copy);
	return testdev ? json_pack("{so}", "testdev", dev) : dev;
}

static json_t *request_body(const struct ctl_command *c, const char *arg)
{
	if (!strcmp(c->name, "add-device"))
		return add_device_body(arg);
	if (!strcmp(c->name, "remove-device"))
		return json_pack("{ss}", "id", arg);
	return json_object();
}

static int run(const char *socket_path, const struct ctl_command *c, const char *arg, bool raw)
{
	struct ctl_reply reply;
	json_t *body = c->takes_arg ? request_body(c, arg) : NULL;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int ret;

	json_decref(body);
	if (c->takes_arg && !text)
		return CTL_USAGE;
	ret = ctl_http__request(socket_path, c->method, c->endpoint, text, &reply);
	free(text);
	if (ret) {
		fprintf(stderr, "pcivmm-ctl: error: %s: %s; is pcivmm running with --api-socket path=%s?\n",
			socket_path, strerror(-ret), socket_path);
		return CTL_NO_VMM;
	}
	if (raw && reply.body)
		printf("%s\n", reply.body);
	ret = reply.status / 100 == 2 ? CTL_OK : CTL_REFUSED;
	if (!raw)
		ctl_print__reply(&reply, c->print);
	ctl_http__free(&reply);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "api-socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *socket_path = NULL;
	bool raw = false;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (opt) {
		case 's': socket_path = optarg; break;
		case 'j': raw = true; break;
		case 'h': fputs(usage_text, stdout); return CTL_OK;
		default:
			fprintf(stderr, "pcivmm-ctl: error: bad option '%s'; see pcivmm-ctl --help\n",
				argv[optind - 1]);
			return CTL_USAGE;
		}
	}
	if (!socket_path || optind >= argc) {
		fprintf(stderr, "pcivmm-ctl: error: %s; usage: pcivmm-ctl --api-socket PATH COMMAND (see --help)\n",
			socket_path ? "no command given" : "no --api-socket PATH given");
		return CTL_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct ctl_command *c = &commands[i];

		if (strcmp(argv[optind], c->name))
			continue;
		if (argc - optind != (c->takes_arg ? 2 : 1)) {
			fprintf(stderr, "pcivmm-ctl: error: %s takes %s; see pcivmm-ctl --help\n", c->name,
				c->takes_arg ? "one argument" : "no argument");
			return CTL_USAGE;
		}
		return run(socket_path, c, c->takes_arg ? argv[optind + 1] : NULL, raw);
	}
	fprintf(stderr, "pcivmm-ctl: error: unknown command '%s'; see pcivmm-ctl --help\n", argv[optind]);
	return CTL_USAGE;
}
