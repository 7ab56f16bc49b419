// SPDX-License-Identifier: GPL-2.0
#include "acpi.h"
#include "aml.h"
#include "acpi_pcihp.h"
#include "boot.h"
#include "layout.h"
#include "log.h"
#include "out_file.h"
#include "pci.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define ACPI_OEM_ID "PCIVMM"
#define ACPI_OEM_TABLE_ID "PCIVMM  "
#define ACPI_CREATOR_ID "PVMM"

#define ACPI_PM1_EVT_LEN 4
#define ACPI_PM1_CNT_LEN 2
/* Writing 0x06 to the reset control register 0xcf9 resets the machine (devices/pci_host.c). */
#define ACPI_RESET_VALUE 0x06

/* Common header of every table but the RSDP and FACS (5.2.6). */
struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem_id[6], oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

struct acpi_rsdp { /* 5.2.5.3 */
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address, length;
	uint64_t xsdt_address;
	uint8_t extended_checksum, reserved[3];
} __attribute__((packed));

struct acpi_gas { /* Generic Address Structure, 5.2.3.2 */
	uint8_t space_id, bit_width, bit_offset, access_size;
	uint64_t address;
} __attribute__((packed));
#define ACPI_GAS_SYSTEM_IO 1
#define ACPI_GAS_ACCESS_BYTE 1

struct acpi_fadt { /* 5.2.9, revision 6 */
	struct acpi_header h;
	uint32_t firmware_ctrl, dsdt;
	uint8_t reserved0, preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl, x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk, x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control, sleep_status;
	char hypervisor_vendor_id[8];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT revision 6 is 276 bytes");

/* FADT flags (5.2.9, table 5.10) and IA-PC boot architecture flags (5.2.9.3). */
#define FADT_WBINVD (1u << 0)
#define FADT_PROC_C1 (1u << 2)
#define FADT_PWR_BUTTON (1u << 4)   /* no fixed-feature power button (unused: pcivmm has one) */
#define FADT_SLP_BUTTON (1u << 5)   /* no fixed-feature sleep button */
#define FADT_RESET_REG_SUP (1u << 10)
#define IAPC_BOOT_ARCH_NO_VGA (1u << 2)
#define IAPC_BOOT_ARCH_NO_ASPM (1u << 4)

struct acpi_facs { /* 5.2.10: no checksum, 64-byte aligned */
	char signature[4];
	uint32_t length, hardware_signature, firmware_waking_vector, global_lock, flags;
	uint64_t x_firmware_waking_vector;
	uint8_t version, reserved[3];
	uint32_t ospm_flags;
	uint8_t reserved2[24];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_facs) == 64, "FACS is 64 bytes");

struct acpi_madt { /* 5.2.12 */
	struct acpi_header h;
	uint32_t lapic_address, flags;
} __attribute__((packed));
#define MADT_PCAT_COMPAT 1 /* a dual 8259 is present: the OS masks it */

struct madt_lapic { uint8_t type, length, processor_id, apic_id; uint32_t flags; } __attribute__((packed));
struct madt_ioapic { uint8_t type, length, id, reserved; uint32_t address, gsi_base; } __attribute__((packed));
struct madt_iso { uint8_t type, length, bus, source; uint32_t gsi; uint16_t flags; } __attribute__((packed));
struct madt_lapic_nmi { uint8_t type, length, processor_id; uint16_t flags; uint8_t lint; } __attribute__((packed));
enum { MADT_LAPIC, MADT_IOAPIC, MADT_ISO, MADT_NMI_SOURCE, MADT_LAPIC_NMI };
/* MPS INTI flags: polarity bits 0-1 (1 high), trigger bits 2-3 (3 level). */
#define MADT_INTI_ACTIVE_HIGH 0x1
#define MADT_INTI_LEVEL (0x3 << 2)

struct acpi_mcfg { /* PCI Firmware Specification 3.2, 4.1.2 */
	struct acpi_header h;
	uint8_t reserved[8];
	uint64_t base;
	uint16_t segment;
	uint8_t start_bus, end_bus;
	uint32_t reserved2;
} __attribute__((packed));

