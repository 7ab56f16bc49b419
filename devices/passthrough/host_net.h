/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's network interfaces on a PCI device: what the host loses while
 * the device is passed (pcivmm check says it; ,managed warns before it
 * takes the device from its network driver).
 */
#ifndef PCIVMM_HOST_NET_H
#define PCIVMM_HOST_NET_H

#include <stdbool.h>
#include <stddef.h>

struct host_net {
	char ifaces[128];   /* "eth0, eth1" (sysfs net/ of the device); "" without any */
	char up[128];       /* those whose operstate is up */
	bool default_route; /* one of them carries an IPv4 or IPv6 default route */
};

void host_net__query(const char *bdf, struct host_net *n);

/* "enp0s3 is up and carries the host's default route" into buf; false when none is up. */
bool host_net__describe_up(const struct host_net *n, char *buf, size_t len);

#endif
