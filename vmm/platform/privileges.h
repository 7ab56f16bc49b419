/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The privilege drop (--user USER[:GROUP], --chroot DIR), as QEMU's
 * -run-with user=,chroot= and Firecracker's jailer: pcivmm opens everything
 * it needs as root (/dev/kvm, VFIO groups and devices, sysfs config and BAR
 * files, the API socket, the log), then, before the guest's first
 * instruction, gives up root for good: chroot(DIR) and chdir("/"), the
 * supplementary groups dropped, the group and user changed (glibc's
 * setgid/setuid change every thread of the process), PR_SET_NO_NEW_PRIVS,
 * and a check that root cannot be had back.
 *
 * What still needs root after that is never done by the guest-facing
 * process: the reaper (devices/passthrough/reaper.h), forked as root before
 * anything was opened, gives managed devices back to their drivers, masks
 * a device left asserting and removes the API socket.
 *
 * VFIO pins guest RAM for DMA against RLIMIT_MEMLOCK of the process doing
 * it unless it has CAP_IPC_LOCK, which the drop takes away, and a DMA
 * mapping may still be running in the background when the drop comes
 * (vfio_dma.h): the limit is raised first (cloud-hypervisor #165).
 */
#ifndef PCIVMM_PRIVILEGES_H
#define PCIVMM_PRIVILEGES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct run_as {
	bool drop;              /* --user or --chroot given */
	bool have_user;         /* --user given */
	uid_t uid;
	gid_t gid;
	const char *user;       /* as given, for messages */
	const char *chroot_dir; /* --chroot, or NULL */
};

/*
 * --user USER[:GROUP]: names or numbers; without GROUP, USER's primary
 * group. Resolved now, while /etc/passwd is still reachable. false with
 * one line on err.
 */
bool privileges__parse_user(const char *spec, struct run_as *r, FILE *err);
/* --chroot DIR: must be a directory (checked again at the drop). */
bool privileges__parse_chroot(const char *dir, struct run_as *r, FILE *err);
/*
 * Drops to r (nothing if !r->drop), RLIMIT_MEMLOCK raised to at least
 * memlock bytes first. 0, or -errno with one line printed: the caller must
 * then stop, never run the guest with root.
 */
int privileges__drop(const struct run_as *r, uint64_t memlock);
/* Whether the drop has happened in this process. */
bool privileges__dropped(void);

#endif
