// SPDX-License-Identifier: GPL-2.0
/*
 * Intel MultiProcessor Specification 1.4 tables: how a Linux guest without
 * ACPI finds its CPUs, the IOAPIC and, crucially here, which IOAPIC pin each
 * PCI device's INTx pin is wired to (I/O interrupt entries on the PCI bus,
 * source IRQ = slot << 2 | (pin - 1)).
 */
#include "boot.h"
#include "layout.h"

#include <errno.h>
#include <string.h>

#define MP_SPEC_REV 4
#define MP_LAPIC_VERSION 0x14
#define MP_IOAPIC_VERSION 0x11
#define MP_BUS_PCI 0
#define MP_BUS_ISA 1

enum { MP_PROCESSOR, MP_BUS, MP_IOAPIC, MP_INTSRC, MP_LINTSRC };
enum { MP_INT, MP_NMI, MP_SMI, MP_EXTINT };
/* I/O interrupt flags: polarity in bits 0-1, trigger mode in bits 2-3. */
#define MP_IRQ_ACTIVE_HIGH 0x1
#define MP_IRQ_LEVEL       (0x3 << 2)

struct mpf_intel {
	char signature[4];
	uint32_t physptr;
	uint8_t length, specification, checksum, feature1;
	uint8_t feature2, feature3, feature4, feature5;
} __attribute__((packed));

struct mpc_table {
	char signature[4];
	uint16_t length;
	uint8_t spec, checksum;
	char oem[8], productid[12];
	uint32_t oemptr;
	uint16_t oemsize, oemcount;
	uint32_t lapic;
	uint16_t ext_length;
	uint8_t ext_checksum, reserved;
} __attribute__((packed));

struct mpc_cpu {
	uint8_t type, apicid, apicver, cpuflag;
	uint32_t cpufeature, featureflag, reserved[2];
} __attribute__((packed));

struct mpc_bus {
	uint8_t type, busid;
	char bustype[6];
} __attribute__((packed));

struct mpc_ioapic {
	uint8_t type, apicid, apicver, flags;
	uint32_t apicaddr;
} __attribute__((packed));

struct mpc_intsrc {
	uint8_t type, irqtype;
	uint16_t irqflag;
	uint8_t srcbus, srcbusirq, dstapic, dstirq;
} __attribute__((packed));

