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

/* Where the next entry of the table goes; entries counted for the header. */
struct mp_writer {
	uint8_t *p;
	uint16_t count;
	uint8_t ioapic_id;
};

static void *mp_entry(struct mp_writer *w, size_t size)
{
	void *e = w->p;

	w->p += size;
	w->count++;
	return e;
}

static void mp_add_cpus(struct mp_writer *w, unsigned nr_cpus)
{
	for (unsigned i = 0; i < nr_cpus; i++)
		*(struct mpc_cpu *)mp_entry(w, sizeof(struct mpc_cpu)) = (struct mpc_cpu){
			.type = MP_PROCESSOR, .apicid = i, .apicver = MP_LAPIC_VERSION,
			.cpuflag = 1 /* enabled */ | (i == 0 ? 2 : 0) /* boot processor */,
			.cpufeature = 0x600, .featureflag = 0x201 /* FPU, APIC */,
		};
}

/* A bus entry: its type is a 6-character name padded with spaces ("PCI   "). */
static void mp_add_bus(struct mp_writer *w, uint8_t id, const char name[6])
{
	struct mpc_bus *b = mp_entry(w, sizeof(*b));

	*b = (struct mpc_bus){ .type = MP_BUS, .busid = id };
	memcpy(b->bustype, name, sizeof(b->bustype));
}

static void mp_add_irq(struct mp_writer *w, uint8_t type, uint8_t irqtype, uint16_t irqflag,
		       uint8_t srcbus, uint8_t srcbusirq, uint8_t dstapic, uint8_t dstirq)
{
	*(struct mpc_intsrc *)mp_entry(w, sizeof(struct mpc_intsrc)) = (struct mpc_intsrc){
		.type = type, .irqtype = irqtype, .irqflag = irqflag, .srcbus = srcbus,
		.srcbusirq = srcbusirq, .dstapic = dstapic, .dstirq = dstirq,
	};
}

static void mp_add_irqs(struct mp_writer *w, const struct boot_pci_irq *irqs, unsigned nr_irqs)
{
	/*
	 * ISA IRQs: identity, as KVM's default GSI routing wires them (GSI n
	 * to IOAPIC pin n, so the in-kernel PIT's IRQ 0 is pin 0); no IRQ 2,
	 * the 8259 cascade.
	 */
	for (unsigned irq = 0; irq < 16; irq++)
		if (irq != 2)
			mp_add_irq(w, MP_INTSRC, MP_INT, 0, MP_BUS_ISA, irq, w->ioapic_id, irq);
	/* PCI INTx: level-triggered, active-high, as KVM's IOAPIC models the pins. */
	for (unsigned i = 0; i < nr_irqs; i++)
		mp_add_irq(w, MP_INTSRC, MP_INT, MP_IRQ_LEVEL | MP_IRQ_ACTIVE_HIGH, MP_BUS_PCI,
			   (uint8_t)(irqs[i].slot << 2 | (irqs[i].pin - 1)), w->ioapic_id, irqs[i].gsi);
	/* LINT0 is the 8259's ExtINT, LINT1 the NMI, on every CPU (0xff). */
	mp_add_irq(w, MP_LINTSRC, MP_EXTINT, 0, MP_BUS_ISA, 0, 0xff, 0);
	mp_add_irq(w, MP_LINTSRC, MP_NMI, 0, MP_BUS_ISA, 0, 0xff, 1);
}

/* The table's header over the entries written, and the floating pointer to it. */
static void mp_write_headers(struct mpf_intel *mpf, struct mpc_table *mpc,
			     const struct mp_writer *w)
{
	memcpy(mpc->signature, "PCMP", 4);
	mpc->length = (uint16_t)(w->p - (uint8_t *)mpc);
	mpc->spec = MP_SPEC_REV;
	memcpy(mpc->oem, "PCIVMM  ", 8);
	memcpy(mpc->productid, "PCIVMM 0.1  ", 12);
	mpc->oemcount = w->count;
	mpc->lapic = (uint32_t)LAPIC_BASE;
	mpc->checksum = x86_boot__checksum(mpc, mpc->length);

	memcpy(mpf->signature, "_MP_", 4);
	mpf->physptr = (uint32_t)(MPTABLE_ADDR + sizeof(*mpf));
	mpf->length = 1; /* in 16-byte units */
	mpf->specification = MP_SPEC_REV;
	mpf->checksum = x86_boot__checksum(mpf, sizeof(*mpf));
}

int mptable__write(struct guest_mem *mem, unsigned nr_cpus,
		   const struct boot_pci_irq *irqs, unsigned nr_irqs)
{
	const size_t max = BIOS_END - MPTABLE_ADDR;
	uint8_t *base = guest_mem__ptr(mem, MPTABLE_ADDR, max);
	struct mpf_intel *mpf = (void *)base;
	struct mpc_table *mpc = (void *)(base + sizeof(*mpf));
	/* The IOAPIC's ID comes after the LAPIC IDs, as the spec requires. */
	struct mp_writer w = { .p = (uint8_t *)(mpc + 1), .ioapic_id = nr_cpus };
	size_t need = sizeof(*mpf) + sizeof(*mpc) + nr_cpus * sizeof(struct mpc_cpu) +
		      2 * sizeof(struct mpc_bus) + sizeof(struct mpc_ioapic) +
		      (16 + nr_irqs + 2) * sizeof(struct mpc_intsrc);

	if (!base || need > max || nr_cpus > 254)
		return -E2BIG;
	memset(base, 0, need);
	mp_add_cpus(&w, nr_cpus);
	mp_add_bus(&w, MP_BUS_PCI, "PCI   ");
	mp_add_bus(&w, MP_BUS_ISA, "ISA   ");
	*(struct mpc_ioapic *)mp_entry(&w, sizeof(struct mpc_ioapic)) = (struct mpc_ioapic){
		.type = MP_IOAPIC, .apicid = w.ioapic_id, .apicver = MP_IOAPIC_VERSION,
		.flags = 1, .apicaddr = (uint32_t)IOAPIC_BASE,
	};
	mp_add_irqs(&w, irqs, nr_irqs);
	mp_write_headers(mpf, mpc, &w);
	return 0;
}
