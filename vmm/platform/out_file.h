/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a file pcivmm writes (--dump-dtb) goes. "-" is stdout. A name that
 * exists and is not a regular file (a device node such as /dev/full, a
 * FIFO, /dev/stdout) is written through, never replaced. Anything else is
 * written whole as NAME.tmp.PID beside the file the name resolves to
 * (through a symlink: beside its target, so the link stays a link) and
 * renamed over it, so no reader ever sees half a file. A utility of the
 * floor, as log.c is: boot writes its FDT and ACPI tables through it
 * (--dump-dtb, --dump-acpi) and the command line checks a path with it.
 */
#ifndef PCIVMM_OUT_FILE_H
#define PCIVMM_OUT_FILE_H

#include <stddef.h>

enum out_file_kind { OUT_FILE_STDOUT, OUT_FILE_THROUGH, OUT_FILE_REPLACE };

struct out_file_plan {
	enum out_file_kind kind;
	char path[4096]; /* written through, or renamed over */
	char dir[4096];  /* OUT_FILE_REPLACE: where the temporary file goes */
};

/*
 * Plans the write without writing: 0, or negative errno with *why naming
 * what is wrong ("is a directory", "directory D: ..." is in plan->dir).
 */
int out_file__plan(const char *name, struct out_file_plan *plan, const char **why);

/* Writes data to name as planned; 0 or negative errno (nothing left behind). */
int out_file__write(const char *name, const void *data, size_t size);

#endif
