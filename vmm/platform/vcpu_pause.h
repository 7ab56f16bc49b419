/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Getting the vCPUs out of KVM_RUN: the kick (a signal and immediate_exit),
 * which vm__pause and vcpus__stop both send, and the pause that parks each
 * vCPU's thread outside KVM_RUN until vm__resume.
 */
#ifndef PCIVMM_VCPU_PAUSE_H
#define PCIVMM_VCPU_PAUSE_H

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

/*
 * Gets a started vCPU out of KVM_RUN soon: immediate_exit covers one
 * between its checks and KVM_RUN, the signal one inside KVM_RUN (an AP
 * waiting for SIPI too). Caller holds vm->pause.lock.
 */
void vcpu__kick(struct vcpu *vcpu);
/*
 * Called by a vCPU's thread between exits; waits there while a pause is
 * requested (true: it waited). Returns at once when the VM exits.
 */
bool vcpu__park_if_paused(struct vcpu *vcpu);
void vm_pause__init(struct vm *vm);
/* Wakes parked vCPUs so that they see vm->exiting (vcpus__stop). */
void vm_pause__wake_all(struct vm *vm);
/*
 * vm__run: lets the vCPU threads, started parked (pause.requested set
 * before vcpus__start), run their first KVM_RUN; no "resumed" event.
 */
void vm_pause__release_start(struct vm *vm);

/*
 * Pause: every vCPU leaves KVM_RUN and waits; the main thread, the event
 * loop and the devices' irqfds go on, so an interrupt raised meanwhile is
 * latched by KVM's irqchip and delivered once the vCPUs run again. Waits
 * up to timeout_ms for the vCPUs to park; -ETIMEDOUT (the VM runs on as
 * before) if one does not, -EALREADY when already paused. Main thread only.
 */
int vm__pause(struct vm *vm, int timeout_ms);
/* -EALREADY when not paused. Main thread only. */
int vm__resume(struct vm *vm);
bool vm__paused(struct vm *vm);

#endif
