// SPDX-License-Identifier: GPL-2.0
#include "reaper.h"
#include "host_dev.h"
#include "binding.h"
#include "vfio_dma.h"
#include "log.h"
#include "privileges.h"

#include <dirent.h>
#include <errno.h>
#include <linux/kcmp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REAPER_MAX 32
/* The longest message: an op and a Unix socket's path (sun_path: 108 bytes). */
#define REAPER_MSG_MAX 112

static int reaper_sock = -1; /* pcivmm's end */

struct reaper_owned {
	char bdf[HOST_BDF_MAX];
	int file;      /* the reaper's copy of the device's VFIO file, or -1 */
	int container; /* and of its VFIO container (DMA mappings), or -1 */
};

/*
 * One datagram per message (SOCK_SEQPACKET keeps their bounds): "+BDF",
 * with the device's VFIO file and container attached when it has them;
 * "-BDF", which the reaper answers with one signed byte,
 * host_dev__quiesce_intx's result; "<BDF" (give a managed device back to
 * its driver, answered with binding__give_back's result, 0 or 1 for a
 * failure) and "~PATH" (remove that socket when pcivmm is gone), both for
 * a pcivmm that dropped root.
 */
static int reaper_send(char op, const char *bdf, int file, int container)
{
	char msg[REAPER_MSG_MAX], cbuf[CMSG_SPACE(2 * sizeof(int))] = { 0 };
	int files[2] = { file, container };
	struct iovec iov = { .iov_base = msg };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int n = snprintf(msg, sizeof(msg), "%c%s", op, bdf);

	if (n <= 0 || n >= (int)sizeof(msg))
		return -EINVAL;
	iov.iov_len = n;
	if (file >= 0 && container >= 0) {
		struct cmsghdr *c;

		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(files));
		memcpy(CMSG_DATA(c), files, sizeof(files));
	}
	return sendmsg(reaper_sock, &mh, MSG_NOSIGNAL) == n ? 0 : -errno;
}

void reaper__own(const char *bdf, int file, int container)
{
	if (reaper_sock >= 0 && reaper_send('+', bdf, file, container) < 0)
		pr_debug("reaper: %s", strerror(errno));
}

/* Sends op+arg and reads the reaper's one-byte answer; false without one. */
static bool reaper_ask(char op, const char *arg, signed char *result)
{
	ssize_t n = -1;

	if (reaper_sock >= 0 && reaper_send(op, arg, -1, -1) == 0)
		while ((n = recv(reaper_sock, result, 1, 0)) < 0 && errno == EINTR)
			;
	return n == 1;
}

int reaper__release(const char *bdf)
{
	signed char result;

	if (reaper_ask('-', bdf, &result))
		return result;
	/* No reaper (it failed to start, or was killed): it held no file of this one. */
	return host_dev__quiesce_intx(bdf);
}

int reaper__seal(void)
{
	signed char result;

	if (reaper_sock < 0)
		return 0; /* no reaper: nothing to seal */
	return reaper_ask('!', "", &result) && result == 0 ? 0 : -EIO;
}

int reaper__give_back(const char *bdf)
{
	signed char result;

	if (!privileges__dropped())
		return binding__give_back(bdf, getpid());
	if (reaper_ask('<', bdf, &result))
		return result ? -EIO : 0;
	pr_err("%s: cannot give it back to its driver: pcivmm runs without root and its reaper is gone; run pcivmm release %s as root",
	       bdf, bdf);
	return -ESRCH;
}

void reaper__remove_at_exit(const char *path)
{
	if (reaper_sock < 0 || strlen(path) >= REAPER_MSG_MAX - 1 || reaper_send('~', path, -1, -1))
		pr_debug("reaper: %s will not be removed if pcivmm cannot remove it", path);
}

/*
 * A host BDF as pcivmm prints it (DDDD:BB:DD.F, lower-case hex) and nothing
 * else: the reaper, root, builds sysfs and /run paths from it, so "../" or
 * anything a taken-over pcivmm might send instead never reaches them.
 */
static bool reaper_bdf_ok(const char *bdf)
{
	unsigned dom, bus, dev, fn;
	char again[HOST_BDF_MAX];
	int n = -1;

	if (sscanf(bdf, "%4x:%2x:%2x.%1x%n", &dom, &bus, &dev, &fn, &n) != 4 || n < 0 ||
	    bdf[n] || dev > 31 || fn > 7)
		return false;
	snprintf(again, sizeof(again), "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return !strcmp(again, bdf);
}

static struct reaper_owned *reaper_find(struct reaper_owned *owned, unsigned nr, const char *bdf)
{
	for (unsigned i = 0; i < nr; i++)
		if (!strcmp(owned[i].bdf, bdf))
			return &owned[i];
	return NULL;
}

/*
 * Ends the reaper's hold on a device and masks it at once if it asserts.
 * Closing the last file of a VFIO device runs vfio-pci's release right
 * here, before close() returns: it restores the config the device had when
 * it was opened, INTx enabled, so one still asserting drives the host line
 * from that moment. The config file is opened first, so nothing stands
 * between the release and the mask but one read and one write.
 */
static int reaper_let_go(struct reaper_owned *o)
{
	int ret;

	if (o->container >= 0)
		close(o->container);
	ret = host_dev__quiesce_intx_after_close(o->bdf, o->file); /* -1: none to close */
	o->file = o->container = -1;
	return ret;
}

/*
 * pcivmm died with its guest's memory mapped for DMA. The last close of a
 * device releases it, and the release restores its config (INTx enabled)
 * before it tears down the IOMMU mappings: unpinning a whole guest's pages
 * (slow in a nested L1, whose IOMMU is emulated) would keep a device that
 * asserts unmasked all that time. So the mappings go first, while the
 * device is still open and masked.
 */
static void reaper_unmap_dma(struct reaper_owned *owned, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++)
		if (owned[i].container >= 0)
			vfio_dma__unmap_all(owned[i].container);
}

