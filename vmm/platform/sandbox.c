// SPDX-License-Identifier: GPL-2.0
#include "sandbox.h"
#include "exit_codes.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* x86-64 numbers its calls below 512 (x32's start at 512 and are refused). */
#define SANDBOX_MAX_NR 512

static enum sandbox_mode mode;
static sandbox_policy_fn policy;
/* Names resolved before any filter exists: the SIGSYS handler may not allocate. */
static const char *call_names[SANDBOX_MAX_NR];
static __thread const struct sandbox_thread *self;

static const char *const class_names[THREAD_CLASSES] = {
	[THREAD_MAIN] = "main", [THREAD_VCPU] = "vCPU", [THREAD_DMA] = "DMA-mapping",
};

bool sandbox__parse_mode(const char *s, enum sandbox_mode *m)
{
	for (enum sandbox_mode i = SANDBOX_ON; i <= SANDBOX_OFF; i++)
		if (!strcmp(s, sandbox__mode_name(i))) {
			*m = i;
			return true;
		}
	return false;
}

const char *sandbox__mode_name(enum sandbox_mode m)
{
	return m == SANDBOX_ON ? "on" : m == SANDBOX_LOG ? "log" : "off";
}

enum sandbox_mode sandbox__default_mode(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return SANDBOX_OFF;
#elif defined(PCIVMM_SECCOMP_DEFAULT_LOG)
	return SANDBOX_LOG; /* meson -Dseccomp_default=log: a build to survey new paths with */
#else
	return SANDBOX_ON;
#endif
}

/* Appends s to buf at *n (async-signal-safe: no stdio, no allocation). */
static void put_str(char *buf, size_t size, size_t *n, const char *s)
{
	while (*s && *n < size - 1)
		buf[(*n)++] = *s++;
}

static void put_uint(char *buf, size_t size, size_t *n, unsigned long v)
{
	char digits[24];
	int i = sizeof(digits) - 1;

	digits[i] = '\0';
	do
		digits[--i] = '0' + v % 10;
	while ((v /= 10) && i > 0);
	put_str(buf, size, n, digits + i);
}

/*
 * SECCOMP_RET_TRAP delivers SIGSYS with si_syscall set, the call not made.
 * One line on stderr, then the process ends: exit_group is on every
 * class's list, write on every one too.
 */
static void sandbox_on_sigsys(int sig, siginfo_t *info, void *uctx)
{
	const struct sandbox_thread *t = self;
	int nr = info->si_syscall;
	char line[256];
	size_t n = 0;

	(void)sig;
	(void)uctx;
	put_str(line, sizeof(line), &n, "pcivmm: error: seccomp: the ");
	put_str(line, sizeof(line), &n, t ? class_names[t->cls] : "unsandboxed");
	if (t && t->cls == THREAD_VCPU) {
		put_str(line, sizeof(line), &n, " ");
		put_uint(line, sizeof(line), &n, t->id);
	}
	put_str(line, sizeof(line), &n, " thread called ");
	put_str(line, sizeof(line), &n,
		nr >= 0 && nr < SANDBOX_MAX_NR && call_names[nr] ? call_names[nr] : "an unknown call");
	put_str(line, sizeof(line), &n, " (system call ");
	put_uint(line, sizeof(line), &n, (unsigned)nr);
	put_str(line, sizeof(line), &n,
		"), which its filter refuses; pcivmm stops here (--seccomp log to list such calls without stopping)\n");
	if (write(STDERR_FILENO, line, n) < 0)
		n = 0;
	_exit(EXIT_SANDBOX);
}

static int sandbox_install_trap(void)
{
	struct sigaction sa = { .sa_sigaction = sandbox_on_sigsys, .sa_flags = SA_SIGINFO };

	for (int nr = 0; nr < SANDBOX_MAX_NR; nr++)
		call_names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	sigfillset(&sa.sa_mask);
	return sigaction(SIGSYS, &sa, NULL) ? -errno : 0;
}

int sandbox__configure(enum sandbox_mode m, sandbox_policy_fn p)
{
	int ret = 0;

	mode = m;
	policy = p;
	if (mode == SANDBOX_ON)
		ret = sandbox_install_trap();
	if (ret)
		pr_err("seccomp: cannot install the SIGSYS handler: %s; run with --seccomp off to go without a filter",
		       strerror(-ret));
	return ret;
}

int sandbox__enter(const struct sandbox_thread *t)
{
	scmp_filter_ctx ctx;
	sigset_t sys;
	int ret;

	if (mode == SANDBOX_OFF)
		return 0;
	ctx = seccomp_init(mode == SANDBOX_ON ? SCMP_ACT_TRAP : SCMP_ACT_LOG);
	if (!ctx) {
		pr_err("seccomp: cannot build the %s thread's filter (out of memory)", class_names[t->cls]);
		return -ENOMEM;
	}
	ret = policy(ctx, t);
	if (!ret)
		ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret) {
		pr_err("seccomp: cannot load the %s thread's filter: %s; run with --seccomp off to go without one",
		       class_names[t->cls], strerror(-ret));
		return ret;
	}
	self = t;
	/*
	 * SIGSYS must reach the handler: the kernel forces a blocked one to its
	 * default action, a silent core dump (force_sig_info_to_task), and a
	 * DMA thread starts with every signal blocked.
	 */
	sigemptyset(&sys);
	sigaddset(&sys, SIGSYS);
	pthread_sigmask(SIG_UNBLOCK, &sys, NULL);
	return 0;
}