_Static_assert(sizeof(((struct acpi_tables *)0)->data) <= MPTABLE_ADDR - ACPI_TABLES_ADDR,
	       "the ACPI tables end below the MP table");

/* The table image being built: tables appended at 16-byte (FACS: 64-byte) boundaries. */
struct acpi_builder {
	struct acpi_tables *t;
	bool overflow;
};

static void *acpi_alloc(struct acpi_builder *b, const char *name, size_t size, size_t align)
{
	struct acpi_tables *t = b->t;
	size_t off = (t->size + align - 1) & ~(align - 1);

	if (b->overflow || off + size > sizeof(t->data) || t->nr_tables == ACPI_MAX_TABLES) {
		b->overflow = true;
		return NULL;
	}
	memset(t->data + off, 0, size);
	t->size = off + size;
	snprintf(t->table[t->nr_tables].name, sizeof(t->table[0].name), "%s", name);
	t->table[t->nr_tables].offset = off;
	t->table[t->nr_tables].size = size;
	t->nr_tables++;
	return t->data + off;
}

static uint64_t acpi_addr(const struct acpi_builder *b, const void *p)
{
	return ACPI_TABLES_ADDR + (uint64_t)((const uint8_t *)p - b->t->data);
}

static void acpi_header(struct acpi_header *h, const char *sig, size_t length, uint8_t revision)
{
	memcpy(h->signature, sig, 4);
	h->length = (uint32_t)length;
	h->revision = revision;
	memcpy(h->oem_id, ACPI_OEM_ID, 6);
	memcpy(h->oem_table_id, ACPI_OEM_TABLE_ID, 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, ACPI_CREATOR_ID, 4);
	h->creator_revision = 1;
}

static void acpi_seal(struct acpi_header *h)
{
	h->checksum = 0;
	h->checksum = x86_boot__checksum(h, h->length);
}

/* Word/DWord/QWord Address Space Descriptors (6.4.3.5): producer windows. */
enum { RES_MEMORY, RES_IO, RES_BUS };
#define RES_FLAGS_WINDOW 0x0c /* producer, min and max fixed */
#define RES_MEM_READ_WRITE 0x01
#define RES_IO_ENTIRE_RANGE 0x03

static void res_word(struct aml *a, uint8_t type, uint8_t type_flags, uint16_t min, uint16_t max)
{
	uint8_t d[16] = { 0x88, 13, 0, type, RES_FLAGS_WINDOW, type_flags };
	uint16_t f[5] = { 0, min, max, 0, (uint16_t)(max - min + 1) };

	memcpy(d + 6, f, sizeof(f));
	aml__bytes(a, d, sizeof(d));
}

static void res_dword_mem(struct aml *a, uint32_t min, uint32_t max)
{
	uint8_t d[26] = { 0x87, 23, 0, RES_MEMORY, RES_FLAGS_WINDOW, RES_MEM_READ_WRITE };
	uint32_t f[5] = { 0, min, max, 0, max - min + 1 };

	memcpy(d + 6, f, sizeof(f));
	aml__bytes(a, d, sizeof(d));
}

static void res_qword_mem(struct aml *a, uint64_t min, uint64_t max)
{
	uint8_t d[46] = { 0x8a, 43, 0, RES_MEMORY, RES_FLAGS_WINDOW, RES_MEM_READ_WRITE };
	uint64_t f[5] = { 0, min, max, 0, max - min + 1 };

	memcpy(d + 6, f, sizeof(f));
	aml__bytes(a, d, sizeof(d));
}

/* I/O Port Descriptor (6.4.2.5): the config ports the bridge itself decodes. */
static void res_io(struct aml *a, uint16_t base, uint8_t len)
{
	uint8_t d[8] = { 0x47, 1 /* 16-bit decode */, (uint8_t)base, (uint8_t)(base >> 8),
			 (uint8_t)base, (uint8_t)(base >> 8), 1, len };

	aml__bytes(a, d, sizeof(d));
}

/*
 * \_SB.PCI0, the host bridge: PCI Express root (PNP0A08, compatible with
 * PNP0A03), segment 0, bus 0, the windows the FDT announces (machine_fdt.c)
 * and the _PRT: every slot's INTA-INTD to the GSI pci_host__intx_gsi gives
 * (the GSI form of 6.2.13: source 0, level-triggered, active-low), so
 * devices that share a GSI today share it under ACPI too. Then \_S5, the
 * soft-off sleep type pcivmm's PM1a control answers (SLP_TYP 0).
 */
