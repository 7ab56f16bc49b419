// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the command line, BDF parsing (libpci's slot parser and
 * our option handling) included. Input: up to 32 arguments separated by NUL
 * bytes. Invariants: a parse that says "run" has something to run (a
 * kernel, or a --dump-dtb or --dump-acpi path, never an empty one); every
 * passed device has a well-formed BDF and a slot in range; sizes and counts
 * are within their documented limits.
 */
#include "fuzz_quiet.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ARGS 32

static void check_config(const struct vmm_config *c)
{
	if (!c->kernel && !c->dump_dtb && !c->dump_acpi)
		abort();
	if ((c->dump_dtb && !c->dump_dtb[0]) || (c->dump_acpi && !c->dump_acpi[0]))
		abort();
	if (c->mem_size < CLI_MIN_MEM || c->mem_size > CLI_MAX_MEM || c->mem_size % 4096)
		abort();
	if (c->nr_cpus < 1 || c->nr_cpus > CLI_MAX_CPUS)
		abort();
	if (c->nr_passthrough > CLI_MAX_DEVICES || c->nr_testdevs > CLI_MAX_DEVICES)
		abort();
	if (c->cmdline && strlen(c->cmdline) >= CLI_MAX_CMDLINE)
		abort();
	for (unsigned i = 0; i < c->nr_passthrough; i++) {
		const struct passthrough_opts *p = &c->passthrough[i];
		unsigned dom, bus, dev, fn;
		char tail;

		if (sscanf(p->bdf, "%x:%2x:%2x.%1x%c", &dom, &bus, &dev, &fn, &tail) != 4 ||
		    dev > 31 || fn > 7 || p->slot == 0 || p->slot > 31)
			abort();
	}
	for (unsigned i = 0; i < c->nr_testdevs; i++)
		if (c->testdevs[i].slot == 0 || c->testdevs[i].slot > 31)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[FUZZ_ARGS + 2];
	static FILE *null;
	struct vmm_config cfg;
	int argc = 1;

	fuzz_quiet_messages();
	if (!null)
		null = fopen("/dev/null", "w");
	if (!buf || !null) {
		free(buf);
		return 0;
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "pcivmm";
	for (size_t start = 0; start <= size && argc <= FUZZ_ARGS; argc++) {
		argv[argc] = buf + start;
		start += strlen(buf + start) + 1;
	}
	argv[argc] = NULL;
	if (cli__parse(argc, argv, &cfg, null, null) == CLI_RUN)
		check_config(&cfg);
	free(buf);
	return 0;
}
