// SPDX-License-Identifier: GPL-2.0
#include "privileges.h"
#include "log.h"
#include "parse_num.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool dropped;

bool privileges__dropped(void)
{
	return dropped;
}

/* A user name or number; *gid gets its primary group when it has an entry. */
static bool lookup_user(const char *name, uid_t *uid, gid_t *gid, bool *have_gid)
{
	struct passwd *pw = getpwnam(name);
	unsigned long n;

	if (!pw && parse__uint(name, 0xfffffffe, &n))
		pw = getpwuid(n);
	if (pw) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
		*have_gid = true;
		return true;
	}
	if (!parse__uint(name, 0xfffffffe, &n))
		return false;
	*uid = n; /* a number with no entry: fine for a sandbox user */
	*have_gid = false;
	return true;
}

static bool lookup_group(const char *name, gid_t *gid)
{
	struct group *gr = getgrnam(name);
	unsigned long n;

	if (gr) {
		*gid = gr->gr_gid;
		return true;
	}
	if (!parse__uint(name, 0xfffffffe, &n))
		return false;
	*gid = n;
	return true;
}

bool privileges__parse_user(const char *spec, struct run_as *r, FILE *err)
{
	char user[256];
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	bool have_gid = false;

	if (!len || len >= sizeof(user) || (colon && !colon[1])) {
		fprintf(err, "pcivmm: error: --user %s: use USER or USER:GROUP (names or numbers)\n", spec);
		return false;
	}
	memcpy(user, spec, len);
	user[len] = '\0';
	if (!lookup_user(user, &r->uid, &r->gid, &have_gid)) {
		fprintf(err, "pcivmm: error: --user %s: no such user; give a user name from /etc/passwd or a number\n",
			spec);
		return false;
	}
	if (colon && !lookup_group(colon + 1, &r->gid)) {
		fprintf(err, "pcivmm: error: --user %s: no such group '%s'; give a group name from /etc/group or a number\n",
			spec, colon + 1);
		return false;
	}
	if (!colon && !have_gid) {
		fprintf(err, "pcivmm: error: --user %s: user %s has no passwd entry, so no primary group; give USER:GROUP\n",
			spec, user);
		return false;
	}
	if (r->uid == 0) {
		fprintf(err, "pcivmm: error: --user %s: that is root; give an unprivileged user (e.g. nobody)\n",
			spec);
		return false;
	}
	r->user = spec;
	r->have_user = r->drop = true;
	return true;
}

bool privileges__parse_chroot(const char *dir, struct run_as *r, FILE *err)
{
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(err, "pcivmm: error: --chroot %s: not a directory; give an existing (ideally empty) directory\n",
			dir);
		return false;
	}
	r->chroot_dir = dir;
	r->drop = true;
	return true;
}

static int raise_memlock(uint64_t bytes)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return -errno;
	if (bytes && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < bytes) {
		rl.rlim_cur = bytes;
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < bytes)
			rl.rlim_max = bytes;
		if (setrlimit(RLIMIT_MEMLOCK, &rl))
			return -errno;
	}
	return 0;
}

static int drop_fail(const char *step, const struct run_as *r)
{
	int err = errno;

	pr_err("dropping privileges (%s%s%s%s): %s failed: %s; pcivmm stops rather than run the guest as root",
	       r->have_user ? "--user " : "", r->have_user ? r->user : "",
	       r->chroot_dir ? " --chroot " : "", r->chroot_dir ? r->chroot_dir : "", step,
	       strerror(err));
	return -err;
}

int privileges__drop(const struct run_as *r, uint64_t memlock)
{
	int ret;

	if (!r->drop)
		return 0;
	ret = raise_memlock(memlock);
	if (ret) {
		errno = -ret;
		return drop_fail("raising RLIMIT_MEMLOCK for the guest's DMA mappings", r);
	}
	if (r->chroot_dir && (chroot(r->chroot_dir) || chdir("/")))
		return drop_fail("chroot", r);
	if (r->have_user) {
		/* Groups before the user: an unprivileged user can change neither. */
		if (setgroups(0, NULL))
			return drop_fail("setgroups", r);
		if (setgid(r->gid))
			return drop_fail("setgid", r);
		if (setuid(r->uid))
			return drop_fail("setuid", r);
		/*
		 * Saved IDs too (setuid as root sets all three): root must be gone
		 * for good. Raw calls, on this thread only: glibc's would have every
		 * thread try it, and a DMA thread's filter refuses it (sandbox.h).
		 */
		if (syscall(SYS_setuid, 0) == 0 || syscall(SYS_setresuid, -1, 0, -1) == 0) {
			errno = EPERM;
			return drop_fail("checking that root cannot be had back", r);
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return drop_fail("PR_SET_NO_NEW_PRIVS", r);
	dropped = true;
	pr_debug("privileges dropped: uid %u gid %u%s%s", (unsigned)getuid(), (unsigned)getgid(),
		 r->chroot_dir ? ", root directory " : "", r->chroot_dir ? r->chroot_dir : "");
	return 0;
}
