/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reaper: what keeps the host line clean when pcivmm itself cannot.
 *
 * A pcivmm that is killed (SIGKILL, a crash) runs no teardown. The kernel
 * closes its VFIO devices, vfio-pci restores the config state it saved at
 * open, with INTx enabled, and a device the guest left asserting holds the
 * shared host line with nobody to handle it, until the kernel disables the
 * line for every device on it ("irq N: nobody cared"). The reaper is a tiny
 * child forked before anything is opened, holding no file of pcivmm's.
 * pcivmm tells it (over a pipe) which devices it has opened and which it
 * has released cleanly; when pcivmm is gone (pipe closed, then its pidfd
 * readable: every file released), the reaper masks each device still on
 * its list that asserts (host_dev__quiesce_intx, the check pcivmm's own
 * teardown makes) and exits. Devices pcivmm never opened (bound to another
 * driver, held by another VM) are never touched. Its name is "pcivmm-reaper".
 * One reaper per process: the pipe is process state, like the signals.
 */
#ifndef PCIVMM_REAPER_H
#define PCIVMM_REAPER_H

/* Forks the reaper (before any device is opened or thread started); 0 or negative errno. */
int reaper__start(void);
/* pcivmm has opened bdf / has released it and left it quiet itself. */
void reaper__own(const char *bdf);
void reaper__disown(const char *bdf);

#endif
