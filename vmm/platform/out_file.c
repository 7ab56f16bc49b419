// SPDX-License-Identifier: GPL-2.0
#include "out_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Sets path (size bytes) to where the symlink name points, if that fits. */
static void out_file_link_target(const char *name, char *path, size_t size)
{
	char *target = realpath(name, NULL), link[4096];
	const char *slash = strrchr(name, '/');
	ssize_t n;

	if (target) { /* the target exists */
		if (strlen(target) < size)
			snprintf(path, size, "%s", target);
		free(target);
		return;
	}
	/* Dangling: the link's text, relative to the link's own directory. */
	n = readlink(name, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	/* The link's directory, with its slash, unless the link is absolute. */
	size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - name) + 1;

	if (dir + n >= size)
		return;
	memmove(path, name, dir); /* path may be name's own copy */
	memcpy(path + dir, link, n + 1);
}

int out_file__plan(const char *name, struct out_file_plan *plan, const char **why)
{
	const char *slash;
	struct stat st, lst;

	*why = NULL;
	memset(plan, 0, sizeof(*plan));
	if (!strcmp(name, "-")) {
		plan->kind = OUT_FILE_STDOUT;
		return 0;
	}
	/* Room for ".tmp." and a pid after the name. */
	if (!*name || strlen(name) > sizeof(plan->path) - 32) {
		*why = *name ? "the file name is too long" : "the file name is empty";
		return -ENAMETOOLONG;
	}
	memcpy(plan->path, name, strlen(name) + 1); /* fits: checked above */
	if (stat(name, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			*why = "is a directory; give a file name";
			return -EISDIR;
		}
		if (!S_ISREG(st.st_mode)) {
			plan->kind = OUT_FILE_THROUGH;
			if (access(name, W_OK)) {
				*why = "cannot be written";
				return -errno;
			}
			return 0;
		}
	}
	plan->kind = OUT_FILE_REPLACE;
	/* A symlink to a regular file, or to none yet: write the target, keep the link. */
	if (lstat(name, &lst) == 0 && S_ISLNK(lst.st_mode))
		out_file_link_target(name, plan->path, sizeof(plan->path) - 32);
	slash = strrchr(plan->path, '/');
	if (!slash)
		snprintf(plan->dir, sizeof(plan->dir), ".");
	else if (slash == plan->path)
		snprintf(plan->dir, sizeof(plan->dir), "/");
	else
		snprintf(plan->dir, sizeof(plan->dir), "%.*s", (int)(slash - plan->path), plan->path);
	if (access(plan->dir, W_OK | X_OK)) {
		*why = "its directory cannot be written";
		return -errno;
	}
	return 0;
}

static int out_file_write_all(int fd, const void *data, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = write(fd, (const char *)data + done, size - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += n;
	}
	return 0;
}

int out_file__write(const char *name, const void *data, size_t size)
{
	struct out_file_plan plan;
	const char *why;
	char tmp[4096 + 32];
	int fd, err = out_file__plan(name, &plan, &why);

	if (err)
		return err;
	if (plan.kind == OUT_FILE_STDOUT)
		return out_file_write_all(STDOUT_FILENO, data, size);
	if (plan.kind == OUT_FILE_THROUGH) {
		/* O_NONBLOCK: a FIFO nobody reads is an error (ENXIO), not a hang. */
		fd = open(plan.path, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			return -errno;
		err = out_file_write_all(fd, data, size);
		if (close(fd) < 0 && !err)
			err = -errno;
		return err;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", plan.path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	err = out_file_write_all(fd, data, size);
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, plan.path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
