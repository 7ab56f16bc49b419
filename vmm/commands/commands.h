/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcivmm's commands other than running a VM, one file each as kvmtool's
 * builtin-*.c: pcivmm check (check.c) and pcivmm release (release.c).
 * They act on the host's devices, never on a VM: they stand on devices/
 * and platform/ and know nothing of boot, the control plane or the
 * command line of a run. Each owns its arguments and its --help.
 */
#ifndef PCIVMM_COMMANDS_H
#define PCIVMM_COMMANDS_H

struct command {
	const char *name; /* argv[1] */
	/* argv[0] is "pcivmm", argv[1] the name. Returns the exit status (exit_codes.h). */
	int (*main)(int argc, char **argv);
};

/* The command argv[1] names, or NULL: then pcivmm runs a VM. */
const struct command *command__find(int argc, char **argv);

#endif
