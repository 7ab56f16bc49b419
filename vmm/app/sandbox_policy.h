/* SPDX-License-Identifier: GPL-2.0 */
/* pcivmm's seccomp policy: what each thread class may call (sandbox.h). */
#ifndef PCIVMM_SANDBOX_POLICY_H
#define PCIVMM_SANDBOX_POLICY_H

#include "privileges.h"
#include "sandbox.h"

/*
 * sandbox__configure with pcivmm's policy. r: the privilege drop to come,
 * whose IDs a thread filtered before it may still switch to.
 */
int sandbox_policy__configure(enum sandbox_mode mode, const struct run_as *r);

#endif
