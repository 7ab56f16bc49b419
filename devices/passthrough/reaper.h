/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reaper: what keeps the host line clean when pcivmm itself cannot.
 *
 * A pcivmm that is killed (SIGKILL, a crash) runs no teardown. The kernel
 * closes its VFIO devices, vfio-pci restores the config state it saved at
 * open, with INTx enabled, and a device the guest left asserting holds the
 * shared host line with nobody to handle it, until the kernel disables the
 * line for every device on it ("irq N: nobody cared"). The reaper is a tiny
 * child forked before anything is opened, holding no file of pcivmm's but
 * a socket. pcivmm hands it a copy of each VFIO device file it opens (the
 * legacy backend has none to give) and takes it back when it releases the
 * device cleanly. While the reaper holds a copy, the device stays open
 * whatever happens to pcivmm: vfio-pci's own INTx handler masks it if it
 * asserts, and pcivmm's exit, however long (unpinning gigabytes of guest
 * memory under load), restores nothing. When pcivmm is gone (socket closed,
 * then its pidfd readable: every file of its own released), the reaper
 * drops the guest's DMA mappings (through its copy of the container), then
 * closes each device's copy and at once masks the device if it asserts
 * (host_dev__quiesce_intx_after_close, the check pcivmm's own teardown
 * makes), then exits. Devices pcivmm never opened (bound to another
 * driver, held by another VM) are never touched. Its name is
 * "pcivmm-reaper". One reaper per process: the socket is process state,
 * like the signals.
 */
#ifndef PCIVMM_REAPER_H
#define PCIVMM_REAPER_H

/* Forks the reaper (before any device is opened or thread started); 0 or negative errno. */
int reaper__start(void);
/*
 * pcivmm has opened bdf; file is its VFIO device file and container its VFIO
 * container (both copied), or both -1.
 */
void reaper__own(const char *bdf, int file, int container);
/*
 * pcivmm has closed its own files of bdf: the reaper closes its copy (now
 * the device's last file, so vfio-pci's release runs) and masks the device
 * if it asserts. Returns host_dev__quiesce_intx's result; without a reaper,
 * that of pcivmm's own call.
 */
int reaper__release(const char *bdf);
/*
 * Gives managed bdf back to its driver (binding__give_back): pcivmm itself
 * while it has root, the reaper once pcivmm dropped it (privileges.h). 0 or
 * -errno with one line printed.
 */
int reaper__give_back(const char *bdf);
/*
 * pcivmm is about to drop root (privileges.h): from now on the reaper
 * registers no device and no socket; it masks and lets go only a device it
 * holds and of which pcivmm has no file left open (-EPERM, -EBUSY
 * otherwise), and gives back only a device registered before. A pcivmm its
 * guest took over can have the root reaper touch nothing pcivmm did not
 * own before. 0 once the reaper confirmed it (or there is none); -EIO if
 * it did not, and then pcivmm must not drop root and go on.
 */
int reaper__seal(void);
/*
 * The reaper removes the socket at path when pcivmm is gone, if it is still
 * the one there now: a pcivmm without root (or in a chroot) cannot.
 */
void reaper__remove_at_exit(const char *path);

#endif
