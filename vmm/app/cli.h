/* SPDX-License-Identifier: GPL-2.0 */
/* The command line, parsed into a plain description of the machine to run. */
#ifndef PCIVMM_CLI_H
#define PCIVMM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "log.h"
#include "passthrough.h"
#include "privileges.h"
#include "sandbox.h"
#include "testdev.h"

#define CLI_MAX_DEVICES 16
#define CLI_MIN_MEM (16ULL << 20)
#define CLI_MAX_MEM (512ULL << 30)
#define CLI_MAX_CPUS 64
/* Room in the FDT (64 KiB) and the boot command-line area; Linux takes less (its cmdline_size). */
#define CLI_MAX_CMDLINE 16384
/*
 * Each device's option and its parser live with the device
 * (passthrough__parse_option, testdev__parse_option): the CLI knows their
 * types, the devices know nothing of the CLI.
 */

struct vmm_config {
	const char *kernel, *initrd, *cmdline, *dump_dtb, *dump_acpi;
	uint64_t mem_size;
	unsigned nr_cpus;
	struct testdev_opts testdevs[CLI_MAX_DEVICES];
	unsigned nr_testdevs;
	struct passthrough_opts passthrough[CLI_MAX_DEVICES];
	unsigned nr_passthrough;
	enum log_level log_level; /* --log-level, -v */
	const char *log_file;     /* --log-file */
	bool stats; /* --stats */
	const char *api_socket;    /* --api-socket path=PATH|fd=N (vmm/control/api_server.h) */
	const char *event_monitor; /* --event-monitor path=PATH|fd=N (event_monitor.h) */
	enum sandbox_mode seccomp; /* --seccomp on|off|log (sandbox.h); on by default */
	struct run_as run_as;      /* --user, --chroot (privileges.h) */
};

enum cli_result {
	CLI_RUN,    /* boot the machine */
	CLI_EXITED, /* --help or --version printed */
	CLI_ERROR,  /* one line printed to err */
};

/* Parses argv. out gets --help/--version text, err gets error lines. */
enum cli_result cli__parse(int argc, char **argv, struct vmm_config *cfg, FILE *out,
			   FILE *err);


#endif