static void dsdt_body(struct aml *a, const struct pci_host *pci)
{
	uint64_t base64 = pci->mmio64_base, size64 = pci_host__mmio64_size(pci);
	size_t sb, dev, crs, prt, s5;

	sb = aml__scope_open(a, "\\_SB_");
	dev = aml__device_open(a, "PCI0");
	aml__name_op(a, "_HID");
	aml__eisaid(a, "PNP0A08");
	aml__name_op(a, "_CID");
	aml__eisaid(a, "PNP0A03");
	aml__name_op(a, "_SEG");
	aml__integer(a, 0);
	aml__name_op(a, "_BBN");
	aml__integer(a, 0);
	aml__name_op(a, "_UID");
	aml__integer(a, 0);

	aml__name_op(a, "_CRS");
	crs = aml__buffer_open(a);
	res_word(a, RES_BUS, 0, 0, 0);
	res_io(a, PCI_HOST_CF8_PORT, 8);
	res_word(a, RES_IO, RES_IO_ENTIRE_RANGE, PCI_IO_WINDOW_BASE,
		 PCI_IO_WINDOW_BASE + PCI_IO_WINDOW_SIZE - 1);
	res_dword_mem(a, (uint32_t)PCI_MMIO_BASE, (uint32_t)(PCI_MMIO_BASE + PCI_MMIO_SIZE - 1));
	if (size64)
		res_qword_mem(a, base64, base64 + size64 - 1);
	aml__bytes(a, (const uint8_t[]){ 0x79, 0 }, 2); /* End Tag (checksum 0: none) */
	aml__close(a, crs);

	aml__name_op(a, "_PRT");
	prt = aml__package_open(a, (PCI_MAX_SLOTS - 1) * 4);
	for (unsigned slot = 1; slot < PCI_MAX_SLOTS; slot++) {
		for (unsigned pin = 1; pin <= 4; pin++) {
			size_t e = aml__package_open(a, 4);

			aml__integer(a, (uint64_t)slot << 16 | 0xffff); /* _ADR: any function */
			aml__integer(a, pin - 1);                       /* 0 = INTA */
			aml__integer(a, 0);                             /* source: a GSI */
			aml__integer(a, pci_host__intx_gsi(slot, pin));
			aml__close(a, e);
		}
	}
	aml__close(a, prt);
	acpi_pcihp__slots(a);
	aml__close(a, dev);
	aml__close(a, sb);
	acpi_pcihp__gpe(a);

	aml__name_op(a, "\\_S5_");
	s5 = aml__package_open(a, 4);
	for (unsigned i = 0; i < 4; i++)
		aml__integer(a, 0); /* SLP_TYPa, SLP_TYPb, reserved */
	aml__close(a, s5);
}

static void *acpi_dsdt(struct acpi_builder *b, const struct pci_host *pci)
{
	static uint8_t body[sizeof(((struct acpi_tables *)0)->data)];
	struct acpi_header *h;
	struct aml a;

	aml__init(&a, body, sizeof(body));
	dsdt_body(&a, pci);
	if (a.overflow) {
		b->overflow = true;
		return NULL;
	}
	h = acpi_alloc(b, "DSDT", sizeof(*h) + a.len, 16);
	if (!h)
		return NULL;
	memcpy(h + 1, body, a.len);
	acpi_header(h, "DSDT", sizeof(*h) + a.len, 2 /* 64-bit integers */);
	acpi_seal(h);
	return h;
}

static struct acpi_madt *acpi_madt(struct acpi_builder *b, unsigned nr_cpus)
{
	size_t size = sizeof(struct acpi_madt) + nr_cpus * sizeof(struct madt_lapic) +
		      sizeof(struct madt_ioapic) + sizeof(struct madt_iso) +
		      sizeof(struct madt_lapic_nmi);
	struct acpi_madt *m = acpi_alloc(b, "APIC", size, 16);
	uint8_t *p;

