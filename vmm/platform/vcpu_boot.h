/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot vCPU's entry: long mode on the identity page tables with flat
 * 64-bit segments; or, with protected32, the PVH ABI's 32-bit protected mode
 * (flat 4 GiB segments, paging off, CR4 0). Set through the vCPU's file
 * alone, so that a vCPU made outside struct vm can take it too.
 */
#ifndef PCIVMM_VCPU_BOOT_H
#define PCIVMM_VCPU_BOOT_H

#include <stdbool.h>
#include <stdint.h>

struct boot_regs {
	uint64_t rip, rsp, rsi, rbx;
	bool protected32;
};
int vcpu_boot__set_regs(int vcpu_fd, const struct boot_regs *regs);

/*
 * True when this host's KVM runs 64-bit guests only, so the boot vCPU is
 * entered in long mode whatever the kernel asks: kvm_pvm (a paravirtual
 * KVM seen on this project's machines, no vmx or svm) runs a guest entered
 * in long mode, but a guest's own 32-to-64-bit switch triple-faults there
 * (DESIGN.md, verified 2026-11-25).
 */
bool vcpu_boot__long_mode_only(void);

#endif