/* Receives one message; the attached device file and container, if any, in files. 0 at EOF. */
static ssize_t reaper_recv(int sock, char *msg, size_t size, int files[2])
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { .iov_base = msg, .iov_len = size - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	ssize_t n;

	files[0] = files[1] = -1;
	while ((n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n < 0)
		return n;
	msg[n] = '\0';
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		int got[2] = { -1, -1 };
		size_t nr_fds;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len < CMSG_LEN(0))
			continue;
		/* Every file passed is closed unless it is the one pair a "+" may carry. */
		nr_fds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < nr_fds; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (nr_fds == 2 && files[0] < 0)
				got[i] = fd;
			else
				close(fd);
		}
		if (got[0] >= 0)
			memcpy(files, got, sizeof(got));
	}
	return n;
}

/*
 * The socket "~PATH" named, as it was then: its directory held open
 * (O_PATH) and the socket's own name in it, so the end removes that entry
 * of that directory, if it is still the same socket, whatever became of
 * the path's other components meanwhile.
 */
static struct {
	int dir;
	char name[REAPER_MSG_MAX];
	dev_t dev;
	ino_t ino;
} reaper_socket = { .dir = -1 };

static void reaper_note_socket(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[REAPER_MSG_MAX];
	struct stat st;
	int fd;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstatat(fd, slash ? slash + 1 : path, &st, AT_SYMLINK_NOFOLLOW) || !S_ISSOCK(st.st_mode)) {
		close(fd);
		return;
	}
	if (reaper_socket.dir >= 0)
		close(reaper_socket.dir);
	reaper_socket.dir = fd;
	snprintf(reaper_socket.name, sizeof(reaper_socket.name), "%s", slash ? slash + 1 : path);
	reaper_socket.dev = st.st_dev;
	reaper_socket.ino = st.st_ino;
}

static void reaper_remove_socket(void)
{
	struct stat st;

	if (reaper_socket.dir >= 0 &&
	    !fstatat(reaper_socket.dir, reaper_socket.name, &st, AT_SYMLINK_NOFOLLOW) &&
	    S_ISSOCK(st.st_mode) && st.st_dev == reaper_socket.dev && st.st_ino == reaper_socket.ino)
		unlinkat(reaper_socket.dir, reaper_socket.name, 0);
}

/* The one-byte answer pcivmm waits for after "-", "<" and "!". */
static void reaper_answer(int sock, signed char result)
{
	if (send(sock, &result, 1, MSG_NOSIGNAL) != 1)
		pr_debug("reaper: %s", strerror(errno));
}

/*
 * "<BDF": only a device pcivmm itself took (binding__give_back with
 * pcivmm's pid checks the record's owner), so a pcivmm taken over by its
 * guest can move no other device.
 */
static void reaper_give_back(int sock, pid_t parent, const char *bdf)
{
	reaper_answer(sock, binding__give_back(bdf, parent) ? 1 : 0);
}

/*
 * After "!" (pcivmm is about to give up root: reaper__seal, answered so
 * that pcivmm never drops root with the reaper unsealed) the reaper takes
 * no new device and no socket to remove; "-" is answered only for a device
 * it holds, and only once pcivmm has no file of that device left open (a
 * taken-over pcivmm could otherwise have the reaper let go early, and its
 * own exit then restore INTx on an asserting device); "<" only for a
 * device registered before the seal and no longer held (vfio-pci's unbind
 * waits for the reaper's own copy to close: it would wait forever). A
 * taken-over pcivmm, unprivileged, cannot make the root reaper touch what
 * pcivmm did not own while it was still trusted.
 */
static bool reaper_sealed;
static char reaper_known[REAPER_MAX][HOST_BDF_MAX]; /* every device registered before the seal */
static unsigned reaper_nr_known;

static bool reaper_is_known(const char *bdf)
{
	for (unsigned i = 0; i < reaper_nr_known; i++)
		if (!strcmp(reaper_known[i], bdf))
			return true;
	return false;
}

/* True if process pid still has a file descriptor for the open file our fd is (kcmp(2)). */
static bool reaper_parent_has(pid_t pid, int fd)
{
	char dir[32];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		if (e->d_name[0] != '.')
			found = syscall(SYS_kcmp, pid, getpid(), KCMP_FILE, atoi(e->d_name), fd) == 0;
	closedir(d);
	return found;
}

