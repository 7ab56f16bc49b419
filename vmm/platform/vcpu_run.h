/* SPDX-License-Identifier: GPL-2.0 */
/* vCPU lifecycle, private to vm.c and vcpu.c. */
#ifndef PCIVMM_VCPU_RUN_H
#define PCIVMM_VCPU_RUN_H

struct vm;

int vcpus__create(struct vm *vm, unsigned nr_vcpus);
/* Starts one thread per vCPU; APs wait in KVM for the guest's INIT/SIPI. */
int vcpus__start(struct vm *vm);
/* Kicks every vCPU out of KVM_RUN and joins its thread. */
void vcpus__stop(struct vm *vm);
void vcpus__destroy(struct vm *vm);

#endif
