// SPDX-License-Identifier: GPL-2.0
#include "stats.h"
#include "vm.h"
#include "pci.h"
#include "host_dev.h"

static void stats_device(const struct pci_device *d, FILE *f)
{
	const struct pci_intx_stats *s = &d->stats;

	/* A function without a pin (an SR-IOV VF) interrupts by MSI/MSI-X only. */
	if (!d->pin) {
		fprintf(f, "pcivmm: stats: %s: no INTx pin", d->name);
	} else {
		fprintf(f, "pcivmm: stats: %s, GSI %u: ", d->name, d->gsi);
		if (s->kernel_delivers)
			fprintf(f, "INTx delivered by KVM (irqfd, not seen here)");
		else
			fprintf(f, "INTx asserted %llu times", (unsigned long long)s->asserted);
		fprintf(f, "; the guest set INTX_DISABLE %llu times, cleared it %llu times",
			(unsigned long long)s->guest_masks, (unsigned long long)s->guest_unmasks);
	}
	if (s->msi_enables)
		fprintf(f, "; the guest enabled MSI %llu times (MSIs go by irqfd, not seen here)",
			(unsigned long long)s->msi_enables);
	if (s->msix_enables)
		fprintf(f, "; the guest enabled MSI-X %llu times (by irqfd too)",
			(unsigned long long)s->msix_enables);
	if (s->host_irq >= 0)
		fprintf(f, "; host IRQ %d took %llu interrupts since setup (every device on it)",
			s->host_irq,
			(unsigned long long)(host_dev__irq_count(s->host_irq) - s->host_irq_start));
	fputc('\n', f);
}

void stats__print(struct vm *vm, FILE *f)
{
	uint64_t pio = 0, mmio = 0, other = 0;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		pio += vm->vcpus[i].exits_pio;
		mmio += vm->vcpus[i].exits_mmio;
		other += vm->vcpus[i].exits_other;
	}
	fprintf(f, "pcivmm: stats: %u vCPU(s): %llu exits to pcivmm (port I/O %llu, MMIO %llu, other %llu); %llu 0xcf8 writes coalesced (no exit)\n",
		vm->nr_vcpus, (unsigned long long)(pio + mmio + other), (unsigned long long)pio,
		(unsigned long long)mmio, (unsigned long long)other,
		(unsigned long long)vm->coalesced.replayed);
	if (!vm->pci)
		return;
	for (unsigned slot = 1; slot < PCI_MAX_SLOTS; slot++)
		if (vm->pci->slots[slot])
			stats_device(vm->pci->slots[slot], f);
	fflush(f);
}
