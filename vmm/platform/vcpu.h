/* SPDX-License-Identifier: GPL-2.0 */
/* vCPU threads, the KVM_RUN loop and crash reports. */
#ifndef PCIVMM_VCPU_H
#define PCIVMM_VCPU_H

struct vm;
struct vcpu;

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
