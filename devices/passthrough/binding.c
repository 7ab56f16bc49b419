// SPDX-License-Identifier: GPL-2.0
#include "binding.h"
#include "host_dev.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYSFS_PCI "/sys/bus/pci/"

static int write_attr(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void state_path(const char *bdf, char *buf, size_t len)
{
	snprintf(buf, len, BINDING_STATE_DIR "/%s", bdf);
}

/* The recorded driver ("" for none) and owner; false without a record. */
static bool state_read(const char *bdf, char *driver, size_t len, pid_t *owner)
{
	char path[HOST_DEV_PATH_MAX], line[128], name[64] = "";
	long pid = 0;
	FILE *f;
	bool ok;

	state_path(bdf, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return false;
	ok = fgets(line, sizeof(line), f) && sscanf(line, "%63s %ld", name, &pid) == 2;
	fclose(f);
	if (!ok)
		return false;
	snprintf(driver, len, "%s", strcmp(name, "-") ? name : "");
	*owner = (pid_t)pid;
	return true;
}

/* Written whole or not at all (rename), so a crash leaves no half record. */
static int state_write(const char *bdf, const char *driver)
{
	char path[HOST_DEV_PATH_MAX], tmp[HOST_DEV_PATH_MAX + 8];
	FILE *f;
	int ret = 0;

	if (mkdir(BINDING_STATE_DIR, 0700) < 0 && errno != EEXIST)
		return -errno;
	state_path(bdf, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	if (fprintf(f, "%s %ld\n", driver[0] ? driver : "-", (long)getpid()) < 0)
		ret = -EIO;
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

static bool bound_to(const char *bdf, const char *want)
{
	char driver[64];

	host_dev__driver(bdf, driver, sizeof(driver));
	return !strcmp(driver, want);
}

/*
 * Puts bdf on driver ("": none) and leaves driver_override as override_after
 * ("\n" clears it). The driver is named in driver_override while it binds,
 * so that it takes the device even if its ID table does not list it
 * (vfio-pci lists none; a driver the user bound by override or new_id);
 * changing the override afterwards does not unbind.
 */
static int bind_to(const char *bdf, const char *driver, const char *override_after)
{
	char path[HOST_DEV_PATH_MAX], ovr[HOST_DEV_PATH_MAX], now[64];
	int ret;

	host_dev__driver(bdf, now, sizeof(now));
	if (now[0]) {
		snprintf(path, sizeof(path), SYSFS_PCI "devices/%s/driver/unbind", bdf);
		ret = write_attr(path, bdf);
		if (ret)
			return ret;
	}
	snprintf(ovr, sizeof(ovr), SYSFS_PCI "devices/%s/driver_override", bdf);
	ret = write_attr(ovr, driver[0] ? driver : "\n"); /* empty: cleared */
	if (ret)
		return ret;
	if (driver[0]) {
		snprintf(path, sizeof(path), SYSFS_PCI "drivers/%s/bind", driver);
		if (write_attr(path, bdf) < 0)
			write_attr(SYSFS_PCI "drivers_probe", bdf);
	}
	ret = write_attr(ovr, override_after);
	if (ret)
		return ret;
	return !driver[0] || bound_to(bdf, driver) ? 0 : -ENODEV;
}

int binding__take(const char *bdf)
{
	char driver[64];
	int ret;

	host_dev__driver(bdf, driver, sizeof(driver));
	if (!strcmp(driver, "vfio-pci"))
		return 0; /* bound by hand: the user's, left as it is */
	if (access(SYSFS_PCI "drivers/vfio-pci", F_OK) < 0) {
		pr_err("%s: managed: the vfio-pci driver is not loaded; modprobe vfio-pci", bdf);
		return -ENOENT;
	}
	ret = state_write(bdf, driver);
	if (ret) {
		pr_err("%s: managed: cannot record its driver in " BINDING_STATE_DIR ": %s", bdf,
		       strerror(-ret));
		return ret;
	}
	/* The override stays for the run: a re-probe cannot hand it to its driver. */
	ret = bind_to(bdf, "vfio-pci", "vfio-pci");
	if (ret) {
		pr_err("%s: managed: cannot move it from %s to vfio-pci: %s", bdf,
		       driver[0] ? driver : "no driver", strerror(-ret));
		binding__give_back(bdf, getpid());
		return ret;
	}
	pr_info("%s: managed: moved from %s to vfio-pci; it goes back when the VM ends", bdf,
		driver[0] ? driver : "no driver");
	return 0;
}

pid_t binding__owner(const char *bdf)
{
	char driver[64];
	pid_t owner;

	return state_read(bdf, driver, sizeof(driver), &owner) ? owner : 0;
}

int binding__give_back(const char *bdf, pid_t owner)
{
	char driver[64], path[HOST_DEV_PATH_MAX];
	pid_t taker;
	int ret;

	if (!state_read(bdf, driver, sizeof(driver), &taker) || (owner > 0 && taker != owner))
		return 0;
	ret = bind_to(bdf, driver, "\n");
	if (ret) {
		pr_err("%s: managed: cannot give it back to %s: %s; see %s", bdf,
		       driver[0] ? driver : "no driver", strerror(-ret), BINDING_STATE_DIR);
		return ret;
	}
	state_path(bdf, path, sizeof(path));
	unlink(path);
	return 0;
}

void binding__give_back_all(pid_t owner)
{
	DIR *d = opendir(BINDING_STATE_DIR);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && !strstr(e->d_name, ".tmp"))
			binding__give_back(e->d_name, owner);
	closedir(d);
}
