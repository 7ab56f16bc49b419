// SPDX-License-Identifier: GPL-2.0
#include "host_net.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static void append(char *buf, size_t len, const char *name)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
}

static bool iface_up(const char *name)
{
	char path[300], state[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", name);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(state, sizeof(state), f))
		state[0] = 0;
	fclose(f);
	return !strncmp(state, "up", 2);
}

/*
 * A default route through name: /proc/net/route (IPv4: "Iface Destination
 * ...", destination 00000000 with mask 00000000) or /proc/net/ipv6_route
 * (destination ::/0; the interface is the last field).
 */
static bool iface_has_default_route(const char *name)
{
	char line[512], iface[64], dest[64], mask[64], gw[64];
	unsigned prefix;
	bool found = false;
	FILE *f = fopen("/proc/net/route", "re");

	if (f) {
		while (!found && fgets(line, sizeof(line), f))
			found = sscanf(line, "%63s %63s %63s %*s %*s %*s %*s %63s", iface, dest, gw,
				       mask) == 4 &&
				!strcmp(iface, name) && !strcmp(dest, "00000000") &&
				!strcmp(mask, "00000000");
		fclose(f);
	}
	f = fopen("/proc/net/ipv6_route", "re");
	if (f) {
		while (!found && fgets(line, sizeof(line), f))
			found = sscanf(line, "%63s %x %*s %*s %*s %*s %*s %*s %*s %63s", dest, &prefix,
				       iface) == 3 &&
				prefix == 0 && !strcmp(iface, name) &&
				strspn(dest, "0") == strlen(dest);
		fclose(f);
	}
	return found;
}

/*
 * Every interface under /sys/class/net whose device is the function or
 * lies below it (virtio-net's is its virtioN child, not the PCI function).
 */
void host_net__query(const char *bdf, struct host_net *n)
{
	char path[PATH_MAX], dev[PATH_MAX], iface_dev[PATH_MAX];
	struct dirent *e;
	size_t dev_len;
	DIR *d;

	memset(n, 0, sizeof(*n));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	if (!realpath(path, dev))
		return;
	dev_len = strlen(dev);
	d = opendir("/sys/class/net");
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/device", e->d_name);
		if (!realpath(path, iface_dev) || strncmp(iface_dev, dev, dev_len) ||
		    (iface_dev[dev_len] && iface_dev[dev_len] != '/'))
			continue;
		append(n->ifaces, sizeof(n->ifaces), e->d_name);
		if (iface_up(e->d_name))
			append(n->up, sizeof(n->up), e->d_name);
		if (iface_has_default_route(e->d_name))
			n->default_route = true;
	}
	closedir(d);
}

bool host_net__describe_up(const struct host_net *n, char *buf, size_t len)
{
	if (!n->up[0])
		return false;
	snprintf(buf, len, "its network interface %s %s up%s", n->up,
		 strchr(n->up, ',') ? "are" : "is",
		 n->default_route ? " and carries the host's default route" : "");
	return true;
}
