/* SPDX-License-Identifier: GPL-2.0 */
/* The command line, parsed into a plain description of the machine to run. */
#ifndef PCIVMM_CLI_H
#define PCIVMM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../devices/passthrough/passthrough.h"
#include "../devices/testdev.h"

#define CLI_MAX_DEVICES 16
#define CLI_MIN_MEM (16ULL << 20)
#define CLI_MAX_MEM (512ULL << 30)
#define CLI_MAX_CPUS 64
/* Room in the FDT (64 KiB) and the boot command-line area; Linux takes less (its cmdline_size). */
#define CLI_MAX_CMDLINE 16384
/* "dddd:bb:dd.f" with a domain of up to 8 hex digits (Intel VMD uses 10000 and up) */
#define CLI_BDF_MAX 24

struct cli_testdev {
	int slot; /* -1: first free slot */
	enum testdev_fault fault;
};

struct cli_passthrough {
	char bdf[CLI_BDF_MAX]; /* canonical "dddd:bb:dd.f", sysfs's spelling */
	int domain, bus, dev, func;
	int slot; /* guest slot, -1: first free */
	enum passthrough_fault fault;
	enum passthrough_backend backend;
	bool managed; /* ,managed: bound to vfio-pci for the run, then given back */
};

struct vmm_config {
	const char *kernel, *initrd, *cmdline, *dump_dtb;
	uint64_t mem_size;
	unsigned nr_cpus;
	struct cli_testdev testdevs[CLI_MAX_DEVICES];
	unsigned nr_testdevs;
	struct cli_passthrough passthrough[CLI_MAX_DEVICES];
	unsigned nr_passthrough;
	bool verbose;
	bool stats; /* --stats */
};

enum cli_result {
	CLI_RUN,    /* boot the machine */
	CLI_EXITED, /* --help or --version printed */
	CLI_ERROR,  /* one line printed to err */
};

/* Parses argv. out gets --help/--version text, err gets error lines. */
enum cli_result cli__parse(int argc, char **argv, struct vmm_config *cfg, FILE *out,
			   FILE *err);

/* "256M", "1G", "512" (MiB) -> bytes; false on a malformed size. */
bool cli__parse_size(const char *s, uint64_t *bytes);
/*
 * "[dddd:]bb:dd.f" through libpci's slot parser into pt's domain, bus,
 * dev, func and bdf (sysfs's spelling); else one line "pcivmm: WHAT S: ..."
 * to err and false.
 */
bool cli__parse_bdf(const char *s, struct cli_passthrough *pt, const char *what, FILE *err);

#endif
