// SPDX-License-Identifier: GPL-2.0
/*
 * failcall.so (LD_PRELOAD): makes one chosen call of the kinds pcivmm sets
 * up and tears down a VM with fail, so a test can fail each of them in turn.
 *
 *   FAILCALL_N=N        the N-th counted call (1-based) fails with
 *                       FAILCALL_ERRNO (default EIO); 0 only counts
 *   FAILCALL_ONLY=device  count only calls on devices: opens of /dev/vfio
 *                       and /sys paths, VFIO ioctls, mmap and config
 *                       pread/pwrite of device files
 *   FAILCALL_SIGNAL=S   instead of failing the N-th call, send signal S
 *                       to the process (kill, not raise: any thread may
 *                       take it) and let the call go on
 *   FAILCALL_REPORT=F   at exit, F gets "calls C failed WHAT" and one line
 *                       "leak TARGET" per file descriptor or device mapping
 *                       open at exit that was not open at start
 *
 * Counted: open/openat (not the ones glibc makes for itself), ioctl (but
 * KVM_RUN, which is the run and not the setup), mmap of a file or device,
 * eventfd, timerfd_create, epoll_create1, socketpair, fork, pread/pwrite on a
 * sysfs or VFIO file. The report is written by the process that set up the
 * VM; a child (pcivmm-reaper) ends with _exit and writes nothing.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

static unsigned long calls, fail_at;
static bool only_device;
static int fail_errno = EIO;
static int send_signal;
static char failed_what[64] = "nothing";
static char start_fds[1024];

#define REAL(name) static __typeof__(name) *real_##name; \
	if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name)

/* True if this call is the one to fail (and counts it, if it counts). */
static bool should_fail_if(bool device, const char *what)
{
	if (only_device && !device)
		return false;
	if (++calls != fail_at)
		return false;
	snprintf(failed_what, sizeof(failed_what), "%s", what);
	if (send_signal) {
		kill(getpid(), send_signal);
		return false;
	}
	errno = fail_errno;
	return true;
}

static bool should_fail(const char *what)
{
	return should_fail_if(false, what);
}

static bool device_path(const char *path)
{
	return !strncmp(path, "/dev/vfio", 9) || !strncmp(path, "/sys/", 5);
}

static bool fd_is(int fd, const char *prefix)
{
	char path[64], target[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return !strncmp(target, prefix, strlen(prefix));
}

static bool device_file(int fd)
{
	return fd_is(fd, "/sys/") || fd_is(fd, "/dev/vfio") || fd_is(fd, "anon_inode:[vfio");
}

/* open(2)'s mode argument, there only with O_CREAT or O_TMPFILE. */
#define OPEN_MODE(flags, mode)                                                \
	do {                                                                  \
		va_list ap;                                                   \
		va_start(ap, flags);                                          \
		mode = (flags) & (O_CREAT | O_TMPFILE) ? va_arg(ap, mode_t) : 0; \
		va_end(ap);                                                   \
	} while (0)

int open(const char *path, int flags, ...)
{
	mode_t mode;
	REAL(open);

	OPEN_MODE(flags, mode);
	if (should_fail_if(device_path(path), path))
		return -1;
	return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode;

	OPEN_MODE(flags, mode);
	return open(path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...)
{
	mode_t mode;
	REAL(openat);

	OPEN_MODE(flags, mode);
	if (should_fail_if(device_path(path), path))
		return -1;
	return real_openat(dir, path, flags, mode);
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	char what[32];
	REAL(ioctl);

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	snprintf(what, sizeof(what), "ioctl 0x%lx", req);
	/* VFIO's ioctls are type ';' (VFIO_TYPE in <linux/vfio.h>). */
	if (req != KVM_RUN && should_fail_if(((req >> 8) & 0xff) == ';', what))
		return -1;
	return real_ioctl(fd, req, arg);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	REAL(mmap);

	if (fd >= 0 && !(flags & MAP_ANONYMOUS) && should_fail_if(device_file(fd), "mmap"))
		return MAP_FAILED;
	return real_mmap(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap(addr, len, prot, flags, fd, off);
}

int eventfd(unsigned int init, int flags)
{
	REAL(eventfd);
	return should_fail("eventfd") ? -1 : real_eventfd(init, flags);
}

int timerfd_create(int clock, int flags)
{
	REAL(timerfd_create);
	return should_fail("timerfd_create") ? -1 : real_timerfd_create(clock, flags);
}

int epoll_create1(int flags)
{
	REAL(epoll_create1);
	return should_fail("epoll_create1") ? -1 : real_epoll_create1(flags);
}

int socketpair(int domain, int type, int protocol, int fds[2])
{
	REAL(socketpair);
	return should_fail("socketpair") ? -1 : real_socketpair(domain, type, protocol, fds);
}

pid_t fork(void)
{
	REAL(fork);
	return should_fail("fork") ? -1 : real_fork();
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	REAL(pread);
	if (device_file(fd) && should_fail_if(true, "pread"))
		return -1;
	return real_pread(fd, buf, len, off);
}

ssize_t pread64(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	REAL(pwrite);
	if (device_file(fd) && should_fail_if(true, "pwrite"))
		return -1;
	return real_pwrite(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	return pwrite(fd, buf, len, off);
}

/* "0 1 2 5 " for the open descriptors (the directory's own left out). */
static void list_fds(char *out, size_t len)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t used = 0;

	out[0] = '\0';
	if (!d)
		return;
	while ((e = readdir(d)) && used + 16 < len) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		used += snprintf(out + used, len - used, "%s ", e->d_name);
	}
	closedir(d);
}

__attribute__((constructor)) static void failcall_init(void)
{
	const char *n = getenv("FAILCALL_N"), *e = getenv("FAILCALL_ERRNO");

	fail_at = n ? strtoul(n, NULL, 0) : 0;
	only_device = getenv("FAILCALL_ONLY") && !strcmp(getenv("FAILCALL_ONLY"), "device");
	if (e)
		fail_errno = atoi(e);
	if (getenv("FAILCALL_SIGNAL"))
		send_signal = atoi(getenv("FAILCALL_SIGNAL"));
	list_fds(start_fds, sizeof(start_fds));
}

__attribute__((destructor)) static void failcall_report(void)
{
	const char *path = getenv("FAILCALL_REPORT");
	char now[1024], started[1100], word[16], *p, line[512];
	FILE *f, *maps;

	if (!path)
		return;
	list_fds(now, sizeof(now)); /* before the report's own file is open */
	snprintf(started, sizeof(started), " %s", start_fds);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "calls %lu failed %s\n", calls, failed_what);
	for (p = now; sscanf(p, "%15s", word) == 1; p += strlen(word) + 1) {
		char key[24], link[64], target[256];
		ssize_t n;

		snprintf(key, sizeof(key), " %s ", word);
		if (strstr(started, key))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%s", word);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		fprintf(f, "leak fd %s %s\n", word, target);
	}
	maps = fopen("/proc/self/maps", "r");
	while (maps && fgets(line, sizeof(line), maps))
		if (strstr(line, "/dev/vfio") || strstr(line, "/sys/devices") || strstr(line, "kvm-vcpu"))
			fprintf(f, "leak mapping %s", line);
	if (maps)
		fclose(maps);
	fclose(f);
}
