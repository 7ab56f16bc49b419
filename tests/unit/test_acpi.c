// SPDX-License-Identifier: GPL-2.0
/* The ACPI tables, read back: checksums, pointers, MADT entries, the _PRT; the AML emitter's encodings. */
#include "unit.h"
#include "pci.h"
#include "acpi.h"
#include "aml.h"
#include "guest_mem.h"
#include "layout.h"

#include <string.h>

static struct acpi_tables tables;

struct machine {
	struct bus pio, mmio;
	struct guest_mem mem;
	struct pci_host host;
	struct pci_device dev;
};

static void machine_init(struct machine *m)
{
	bus__init(&m->pio, "pio");
	bus__init(&m->mmio, "mmio");
	guest_mem__init(&m->mem, 1ULL << 30);
	pci_host__init(&m->host, &m->pio, &m->mmio, &m->mem);
	pci_device__init(&m->dev, NULL, 0x1234, 0x11e8, 0xff00, 0, 1);
	pci_host__add(&m->host, &m->dev, 4);
}

static void machine_exit(struct machine *m)
{
	pci_host__exit(&m->host);
	guest_mem__exit(&m->mem);
	bus__exit(&m->pio);
	bus__exit(&m->mmio);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

/* The table at guest-physical address gpa, or NULL if it is not inside the image. */
static const uint8_t *at(uint64_t gpa)
{
	if (gpa < ACPI_TABLES_ADDR || gpa - ACPI_TABLES_ADDR + 36 > tables.size)
		return NULL;
	return tables.data + (gpa - ACPI_TABLES_ADDR);
}

TEST(every_table_sums_to_zero_and_the_rsdp_leads_to_them_all)
{
	struct machine m;
	const uint8_t *rsdp, *xsdt, *fadt, *t;
	unsigned found = 0;

	machine_init(&m);
	EXPECT_EQ(acpi__build(&tables, 3, &m.host), 0);
	EXPECT_EQ(tables.rsdp_addr, ACPI_TABLES_ADDR);
	rsdp = at(tables.rsdp_addr);
	EXPECT(rsdp && !memcmp(rsdp, "RSD PTR ", 8));
	EXPECT_EQ(sum(rsdp, 20), 0);
	EXPECT_EQ(sum(rsdp, 36), 0);
	EXPECT_EQ(rsdp[15], 2); /* revision: XSDT */
	xsdt = at(le64(rsdp + 24));
	EXPECT(xsdt && !memcmp(xsdt, "XSDT", 4));
	EXPECT_EQ(sum(xsdt, le32(xsdt + 4)), 0);
	for (unsigned i = 0; 36 + 8 * i < le32(xsdt + 4); i++) {
		t = at(le64(xsdt + 36 + 8 * i));
		EXPECT(t != NULL);
		if (!t)
			continue;
		EXPECT_EQ(sum(t, le32(t + 4)), 0);
		found |= !memcmp(t, "FACP", 4) << 0 | !memcmp(t, "APIC", 4) << 1 |
			 !memcmp(t, "MCFG", 4) << 2;
	}
	EXPECT_EQ(found, 7u);
	fadt = at(le64(xsdt + 36));
	EXPECT(fadt && !memcmp(at(le32(fadt + 40)), "DSDT", 4));
	EXPECT(!memcmp(at(le64(fadt + 140)), "DSDT", 4));
	EXPECT_EQ(sum(at(le32(fadt + 40)), le32(at(le32(fadt + 40)) + 4)), 0);
	EXPECT(!memcmp(at(le32(fadt + 36)), "FACS", 4));
	EXPECT_EQ(le32(fadt + 36) % 64, 0u); /* the FACS is 64-byte aligned */
	/* The ports pcivmm decodes: PM1a event and control, reset at 0xcf9 with 6. */
	EXPECT_EQ(le32(fadt + 56), ACPI_PM1A_EVT_PORT);
	EXPECT_EQ(le32(fadt + 64), ACPI_PM1A_CNT_PORT);
	EXPECT_EQ(le64(fadt + 116 + 4), RESET_CONTROL_PORT);
	EXPECT_EQ(fadt[128], 6);
	machine_exit(&m);
}

TEST(madt_has_a_lapic_per_cpu_then_the_ioapic_after_them)
{
	struct machine m;
	const uint8_t *xsdt, *madt, *p, *end;
	unsigned lapics = 0, ioapics = 0;

	machine_init(&m);
	EXPECT_EQ(acpi__build(&tables, 5, &m.host), 0);
	xsdt = at(le64(at(tables.rsdp_addr) + 24));
	madt = at(le64(xsdt + 36 + 8));
	EXPECT(madt && !memcmp(madt, "APIC", 4));
	end = madt + le32(madt + 4);
	for (p = madt + 44; p < end && p[1]; p += p[1]) {
		if (p[0] == 0) {
			EXPECT_EQ(p[3], lapics); /* APIC ID */
			lapics++;
		} else if (p[0] == 1) {
			EXPECT_EQ(p[2], 5); /* IOAPIC ID after the LAPICs */
			EXPECT_EQ(le32(p + 4), IOAPIC_BASE);
			ioapics++;
		}
	}
	EXPECT(p == end);
	EXPECT_EQ(lapics, 5u);
	EXPECT_EQ(ioapics, 1u);
	machine_exit(&m);
}

/* Finds "_PRT" in the DSDT and checks each of its 124 entries against pci_host__intx_gsi. */
TEST(prt_routes_every_slot_and_pin_to_the_gsi_of_the_device_model)
{
	struct machine m;
	const uint8_t *xsdt, *dsdt, *p, *end;
	unsigned entries = 0;

	machine_init(&m);
	EXPECT_EQ(acpi__build(&tables, 1, &m.host), 0);
	xsdt = at(le64(at(tables.rsdp_addr) + 24));
	dsdt = at(le32(at(le64(xsdt + 36)) + 40));
	end = dsdt + le32(dsdt + 4);
	p = memmem(dsdt, le32(dsdt + 4), "_PRT", 4);
	EXPECT(p != NULL);
	if (!p)
		return;
	p += 4;
	EXPECT_EQ(p[0], 0x12); /* PackageOp */
	p += 1 + ((p[1] >> 6) + 1);  /* PkgLength */
	EXPECT_EQ(p[0], (PCI_MAX_SLOTS - 1) * 4);
	p++;
	/* Package(4) { DWord _ADR, pin, Zero, Byte GSI }, each 1 + 1 + 1 + 5 + 1-2 + 1 + 2 bytes. */
	while (p < end && p[0] == 0x12 && entries < (PCI_MAX_SLOTS - 1) * 4) {
		const uint8_t *e = p + 2 + 1; /* PackageOp, PkgLength (short), NumElements */
		unsigned slot, pin, gsi;

		EXPECT_EQ(p[2], 4);
		EXPECT_EQ(e[0], 0x0c); /* DWordPrefix */
		slot = le32(e + 1) >> 16;
		EXPECT_EQ(le32(e + 1) & 0xffff, 0xffffu);
		e += 5;
		pin = e[0] == 0x0a ? e[1] : e[0]; /* Zero, One, or BytePrefix n */
		e += e[0] == 0x0a ? 2 : 1;
		EXPECT_EQ(e[0], 0x00); /* source: none, a GSI */
		e++;
		EXPECT_EQ(e[0], 0x0a);
		gsi = e[1];
		EXPECT_EQ(gsi, pci_host__intx_gsi(slot, pin + 1));
		EXPECT_EQ(slot, entries / 4 + 1);
		EXPECT_EQ(pin, entries % 4);
		p += 1 + p[1];
		entries++;
	}
	EXPECT_EQ(entries, (PCI_MAX_SLOTS - 1) * 4);
	machine_exit(&m);
}

TEST(aml_package_lengths_take_the_fewest_bytes_at_every_boundary)
{
	static uint8_t buf[0x20000];
	/* Body sizes around the 1-, 2- and 3-byte PkgLength limits (63, 4095, 1 MiB - 1). */
	static const size_t bodies[] = { 0, 61, 62, 63, 64, 4092, 4093, 4094, 4095, 70000 };

	for (unsigned i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct aml a;
		size_t mark, total, decoded;
		unsigned n;

		aml__init(&a, buf, sizeof(buf));
		mark = aml__buffer_open(&a);
		for (size_t b = 0; b < bodies[i]; b++)
			aml__bytes(&a, "x", 1);
		aml__close(&a, mark);
		EXPECT(!a.overflow);
		EXPECT_EQ(buf[0], 0x11); /* BufferOp */
		n = (buf[1] >> 6) + 1;
		decoded = n == 1 ? buf[1] & 0x3f : buf[1] & 0xf;
		for (unsigned k = 1; k < n; k++)
			decoded |= (size_t)buf[1 + k] << (4 + 8 * (k - 1));
		total = a.len - 1; /* everything after BufferOp */
		EXPECT_EQ(decoded, total);
		EXPECT_EQ(n, total <= 0x3f ? 1u : total < 0x1000 ? 2u : total < 0x100000 ? 3u : 4u);
		(void)mark;
	}
}

TEST(aml_integers_names_and_eisaids_encode_as_the_spec_says)
{
	uint8_t buf[64];
	struct aml a;

	aml__init(&a, buf, sizeof(buf));
	aml__eisaid(&a, "PNP0A08");
	EXPECT(a.len == 5 && !memcmp(buf, "\x0c\x41\xd0\x0a\x08", 5));
	aml__init(&a, buf, sizeof(buf));
	aml__integer(&a, 0x1ffff);
	EXPECT(a.len == 5 && !memcmp(buf, "\x0c\xff\xff\x01\x00", 5));
	aml__init(&a, buf, sizeof(buf));
	aml__name(&a, "\\_SB_.PCI0");
	EXPECT(a.len == 10 && !memcmp(buf, "\\\x2e_SB_PCI0", 10));
	aml__init(&a, buf, 3);
	aml__string(&a, "long");
	EXPECT(a.overflow);
}