	if (!m)
		return NULL;
	acpi_header(&m->h, "APIC", size, 4);
	m->lapic_address = (uint32_t)LAPIC_BASE;
	m->flags = MADT_PCAT_COMPAT;
	p = (uint8_t *)(m + 1);
	for (unsigned i = 0; i < nr_cpus; i++, p += sizeof(struct madt_lapic))
		*(struct madt_lapic *)p = (struct madt_lapic){
			.type = MADT_LAPIC, .length = sizeof(struct madt_lapic),
			.processor_id = (uint8_t)i, .apic_id = (uint8_t)i, .flags = 1 /* enabled */ };
	/* After the LAPIC IDs, as the MP table has it (mptable.c). */
	*(struct madt_ioapic *)p = (struct madt_ioapic){
		.type = MADT_IOAPIC, .length = sizeof(struct madt_ioapic), .id = (uint8_t)nr_cpus,
		.address = (uint32_t)IOAPIC_BASE, .gsi_base = 0 };
	p += sizeof(struct madt_ioapic);
	/*
	 * ISA IRQs are identity-mapped (KVM's default routing: GSI n is IOAPIC
	 * pin n, the PIT's IRQ 0 included), which ACPI assumes without an
	 * override; only the SCI is level, active-high, as QEMU describes it.
	 */
	*(struct madt_iso *)p = (struct madt_iso){
		.type = MADT_ISO, .length = sizeof(struct madt_iso), .bus = 0,
		.source = ACPI_SCI_GSI, .gsi = ACPI_SCI_GSI,
		.flags = MADT_INTI_LEVEL | MADT_INTI_ACTIVE_HIGH };
	p += sizeof(struct madt_iso);
	/* LINT1 of every processor is the NMI. */
	*(struct madt_lapic_nmi *)p = (struct madt_lapic_nmi){
		.type = MADT_LAPIC_NMI, .length = sizeof(struct madt_lapic_nmi),
		.processor_id = 0xff, .flags = 0, .lint = 1 };
	acpi_seal(&m->h);
	return m;
}

static struct acpi_mcfg *acpi_mcfg(struct acpi_builder *b)
{
	struct acpi_mcfg *m = acpi_alloc(b, "MCFG", sizeof(*m), 16);

	if (!m)
		return NULL;
	acpi_header(&m->h, "MCFG", sizeof(*m), 1);
	m->base = PCI_ECAM_BASE;
	m->segment = 0;
	m->start_bus = 0;
	m->end_bus = (uint8_t)(PCI_ECAM_SIZE / SZ_1M - 1); /* 1 MiB of ECAM per bus */
	acpi_seal(&m->h);
	return m;
}

static struct acpi_fadt *acpi_fadt(struct acpi_builder *b, uint64_t facs, uint64_t dsdt)
{
	struct acpi_fadt *f = acpi_alloc(b, "FACP", sizeof(*f), 16);

	if (!f)
		return NULL;
	acpi_header(&f->h, "FACP", sizeof(*f), 6);
	/* FIRMWARE_CTRL only: with X_FIRMWARE_CTRL too, Linux installs the FACS twice. */
	f->firmware_ctrl = (uint32_t)facs;
	f->dsdt = (uint32_t)dsdt;
	f->x_dsdt = dsdt;
	f->sci_int = ACPI_SCI_GSI;
	/* No SMI_CMD: the machine is in ACPI mode from the start (SCI_EN needs no handshake). */
	f->pm1a_evt_blk = ACPI_PM1A_EVT_PORT;
	f->pm1_evt_len = ACPI_PM1_EVT_LEN;
	f->pm1a_cnt_blk = ACPI_PM1A_CNT_PORT;
	f->pm1_cnt_len = ACPI_PM1_CNT_LEN;
	/* GPE0 (devices/acpi_pm.h): PCI hot-plug's event. No PM timer, no C2/C3. */
	f->gpe0_blk = ACPI_GPE0_PORT;
	f->gpe0_blk_len = ACPI_GPE0_LEN;
	f->p_lvl2_lat = 101;
	f->p_lvl3_lat = 1001;
	f->century = 0x32; /* CMOS register of the century (devices/rtc_cmos.c) */
	/* No 8042 (port 0x64 is only its reset line), no VGA, ASPM left alone. */
	f->iapc_boot_arch = IAPC_BOOT_ARCH_NO_VGA | IAPC_BOOT_ARCH_NO_ASPM;
	/*
	 * PWR_BUTTON clear: the power button is the fixed feature of PM1
	 * (devices/acpi_pm.h), which vm.power-button presses.
	 */
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON |
		   FADT_RESET_REG_SUP;
	f->reset_reg = (struct acpi_gas){ .space_id = ACPI_GAS_SYSTEM_IO, .bit_width = 8,
					  .access_size = ACPI_GAS_ACCESS_BYTE,
					  .address = RESET_CONTROL_PORT };
	f->reset_value = ACPI_RESET_VALUE;
	memcpy(f->hypervisor_vendor_id, "PCIVMM\0\0", 8);
	acpi_seal(&f->h);
	return f;
}

