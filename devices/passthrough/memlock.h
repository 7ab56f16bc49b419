/* SPDX-License-Identifier: GPL-2.0 */
/* What VFIO may pin for this process. */
#ifndef PCIVMM_MEMLOCK_H
#define PCIVMM_MEMLOCK_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Bytes VFIO's type-1 IOMMU may pin for us: it charges pinned guest RAM to
 * RLIMIT_MEMLOCK unless the task has CAP_IPC_LOCK (vfio_lock_acct).
 * UINT64_MAX when nothing limits it; *by_cap (if given) says whether that
 * is thanks to CAP_IPC_LOCK.
 */
uint64_t memlock__allowance(bool *by_cap);

#endif
