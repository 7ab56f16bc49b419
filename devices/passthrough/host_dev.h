/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Facts about a host PCI device from libpci and procfs, for choosing a
 * backend and for error messages a user can act on: which driver has it,
 * its IOMMU group and the group's other members, its host IRQ and who else
 * is on that line.
 */
#ifndef PCIVMM_HOST_DEV_H
#define PCIVMM_HOST_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_DEV_PATH_MAX 256
/*
 * A host device's address as sysfs spells it, "dddd:bb:dd.f", with room
 * for a domain of up to 8 hex digits (Intel VMD's start at 10000) and the
 * NUL: every copy of a BDF in pcivmm is this long.
 */
#define HOST_BDF_MAX 24

/* True if /sys/bus/pci/devices/BDF exists. */
bool host_dev__exists(const char *bdf);
/* Name of the bound driver into buf, or "" when unbound. */
void host_dev__driver(const char *bdf, char *buf, size_t len);
/* IOMMU group number, or -1 when the device has none (no IOMMU). */
int host_dev__iommu_group(const char *bdf);
/*
 * Calls fn for each other member of IOMMU group group (/sys/kernel/
 * iommu_groups/N/devices, but bdf) with its bound driver, "" when none.
 * Nothing when the group cannot be read.
 */
typedef void (*host_dev_peer_fn)(const char *peer, const char *driver, void *opaque);
void host_dev__for_each_group_peer(const char *bdf, int group, host_dev_peer_fn fn,
				   void *opaque);
/* "0000:00:05.0 (e1000e), 0000:00:06.0 (unbound)": the group's other members. */
void host_dev__group_peers(const char *bdf, int group, char *buf, size_t len);
/* The class (base class << 8 | subclass), or -1. */
int host_dev__class(const char *bdf);
/* The legacy IRQ number, or -1. */
int host_dev__irq(const char *bdf);
/* The /proc/interrupts actions on irq other than those named like skip, comma separated. */
void host_dev__irq_sharers(int irq, const char *skip, char *buf, size_t len);
/* Interrupts the host has taken on IRQ irq, all CPUs (/proc/interrupts), or 0. */
uint64_t host_dev__irq_count(int irq);
/* "vendor:device" IDs (no names: see copy_name); the address if libpci fails. */
void host_dev__describe(const char *bdf, char *buf, size_t len);

/*
 * Looks the device up with libpci (sysfs), fills what fill asks for
 * (PCI_FILL_*) and calls fn with it. libpci errors come back as -EIO with
 * one warning instead of libpci's exit(1); -ENODEV if there is no such
 * device. The driver, IOMMU group, IRQ, class and name above are all read
 * this way; only /proc/interrupts (no library reads it) is parsed by hand.
 */
struct pci_access;
struct pci_dev;
typedef void (*host_dev_query_fn)(struct pci_access *pacc, struct pci_dev *d, void *opaque);
int host_dev__query(const char *bdf, unsigned fill, host_dev_query_fn fn, void *opaque);

/*
 * Its standard BARs as the host kernel placed them (libpci: sysfs
 * "resource"): size 0 where there is none (or it is not assigned); io for
 * an I/O BAR. 0, or what host_dev__query returns.
 */
#define HOST_DEV_NR_BARS 6 /* PCI_STD_NUM_BARS, which <linux/pci_regs.h> spells (checked in kvm_assign.c) */
struct host_bar {
	uint64_t size;
	bool io;
};
int host_dev__bars(const char *bdf, struct host_bar bars[HOST_DEV_NR_BARS]);

/*
 * After the device is released (vfio-pci restores the config state it saved
 * at open, with INTx enabled; legacy KVM does the same): if it still asserts
 * INTx (STATUS.INTERRUPT) with INTX_DISABLE clear, nobody would handle its
 * interrupts on the host line, so set INTX_DISABLE with one 16-bit
 * read-modify-write of COMMAND through sysfs config. The next owner's
 * pci_enable_device() (or vfio-pci's open) clears it again. Returns 1 if it
 * masked the device, 0 if the device was quiet, negative errno if config
 * space could not be reached.
 */
int host_dev__quiesce_intx(const char *bdf);
/*
 * The same, for a device whose last open file is *file*: its config file is
 * opened first, then *file* closed (the release that restores the config
 * runs inside that close), then the device checked and masked, so that the
 * line is free for no longer than those two config accesses.
 */
int host_dev__quiesce_intx_after_close(const char *bdf, int file);

#endif