static void reaper_release(struct reaper_owned *owned, unsigned *nr, int sock, pid_t parent,
			   struct reaper_owned *o, const char *bdf)
{
	signed char result;

	if (!o)
		result = reaper_sealed ? -EPERM : host_dev__quiesce_intx(bdf);
	else if (reaper_sealed && o->file >= 0 && reaper_parent_has(parent, o->file))
		result = -EBUSY;
	else
		result = reaper_let_go(o);
	if (o && result != -EBUSY)
		*o = owned[--(*nr)];
	reaper_answer(sock, result);
}

static void reaper_apply(struct reaper_owned *owned, unsigned *nr, int sock, pid_t parent,
			 const char *msg, const int files[2])
{
	bool bdf_ok = reaper_bdf_ok(msg + 1);
	struct reaper_owned *o = bdf_ok ? reaper_find(owned, *nr, msg + 1) : NULL;

	if (msg[0] == '+' && bdf_ok && !o && *nr < REAPER_MAX && !reaper_sealed) {
		o = &owned[(*nr)++];
		snprintf(o->bdf, sizeof(o->bdf), "%.*s", HOST_BDF_MAX - 1, msg + 1);
		o->file = files[0];
		o->container = files[1];
		if (!reaper_is_known(o->bdf) && reaper_nr_known < REAPER_MAX)
			snprintf(reaper_known[reaper_nr_known++], HOST_BDF_MAX, "%s", o->bdf);
		return;
	}
	/* A second "+" for one device, a full list, or any other message: hold nothing. */
	for (unsigned i = 0; i < 2; i++)
		if (files[i] >= 0)
			close(files[i]);
	if (msg[0] == '!') {
		reaper_sealed = true;
		reaper_answer(sock, 0);
	} else if (msg[0] == '~' && !reaper_sealed) {
		reaper_note_socket(msg + 1);
	} else if (msg[0] == '<') {
		if (!bdf_ok || o || (reaper_sealed && !reaper_is_known(msg + 1)))
			reaper_answer(sock, 1);
		else
			reaper_give_back(sock, parent, msg + 1);
	} else if (msg[0] == '-') {
		if (bdf_ok)
			reaper_release(owned, nr, sock, parent, o, msg + 1);
		else
			reaper_answer(sock, -EINVAL);
	}
}

/*
 * recvmsg's 0 on a SOCK_SEQPACKET socket is either the end (pcivmm closed
 * its end or is gone) or an empty datagram, which is no reason to stop
 * serving: only a hang-up is.
 */
static bool reaper_peer_gone(int sock)
{
	struct pollfd p = { .fd = sock, .events = POLLRDHUP };

	return poll(&p, 1, 0) != 0 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL));
}

static void __attribute__((noreturn)) reaper_run(pid_t parent, int sock)
{
	static struct reaper_owned owned[REAPER_MAX];
	char msg[REAPER_MSG_MAX + 1];
	unsigned nr = 0;
	struct pollfd p = { .events = POLLIN };
	ssize_t n;
	int null = open("/dev/null", O_RDWR), files[2];

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
	/*
	 * The pidfd now, while pcivmm surely lives and the reaper's file table
	 * is its own: a pcivmm that filled it later (files passed and never
	 * taken) cannot make the wait below be skipped.
	 */
	p.fd = syscall(SYS_pidfd_open, parent, 0);
	while ((n = reaper_recv(sock, msg, sizeof(msg), files)) > 0 ||
	       (n == 0 && !reaper_peer_gone(sock)))
		if (n > 0)
			reaper_apply(owned, &nr, sock, parent, msg, files);
	/*
	 * pcivmm is ending without releasing these devices. The reaper's copies
	 * keep them open (vfio-pci's INTx handler masks a device that asserts,
	 * and nothing unmasks it now), so pcivmm's exit, however long it takes,
	 * restores no config. pidfd_open(2) polls readable once the process is
	 * gone: every file of its own closed (for the legacy backend, KVM's
	 * deassignment done).
	 */
	if (p.fd >= 0)
		while (poll(&p, 1, -1) < 0 && errno == EINTR)
			;
	reaper_unmap_dma(owned, nr);
	for (unsigned i = 0; i < nr; i++)
		if (reaper_let_go(&owned[i]) == 1)
			pr_warn("%s: still asserting INTx after pcivmm ended abnormally; left with INTX_DISABLE set so the host line stays quiet",
				owned[i].bdf);
	/* Managed devices pcivmm had no chance to give back (binding.h). */
	binding__give_back_all(parent);
	reaper_remove_socket();
	_exit(0);
}

int reaper__start(void)
{
	pid_t parent = getpid(), pid;
	int fds[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
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
		/* Nothing of pcivmm's but the socket (and stdio). */
		if (fds[0] != 3) {
			dup2(fds[0], 3);
			close(fds[0]);
		}
		close_range(4, ~0U, 0);
		reaper_run(parent, 3);
	}
	close(fds[0]);
	reaper_sock = fds[1];
	return 0;
}
