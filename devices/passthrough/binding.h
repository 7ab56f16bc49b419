/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Managed binding (--passthrough BDF,managed; libvirt's managed='yes'): the
 * device moves from its host driver to vfio-pci for the VM and back to that
 * driver after it, with driver_override cleared. driver_override (not
 * new_id) so that only this device moves, not every device with its IDs.
 *
 * What it was bound to is kept in /run/pcivmm/BDF ("DRIVER PID"), so that
 * it can be given back when pcivmm could not: by pcivmm-reaper once a
 * SIGKILLed pcivmm is gone, or by `pcivmm release BDF`. A device already on
 * vfio-pci (bound by hand) is left exactly as it is, with no state file.
 */
#ifndef PCIVMM_BINDING_H
#define PCIVMM_BINDING_H

#include <stdbool.h>
#include <sys/types.h>

#define BINDING_STATE_DIR "/run/pcivmm"

/*
 * Binds bdf to vfio-pci if it is not already, recording its driver. 0 when
 * it is on vfio-pci; else -errno with one line printed, the device left on
 * its driver.
 */
int binding__take(const char *bdf);
/*
 * Gives bdf back to the driver recorded for it and forgets the record;
 * nothing without a record, or (owner > 0) when the record is another
 * process's. 0, or -errno with one line printed.
 */
int binding__give_back(const char *bdf, pid_t owner);
/* The pid recorded as bdf's taker, 0 if bdf has no record. */
pid_t binding__owner(const char *bdf);
/* Calls binding__give_back(bdf, owner) for every record owner made. */
void binding__give_back_all(pid_t owner);

#endif
