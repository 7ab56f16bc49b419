// SPDX-License-Identifier: GPL-2.0
#include "stats.h"
#include "vm.h"
#include "pci.h"
#include "host_dev.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

/* One report line, built in pieces and logged whole (log.h: one sink, one write per line). */
struct stats_line {
	char text[512];
	size_t len;
};

__attribute__((format(printf, 2, 3))) static void add(struct stats_line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len >= sizeof(l->text) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->text + l->len, sizeof(l->text) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n;
	if (l->len > sizeof(l->text) - 1)
		l->len = sizeof(l->text) - 1;
}

static void stats_device(const struct pci_device *d)
{
	const struct pci_intx_stats *s = &d->stats;
	struct stats_line l = { .len = 0 };

	/* A function without a pin (an SR-IOV VF) interrupts by MSI/MSI-X only. */
	if (!d->pin) {
		add(&l, "%s: no INTx pin", d->name);
	} else {
		add(&l, "%s, GSI %u: ", d->name, d->gsi);
		if (s->kernel_delivers)
			add(&l, "INTx delivered by KVM (irqfd, not seen here)");
		else
			add(&l, "INTx asserted %llu times", (unsigned long long)s->asserted);
		add(&l, "; the guest set INTX_DISABLE %llu times, cleared it %llu times",
		    (unsigned long long)s->guest_masks, (unsigned long long)s->guest_unmasks);
	}
	if (s->msi_enables)
		add(&l, "; the guest enabled MSI %llu times (MSIs go by irqfd, not seen here)",
		    (unsigned long long)s->msi_enables);
	if (s->msix_enables)
		add(&l, "; the guest enabled MSI-X %llu times (by irqfd too)",
		    (unsigned long long)s->msix_enables);
	if (s->host_irq >= 0)
		add(&l, "; host IRQ %d took %llu interrupts since setup (every device on it)",
		    s->host_irq,
		    (unsigned long long)(host_dev__irq_count(s->host_irq) - s->host_irq_start));
	pr_info("stats: %s", l.text);
}

void stats__print(struct vm *vm)
{
	struct vm_exit_counts c;

	vm__exit_counts(vm, &c);
	pr_info("stats: %u vCPU(s): %llu exits to pcivmm (port I/O %llu, MMIO %llu, other %llu); %llu 0xcf8 writes coalesced (no exit)",
		vm->nr_vcpus, (unsigned long long)(c.pio + c.mmio + c.other),
		(unsigned long long)c.pio, (unsigned long long)c.mmio, (unsigned long long)c.other,
		(unsigned long long)c.coalesced);
	if (!vm->pci)
		return;
	for (unsigned slot = 1; slot < PCI_MAX_SLOTS; slot++)
		if (vm->pci->slots[slot])
			stats_device(vm->pci->slots[slot]);
}
