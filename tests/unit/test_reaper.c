// SPDX-License-Identifier: GPL-2.0
/*
 * The reaper's seal (devices/passthrough/reaper.c): once pcivmm is about to
 * give up root (reaper__seal), the root reaper registers no new device and
 * no socket to remove, and a "-" for a device it does not hold is refused
 * (-EPERM) instead of masked: a pcivmm its guest took over cannot have the
 * reaper touch what pcivmm did not own before. The reaper is one per
 * process and ends when its parent does, so each case runs in a forked
 * child that plays pcivmm. The BDFs name no device (nothing is masked).
 */
#include "unit.h"
#include "reaper.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OWNED_BEFORE "0000:7f:1f.6"
#define OFFERED_AFTER "0000:7f:1f.7"

/* Runs fn in a child (pcivmm's part); its exit status, or -1. */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* 0 if the reaper answered for the device taken before the seal and refused the other. */
static int release_after_seal(void *unused)
{
	int owned, offered;

	(void)unused;
	if (reaper__start())
		return 2;
	reaper__own(OWNED_BEFORE, -1, -1);
	reaper__seal();
	reaper__own(OFFERED_AFTER, -1, -1);
	owned = reaper__release(OWNED_BEFORE);
	offered = reaper__release(OFFERED_AFTER);
	return owned != -EPERM && offered == -EPERM ? 0 : 1;
}

TEST(a_sealed_reaper_releases_only_devices_taken_before)
{
	EXPECT_EQ(in_child(release_after_seal, NULL), 0);
}

/*
 * 0 if, sealed, the reaper kept a device while this "pcivmm" still had the
 * device's file open (-EBUSY: letting go then would let pcivmm's own exit
 * restore INTx), and let go once it had closed it.
 */
static int release_while_open(void *unused)
{
	int file[2], busy, after;

	(void)unused;
	if (pipe(file) || reaper__start())
		return 2;
	reaper__own(OWNED_BEFORE, file[0], file[1]); /* a pipe plays the VFIO files */
	if (reaper__seal())
		return 3;
	busy = reaper__release(OWNED_BEFORE);
	close(file[0]);
	after = reaper__release(OWNED_BEFORE);
	return busy == -EBUSY && after != -EBUSY && after != -EPERM ? 0 : 1;
}

TEST(a_sealed_reaper_lets_go_of_a_device_only_once_pcivmm_closed_it)
{
	EXPECT_EQ(in_child(release_while_open, NULL), 0);
}

/* 0 if the reaper refused every BDF that is not one as pcivmm prints it. */
static int odd_bdfs(void *unused)
{
	static const char *const odd[] = { "../../../proc/1/fd/0", "0000:00:04.0/../x", "0000:00:4.0",
					   "0000:00:04.8", "0000:00:04.0 ", "" };

	(void)unused;
	if (reaper__start())
		return 2;
	for (unsigned i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		if (reaper__release(odd[i]) != -EINVAL)
			return 1;
	return 0;
}

TEST(the_reaper_takes_only_bdfs_as_pcivmm_prints_them)
{
	EXPECT_EQ(in_child(odd_bdfs, NULL), 0);
}

static const char *socket_at(char *path, size_t size, const char *dir, const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(path, size, "%s/%s", dir, name);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)))
		return NULL;
	close(s);
	return path;
}

struct two_sockets {
	const char *before, *after;
};

static int sockets_around_seal(void *arg)
{
	struct two_sockets *t = arg;

	if (reaper__start())
		return 2;
	reaper__remove_at_exit(t->before);
	reaper__seal();
	/* One socket is remembered: accepted, this one would replace the first. */
	reaper__remove_at_exit(t->after);
	return 0;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

TEST(a_sealed_reaper_removes_only_the_socket_named_before)
{
	char dir[] = "/tmp/pcivmm-reaper-XXXXXX", before[128], after[128];
	struct two_sockets t;
	int i;

	EXPECT(mkdtemp(dir));
	t.before = socket_at(before, sizeof(before), dir, "before.sock");
	t.after = socket_at(after, sizeof(after), dir, "after.sock");
	EXPECT(t.before && t.after);
	EXPECT_EQ(in_child(sockets_around_seal, &t), 0);
	/* The reaper outlives its parent: it removes the socket once that is gone. */
	for (i = 0; i < 500 && exists(before); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	EXPECT(!exists(before));
	EXPECT(exists(after));
	unlink(after);
	rmdir(dir);
}
