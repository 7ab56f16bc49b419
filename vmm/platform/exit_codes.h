/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcivmm's exit status. VMM-side outcomes are even so that they never collide
 * with the debug-exit port, whose status (v << 1) | 1 is always odd (QEMU
 * isa-debug-exit semantics).
 */
#ifndef PCIVMM_EXIT_CODES_H
#define PCIVMM_EXIT_CODES_H

enum pcivmm_exit {
	EXIT_GUEST_POWEROFF = 0, /* guest powered off (ACPI S5 on port 0x604) or reset */
	EXIT_USAGE = 2,          /* bad command line */
	EXIT_BAD_IMAGE = 4,      /* kernel/initrd missing, truncated or not bootable */
	EXIT_HOST = 6,           /* host setup failed: /dev/kvm, KVM ioctl, device */
	EXIT_GUEST_CRASH = 8,    /* triple fault, internal error, unhandled exit */
	EXIT_SIGNAL = 10,        /* stopped by SIGINT, SIGTERM, SIGHUP or the API's vm.shutdown */
	EXIT_CHECK_UNUSABLE = 12, /* pcivmm check: a device is not usable as it is */
	EXIT_SANDBOX = 14,       /* a thread made a system call its seccomp filter refuses */
};

#define EXIT_CODES_HELP                                                        \
	"Exit status:\n"                                                       \
	"  0        guest powered off (port 0x604, ACPI S5) or reset itself\n" \
	"  2v+1     guest wrote v to the debug-exit port 0xf4 (odd)\n"         \
	"  2        bad command line\n"                                        \
	"  4        kernel or initrd missing, truncated or not bootable\n"     \
	"  6        host setup failed (/dev/kvm, KVM, a device)\n"             \
	"  8        guest crashed (triple fault, KVM internal error)\n"        \
	"  10       stopped by a signal or the API's vm.shutdown\n"              \
	"  12       pcivmm check: a device is not usable as it is\n"            \
	"  14       a pcivmm thread made a system call its seccomp filter\n"    \
	"           refuses (--seccomp on; the line before names it)\n"

#endif
