/* SPDX-License-Identifier: GPL-2.0 */
/* vCPU threads, the KVM_RUN loop, long-mode boot state and crash reports. */
#ifndef PCIVMM_VCPU_H
#define PCIVMM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct vcpu;

/*
 * The boot vCPU's entry: long mode on the identity page tables with flat
 * 64-bit segments; or, with protected32, the PVH ABI's 32-bit protected mode
 * (flat 4 GiB segments, paging off, CR4 0).
 */
struct boot_regs {
	uint64_t rip, rsp, rsi, rbx;
	bool protected32;
};
int vcpu__set_boot_regs(struct vcpu *vcpu, const struct boot_regs *regs);

/* Prints the vCPU's registers to the log (crash reports). */
void vcpu__dump(struct vcpu *vcpu);

/* The vCPUs' lifecycle, driven by vm.c. */
int vcpus__create(struct vm *vm, unsigned nr_vcpus);
/* Starts one thread per vCPU; APs wait in KVM for the guest's INIT/SIPI. */
int vcpus__start(struct vm *vm);
/* Kicks every vCPU out of KVM_RUN and joins its thread. */
void vcpus__stop(struct vm *vm);
void vcpus__destroy(struct vm *vm);

#endif
