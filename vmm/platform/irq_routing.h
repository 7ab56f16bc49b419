/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM's GSI routing table (KVM_SET_GSI_ROUTING), for MSI routes that
 * irqfds can target: a passed device's MSI goes device -> VFIO eventfd ->
 * KVM_IRQFD on an MSI route -> the guest's LAPIC, with no exit to pcivmm.
 * KVM_SET_GSI_ROUTING replaces the whole table, so the irqchip routes of
 * GSIs 0-23 are kept exactly as KVM's default (IOAPIC pin = GSI, and for
 * 0-15 also the PIC pin); MSI routes take GSIs from 24 up. Thread-safe:
 * guests program MSI from any vCPU.
 */
#ifndef PCIVMM_IRQ_ROUTING_H
#define PCIVMM_IRQ_ROUTING_H

#include <stdint.h>

struct vm;

#define IRQ_ROUTING_FIRST_MSI_GSI 24
#define IRQ_ROUTING_MAX_MSI 512 /* KVM takes up to 4096 routes */

/* A new MSI route for (address, data); its GSI, or -errno (the table unchanged). */
int irq_routing__add_msi(struct vm *vm, uint64_t addr, uint32_t data);
/* Points gsi's route at a new (address, data): the guest re-programmed the message. */
int irq_routing__set_msi(struct vm *vm, unsigned gsi, uint64_t addr, uint32_t data);
/* Removes gsi's route (its irqfd must be gone first). */
void irq_routing__del_msi(struct vm *vm, unsigned gsi);
/* Frees the table at VM teardown. */
void irq_routing__exit(struct vm *vm);

#endif
