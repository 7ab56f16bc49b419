// SPDX-License-Identifier: GPL-2.0
#include "irq_routing.h"
#include "log.h"
#include "vm_types.h"

#include <errno.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define IRQCHIP_GSIS 24 /* the IOAPIC's pins */

struct irq_routing {
	pthread_mutex_t lock;
	struct {
		bool used;
		uint64_t addr;
		uint32_t data;
	} msi[IRQ_ROUTING_MAX_MSI]; /* GSI IRQ_ROUTING_FIRST_MSI_GSI + index */
};

static pthread_mutex_t create_lock = PTHREAD_MUTEX_INITIALIZER;

static struct irq_routing *routing_of(struct vm *vm)
{
	pthread_mutex_lock(&create_lock);
	if (!vm->routing) {
		vm->routing = calloc(1, sizeof(*vm->routing));
		if (vm->routing)
			pthread_mutex_init(&vm->routing->lock, NULL);
	}
	pthread_mutex_unlock(&create_lock);
	return vm->routing;
}

/* KVM's default routes (arch/x86/kvm/irq_comm.c default_routing), then the MSI routes. */
static int routing_commit(struct vm *vm, struct irq_routing *r)
{
	size_t max = IRQCHIP_GSIS + 16 + IRQ_ROUTING_MAX_MSI;
	struct kvm_irq_routing *t = calloc(1, sizeof(*t) + max * sizeof(t->entries[0]));
	int ret = 0;

	if (!t)
		return -ENOMEM;
	for (unsigned gsi = 0; gsi < IRQCHIP_GSIS; gsi++) {
		t->entries[t->nr++] = (struct kvm_irq_routing_entry){
			.gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
			.u.irqchip = { .irqchip = KVM_IRQCHIP_IOAPIC, .pin = gsi },
		};
		if (gsi < 16)
			t->entries[t->nr++] = (struct kvm_irq_routing_entry){
				.gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
				.u.irqchip = { .irqchip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER
								  : KVM_IRQCHIP_PIC_SLAVE,
					       .pin = gsi % 8 },
			};
	}
	for (unsigned i = 0; i < IRQ_ROUTING_MAX_MSI; i++) {
		if (!r->msi[i].used)
			continue;
		t->entries[t->nr++] = (struct kvm_irq_routing_entry){
			.gsi = IRQ_ROUTING_FIRST_MSI_GSI + i, .type = KVM_IRQ_ROUTING_MSI,
			.u.msi = { .address_lo = (uint32_t)r->msi[i].addr,
				   .address_hi = (uint32_t)(r->msi[i].addr >> 32),
				   .data = r->msi[i].data },
		};
	}
	if (!vm__described_only(vm) && ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, t) < 0)
		ret = -errno;
	free(t);
	return ret;
}

int irq_routing__add_msi(struct vm *vm, uint64_t addr, uint32_t data)
{
	struct irq_routing *r = routing_of(vm);
	int ret = -ENOSPC;

	if (!r)
		return -ENOMEM;
	pthread_mutex_lock(&r->lock);
	for (unsigned i = 0; i < IRQ_ROUTING_MAX_MSI; i++) {
		if (r->msi[i].used)
			continue;
		r->msi[i].used = true;
		r->msi[i].addr = addr;
		r->msi[i].data = data;
		ret = routing_commit(vm, r);
		if (ret)
			r->msi[i].used = false;
		else
			ret = IRQ_ROUTING_FIRST_MSI_GSI + i;
		break;
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}

int irq_routing__set_msi(struct vm *vm, unsigned gsi, uint64_t addr, uint32_t data)
{
	struct irq_routing *r = vm->routing;
	unsigned i = gsi - IRQ_ROUTING_FIRST_MSI_GSI;
	int ret;

	if (!r || gsi < IRQ_ROUTING_FIRST_MSI_GSI || i >= IRQ_ROUTING_MAX_MSI)
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	r->msi[i].addr = addr;
	r->msi[i].data = data;
	ret = routing_commit(vm, r);
	pthread_mutex_unlock(&r->lock);
	return ret;
}

void irq_routing__del_msi(struct vm *vm, unsigned gsi)
{
	struct irq_routing *r = vm->routing;
	unsigned i = gsi - IRQ_ROUTING_FIRST_MSI_GSI;

	if (!r || gsi < IRQ_ROUTING_FIRST_MSI_GSI || i >= IRQ_ROUTING_MAX_MSI)
		return;
	pthread_mutex_lock(&r->lock);
	r->msi[i].used = false;
	if (routing_commit(vm, r))
		pr_warn_ratelimited("KVM_SET_GSI_ROUTING (removing MSI route %u): %s", gsi,
				    strerror(errno));
	pthread_mutex_unlock(&r->lock);
}

void irq_routing__exit(struct vm *vm)
{
	if (!vm->routing)
		return;
	pthread_mutex_destroy(&vm->routing->lock);
	free(vm->routing);
	vm->routing = NULL;
}
