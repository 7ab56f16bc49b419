/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seccomp sandbox: each thread of a running VM confines itself to the
 * system calls of its class before it touches anything the guest controls.
 *
 * A seccomp filter applies to the thread that loads it and to the threads
 * it creates afterwards; filters stack, and a call must pass every one
 * (seccomp(2)). So each thread loads its own class's filter at its start
 * (sandbox__enter): the vCPU threads before their first KVM_RUN, the main
 * thread (event loop, API, hot-plug, teardown) before it lets them run, a
 * DMA-mapping thread when it starts. What a class may call is the policy's
 * (the app's sandbox_policy.c, which knows the devices); this file is the
 * mechanism: libseccomp, the mode, and what a refused call does.
 *
 *   on   a refused call raises SIGSYS (SECCOMP_RET_TRAP); the handler
 *        prints one line naming the call and the thread and ends the
 *        process with EXIT_SANDBOX. Nothing of pcivmm's runs after that:
 *        the thread that made the call is not trusted to unwind. The
 *        reaper (devices/passthrough/reaper.h), a process of its own,
 *        cleans the host line and gives managed devices back.
 *   log  a refused call is let through and logged by the kernel
 *        (SECCOMP_RET_LOG: dmesg, "audit: type=1326 ... syscall=N").
 *   off  no filter.
 */
#ifndef PCIVMM_SANDBOX_H
#define PCIVMM_SANDBOX_H

#include <stdbool.h>

enum sandbox_mode { SANDBOX_ON, SANDBOX_LOG, SANDBOX_OFF }; /* zero: on, the default */

enum thread_class {
	THREAD_MAIN, /* setup, the event loop, the API, hot-plug, teardown */
	THREAD_VCPU, /* KVM_RUN and the device models it calls */
	THREAD_DMA,  /* maps guest RAM for a VFIO container in the background */
	THREAD_CLASSES,
};

struct sandbox_thread {
	enum thread_class cls;
	unsigned id;    /* THREAD_VCPU: the vCPU's index */
	int vcpu_fd;    /* THREAD_VCPU: its own vCPU fd, the only one its vCPU ioctls may name */
	int vm_fd;      /* the KVM VM fd, the only one VM ioctls may name */
};

/*
 * Adds the allow rules of t's class to ctx (a libseccomp scmp_filter_ctx)
 * for sandbox__enter. 0, or a negative errno from libseccomp.
 */
typedef int (*sandbox_policy_fn)(void *ctx, const struct sandbox_thread *t);

/*
 * On, but off in a build under AddressSanitizer (tests' pcivmm-san): its
 * runtime makes calls of its own that no policy should allow
 * (sigaltstack at a thread's end, LeakSanitizer's ptrace at exit).
 */
enum sandbox_mode sandbox__default_mode(void);
/* "on", "off" or "log" (--seccomp). */
bool sandbox__parse_mode(const char *s, enum sandbox_mode *mode);
const char *sandbox__mode_name(enum sandbox_mode mode);
/*
 * Sets the mode and policy, and with "on" the SIGSYS handler and the table
 * of system call names it prints from. Called once, before any thread
 * that will enter the sandbox starts. 0 or -errno with one line printed.
 */
int sandbox__configure(enum sandbox_mode mode, sandbox_policy_fn policy);
/*
 * Loads the filter of t's class into the calling thread (nothing when the
 * mode is off). t must outlive the thread. 0, or -errno with one line
 * printed: the caller must then stop the VM, never run unconfined.
 */
int sandbox__enter(const struct sandbox_thread *t);

#endif
