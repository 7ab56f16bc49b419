/* SPDX-License-Identifier: GPL-2.0 */
/* vCPU lifecycle, private to vm.c and vcpu.c. */
#ifndef PCIVMM_VCPU_RUN_H
#define PCIVMM_VCPU_RUN_H

#include <signal.h>
#include <stdbool.h>

struct vm;
struct vcpu;

/*
 * Interrupts KVM_RUN; its handler does nothing, the EINTR is the point. A
 * real-time signal, not SIGUSR1: vCPU threads keep it unblocked, so a
 * process-directed SIGUSR1 (--stats) could land on one and be lost.
 */
#define VCPU_KICK_SIGNAL (SIGRTMIN + 1)

int vcpus__create(struct vm *vm, unsigned nr_vcpus);
/* Starts one thread per vCPU; APs wait in KVM for the guest's INIT/SIPI. */
int vcpus__start(struct vm *vm);
/* Kicks every vCPU out of KVM_RUN and joins its thread. */
void vcpus__stop(struct vm *vm);
void vcpus__destroy(struct vm *vm);

/*
 * Gets a started vCPU out of KVM_RUN soon: immediate_exit covers one
 * between its checks and KVM_RUN, the signal one inside KVM_RUN (an AP
 * waiting for SIPI too). Caller holds vm->pause.lock.
 */
void vcpu__kick(struct vcpu *vcpu);
/*
 * vcpu_pause.c: called by a vCPU's thread between exits; waits there while
 * a pause is requested (true: it waited). Returns at once when the VM exits.
 */
bool vcpu__park_if_paused(struct vcpu *vcpu);
void vm_pause__init(struct vm *vm);
/* Wakes parked vCPUs so that they see vm->exiting (vcpus__stop). */
void vm_pause__wake_all(struct vm *vm);

#endif