int mptable__write(struct guest_mem *mem, unsigned nr_cpus,
		   const struct boot_pci_irq *irqs, unsigned nr_irqs)
{
	const size_t max = BIOS_END - MPTABLE_ADDR;
	uint8_t *base = guest_mem__ptr(mem, MPTABLE_ADDR, max);
	struct mpf_intel *mpf = (void *)base;
	struct mpc_table *mpc = (void *)(base + sizeof(*mpf));
	uint8_t *p = (uint8_t *)(mpc + 1);
	uint8_t ioapic_id = nr_cpus; /* after the LAPIC IDs, as the spec requires */
	uint16_t count = 0;
	size_t need = sizeof(*mpf) + sizeof(*mpc) + nr_cpus * sizeof(struct mpc_cpu) +
		      2 * sizeof(struct mpc_bus) + sizeof(struct mpc_ioapic) +
		      (16 + nr_irqs + 2) * sizeof(struct mpc_intsrc);

	if (!base || need > max || nr_cpus > 254)
		return -E2BIG;
	memset(base, 0, need);

	for (unsigned i = 0; i < nr_cpus; i++, count++) {
		struct mpc_cpu *c = (void *)p;

		*c = (struct mpc_cpu){
			.type = MP_PROCESSOR, .apicid = i, .apicver = MP_LAPIC_VERSION,
			.cpuflag = 1 /* enabled */ | (i == 0 ? 2 : 0) /* boot processor */,
			.cpufeature = 0x600, .featureflag = 0x201 /* FPU, APIC */,
		};
		p += sizeof(*c);
	}
	memcpy(((struct mpc_bus *)p)->bustype, "PCI   ", 6);
	((struct mpc_bus *)p)->type = MP_BUS;
	((struct mpc_bus *)p)->busid = MP_BUS_PCI;
	p += sizeof(struct mpc_bus);
	memcpy(((struct mpc_bus *)p)->bustype, "ISA   ", 6);
	((struct mpc_bus *)p)->type = MP_BUS;
	((struct mpc_bus *)p)->busid = MP_BUS_ISA;
	p += sizeof(struct mpc_bus);
	count += 2;

	*(struct mpc_ioapic *)p = (struct mpc_ioapic){
		.type = MP_IOAPIC, .apicid = ioapic_id, .apicver = MP_IOAPIC_VERSION,
		.flags = 1, .apicaddr = (uint32_t)IOAPIC_BASE,
	};
	p += sizeof(struct mpc_ioapic);
	count++;

	/*
	 * ISA IRQs: identity, as KVM's default GSI routing wires them (GSI n
	 * to IOAPIC pin n, so the in-kernel PIT's IRQ 0 is pin 0); no IRQ 2,
	 * the 8259 cascade.
	 */
	for (unsigned irq = 0; irq < 16; irq++) {
		if (irq == 2)
			continue;
		*(struct mpc_intsrc *)p = (struct mpc_intsrc){
			.type = MP_INTSRC, .irqtype = MP_INT, .irqflag = 0,
			.srcbus = MP_BUS_ISA, .srcbusirq = irq, .dstapic = ioapic_id,
			.dstirq = irq,
		};
		p += sizeof(struct mpc_intsrc);
		count++;
	}
	/* PCI INTx: level-triggered, active-high, as KVM's IOAPIC models the pins. */
	for (unsigned i = 0; i < nr_irqs; i++) {
		*(struct mpc_intsrc *)p = (struct mpc_intsrc){
			.type = MP_INTSRC, .irqtype = MP_INT,
			.irqflag = MP_IRQ_LEVEL | MP_IRQ_ACTIVE_HIGH,
			.srcbus = MP_BUS_PCI,
			.srcbusirq = (uint8_t)(irqs[i].slot << 2 | (irqs[i].pin - 1)),
			.dstapic = ioapic_id, .dstirq = irqs[i].gsi,
		};
		p += sizeof(struct mpc_intsrc);
		count++;
	}
	/* LINT0 is the 8259's ExtINT, LINT1 the NMI, on every CPU (0xff). */
	*(struct mpc_intsrc *)p = (struct mpc_intsrc){
		.type = MP_LINTSRC, .irqtype = MP_EXTINT, .srcbus = MP_BUS_ISA,
		.dstapic = 0xff, .dstirq = 0 };
	p += sizeof(struct mpc_intsrc);
	*(struct mpc_intsrc *)p = (struct mpc_intsrc){
		.type = MP_LINTSRC, .irqtype = MP_NMI, .srcbus = MP_BUS_ISA,
		.dstapic = 0xff, .dstirq = 1 };
	p += sizeof(struct mpc_intsrc);
	count += 2;

	memcpy(mpc->signature, "PCMP", 4);
	mpc->length = (uint16_t)(p - (uint8_t *)mpc);
	mpc->spec = MP_SPEC_REV;
	memcpy(mpc->oem, "PCIVMM  ", 8);
	memcpy(mpc->productid, "PCIVMM 0.1  ", 12);
	mpc->oemcount = count;
	mpc->lapic = (uint32_t)LAPIC_BASE;
	mpc->checksum = x86_boot__checksum(mpc, mpc->length);

	memcpy(mpf->signature, "_MP_", 4);
	mpf->physptr = (uint32_t)(MPTABLE_ADDR + sizeof(*mpf));
	mpf->length = 1; /* in 16-byte units */
	mpf->specification = MP_SPEC_REV;
	mpf->checksum = x86_boot__checksum(mpf, sizeof(*mpf));
	return 0;
}