int acpi__build(struct acpi_tables *t, unsigned nr_cpus, const struct pci_host *pci)
{
	struct acpi_builder b = { .t = t };
	struct acpi_rsdp *rsdp;
	struct acpi_facs *facs;
	struct acpi_header *dsdt, *xsdt;
	struct acpi_fadt *fadt;
	struct acpi_madt *madt;
	struct acpi_mcfg *mcfg;
	uint64_t entry[3];

	memset(t, 0, sizeof(*t));
	rsdp = acpi_alloc(&b, "RSDP", sizeof(*rsdp), 16);
	xsdt = acpi_alloc(&b, "XSDT", sizeof(*xsdt) + sizeof(entry), 16);
	facs = acpi_alloc(&b, "FACS", sizeof(*facs), 64);
	dsdt = acpi_dsdt(&b, pci);
	fadt = dsdt && facs ? acpi_fadt(&b, acpi_addr(&b, facs), acpi_addr(&b, dsdt)) : NULL;
	madt = acpi_madt(&b, nr_cpus);
	mcfg = acpi_mcfg(&b);
	if (b.overflow || !rsdp || !xsdt || !fadt || !madt || !mcfg) {
		pr_err("the ACPI tables do not fit in %zu bytes", sizeof(t->data));
		return -ENOSPC;
	}
	memcpy(facs->signature, "FACS", 4);
	facs->length = sizeof(*facs);
	facs->version = 2;

	acpi_header(xsdt, "XSDT", sizeof(*xsdt) + sizeof(entry), 1);
	/* The XSDT's 64-bit entries start at offset 36: not 8-byte aligned. */
	entry[0] = acpi_addr(&b, fadt);
	entry[1] = acpi_addr(&b, madt);
	entry[2] = acpi_addr(&b, mcfg);
	memcpy(xsdt + 1, entry, sizeof(entry));
	acpi_seal(xsdt);

	memcpy(rsdp->signature, "RSD PTR ", 8);
	memcpy(rsdp->oem_id, ACPI_OEM_ID, 6);
	rsdp->revision = 2;
	rsdp->length = sizeof(*rsdp);
	rsdp->xsdt_address = acpi_addr(&b, xsdt);
	rsdp->checksum = x86_boot__checksum(rsdp, 20); /* the ACPI 1.0 part */
	rsdp->extended_checksum = x86_boot__checksum(rsdp, sizeof(*rsdp));
	t->rsdp_addr = acpi_addr(&b, rsdp);
	return 0;
}

int acpi__write_dir(const struct acpi_tables *t, const char *dir)
{
	char path[4096];

	if (mkdir(dir, 0755) && errno != EEXIST) {
		pr_err("--dump-acpi %s: %s; give a directory that can be made", dir, strerror(errno));
		return -errno;
	}
	for (unsigned i = 0; i < t->nr_tables; i++) {
		char name[5];
		int err;

		for (unsigned c = 0; c < 5; c++)
			name[c] = (char)(t->table[i].name[c] | (t->table[i].name[c] ? 0x20 : 0));
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.dat", dir, name) >= sizeof(path)) {
			pr_err("--dump-acpi %s: the path is too long", dir);
			return -ENAMETOOLONG;
		}
		err = out_file__write(path, t->data + t->table[i].offset, t->table[i].size);
		if (err) {
			pr_err("--dump-acpi: %s: %s", path, strerror(-err));
			return err;
		}
	}
	return 0;
}
