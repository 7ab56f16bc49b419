// SPDX-License-Identifier: GPL-2.0
#include "reaper.h"
#include "host_dev.h"
#include "binding.h"
#include "../../vmm/log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REAPER_MAX 32
#define REAPER_BDF 24

static int reaper_fd = -1; /* the write end, in pcivmm */

/* "+BDF\n" or "-BDF\n": one write each, atomic (below PIPE_BUF). */
static void reaper_tell(char op, const char *bdf)
{
	char msg[REAPER_BDF + 3];
	int n = snprintf(msg, sizeof(msg), "%c%s\n", op, bdf);

	if (reaper_fd >= 0 && n > 0 && n < (int)sizeof(msg) && write(reaper_fd, msg, n) != n)
		pr_debug("reaper: %s", strerror(errno));
}

void reaper__own(const char *bdf)
{
	reaper_tell('+', bdf);
}

void reaper__disown(const char *bdf)
{
	reaper_tell('-', bdf);
}

/* Applies one line of the protocol to the list of owned devices. */
static void reaper_apply(char (*owned)[REAPER_BDF], unsigned *nr, const char *line)
{
	const char *bdf = line + 1;

	if (line[0] == '+' && *nr < REAPER_MAX) {
		snprintf(owned[(*nr)++], REAPER_BDF, "%.*s", REAPER_BDF - 1, bdf);
	} else if (line[0] == '-') {
		for (unsigned i = 0; i < *nr; i++) {
			if (strcmp(owned[i], bdf))
				continue;
			memmove(owned[i], owned[i + 1], (*nr - i - 1) * REAPER_BDF);
			(*nr)--;
			break;
		}
	}
}

static void __attribute__((noreturn)) reaper_run(pid_t parent, int in)
{
	static char owned[REAPER_MAX][REAPER_BDF];
	char buf[512], line[REAPER_BDF + 2];
	unsigned nr = 0, len = 0;
	struct pollfd p = { .events = POLLIN };
	int null = open("/dev/null", O_RDWR);
	ssize_t n;

	prctl(PR_SET_NAME, "pcivmm-reaper");
	/* Ctrl-C and friends are for pcivmm; the reaper ends when it does. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* Keep no pipe reader waiting on stdout; stderr stays for one line. */
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (len < sizeof(line) - 1)
					line[len++] = buf[i];
				continue;
			}
			line[len] = '\0';
			reaper_apply(owned, &nr, line);
			len = 0;
		}
	}
	/*
	 * The pipe closed while pcivmm was exiting; its VFIO files may not be
	 * released yet. pidfd_open(2) polls readable once the process is gone.
	 */
	p.fd = syscall(SYS_pidfd_open, parent, 0);
	if (p.fd >= 0)
		while (poll(&p, 1, -1) < 0 && errno == EINTR)
			;
	for (unsigned i = 0; i < nr; i++)
		if (host_dev__quiesce_intx(owned[i]) == 1)
			pr_warn("%s: still asserting INTx after pcivmm ended abnormally; left with INTX_DISABLE set so the host line stays quiet",
				owned[i]);
	/* Managed devices pcivmm had no chance to give back (binding.h). */
	binding__give_back_all(parent);
	_exit(0);
}

int reaper__start(void)
{
	pid_t parent = getpid(), pid;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(fds[0]);
		close(fds[1]);
		pr_warn("cannot start the reaper (%s): if pcivmm is killed, a passed device may be left asserting INTx",
			strerror(err));
		return -err;
	}
	if (pid == 0) {
		close(fds[1]);
		/* Nothing of pcivmm's but the pipe (and stdio). */
		if (fds[0] != 3) {
			dup2(fds[0], 3);
			close(fds[0]);
		}
		close_range(4, ~0U, 0);
		reaper_run(parent, 3);
	}
	close(fds[0]);
	reaper_fd = fds[1];
	return 0;
}
