/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --stats: what pcivmm can count about a run, printed at exit and on
 * SIGUSR1 while it runs. Per vCPU-wide totals: exits to user space by kind
 * and 0xcf8 writes that needed none (coalesced_pio.h); per PCI device: how
 * often its INTx# was asserted (emulated devices), the guest's INTx masking, and for
 * a passed device its host line's interrupt count during the run.
 */
#ifndef PCIVMM_STATS_H
#define PCIVMM_STATS_H

struct vm;

/* The report, as info lines "stats: ..." to the log (log.h). */
void stats__print(struct vm *vm);

#endif
