// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration access (mechanism #1 on ports 0xcf8/0xcfc, and ECAM when
 * the FDT gives its window) and device discovery: pcivmm's FDT lists each
 * device with its GSI; without an FDT (QEMU) bus 0 is scanned and the GSI is
 * taken from INTERRUPT_LINE as the firmware programmed it.
 */
#include "guest.h"

#include <libfdt.h>

#define CF8 0xcf8
#define CFC 0xcfc

uint64_t pci_ecam_base;
static bool from_fdt;

bool pci_from_fdt(void)
{
	return from_fdt;
}

static uint32_t cf8_addr(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	return 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc);
}

uint32_t pci_cf8_read(unsigned bus, unsigned dev, unsigned fn, unsigned off, unsigned len)
{
	outl(CF8, cf8_addr(bus, dev, fn, off));
	switch (len) {
	case 1: return inb(CFC + (off & 3));
	case 2: return inw(CFC + (off & 2));
	default: return inl(CFC);
	}
}

void pci_cf8_write(unsigned bus, unsigned dev, unsigned fn, unsigned off, unsigned len, uint32_t v)
{
	outl(CF8, cf8_addr(bus, dev, fn, off));
	switch (len) {
	case 1: outb(CFC + (off & 3), v); break;
	case 2: outw(CFC + (off & 2), v); break;
	default: outl(CFC, v); break;
	}
}

static uint64_t ecam_addr(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	return pci_ecam_base + ((uint64_t)bus << 20 | dev << 15 | fn << 12 | off);
}

uint32_t pci_ecam_read(unsigned bus, unsigned dev, unsigned fn, unsigned off, unsigned len)
{
	uint64_t a = ecam_addr(bus, dev, fn, off);

	switch (len) {
	case 1: return mmio_read8(a);
	case 2: return mmio_read16(a);
	default: return mmio_read32(a);
	}
}

static void pci_ecam_write(unsigned bus, unsigned dev, unsigned fn, unsigned off, unsigned len,
			   uint32_t v)
{
	uint64_t a = ecam_addr(bus, dev, fn, off);

	switch (len) {
	case 1: mmio_write8(a, v); break;
	case 2: mmio_write16(a, v); break;
	default: mmio_write32(a, v); break;
	}
}

bool pci_use_cf8;

uint32_t pci_cfg_read(const struct pci_dev *d, unsigned off, unsigned len)
{
	if (pci_ecam_base && !pci_use_cf8)
		return pci_ecam_read(d->bus, d->dev, d->fn, off, len);
	return pci_cf8_read(d->bus, d->dev, d->fn, off, len);
}

void pci_cfg_write(const struct pci_dev *d, unsigned off, unsigned len, uint32_t v)
{
	if (pci_ecam_base && !pci_use_cf8)
		pci_ecam_write(d->bus, d->dev, d->fn, off, len, v);
	else
		pci_cf8_write(d->bus, d->dev, d->fn, off, len, v);
}

uint64_t pci_bar_addr(const struct pci_dev *d, unsigned idx)
{
	uint32_t lo = pci_cfg_read(d, PCI_BASE_ADDRESS_0 + 4 * idx, 4);

	if (lo & 1)
		return lo & ~3u;
	if ((lo & 6) == 4)
		return (lo & ~0xfULL) | (uint64_t)pci_cfg_read(d, PCI_BASE_ADDRESS_0 + 4 * idx + 4, 4) << 32;
	return lo & ~0xfu;
}

static uint32_t fdt_u32(const void *fdt, int node, const char *name, uint32_t def)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len >= 4 ? fdt32_ld(p) : def;
}

static int pci_discover_fdt(const void *fdt, struct pci_dev *out, int max)
{
	int host = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic");
	const fdt64_t *reg;
	int node, len, n = 0;

	if (host < 0)
		return -1;
	reg = fdt_getprop(fdt, host, "reg", &len);
	if (reg && len >= 16)
		pci_ecam_base = fdt64_ld(&reg[0]);
	fdt_for_each_subnode(node, fdt, host) {
		const fdt32_t *r = fdt_getprop(fdt, node, "reg", &len);
		uint32_t hi;

		if (!r || len < 4 || n == max)
			continue;
		hi = fdt32_ld(&r[0]);
		out[n] = (struct pci_dev){
			.bus = (hi >> 16) & 0xff, .dev = (hi >> 11) & 0x1f, .fn = (hi >> 8) & 7,
			.vendor = fdt_u32(fdt, node, "vendor-id", 0xffff),
			.device = fdt_u32(fdt, node, "device-id", 0xffff),
			.pin = fdt_u32(fdt, node, "interrupts", 0),
			.gsi = fdt_u32(fdt, node, "pcivmm,gsi", 0),
		};
		n++;
	}
	return n;
}

static int pci_discover_scan(struct pci_dev *out, int max)
{
	int n = 0;

	for (unsigned dev = 1; dev < 32 && n < max; dev++) {
		uint32_t id = pci_cf8_read(0, dev, 0, 0, 4);

		if ((id & 0xffff) == 0xffff)
			continue;
		out[n++] = (struct pci_dev){
			.bus = 0, .dev = dev, .fn = 0,
			.vendor = id & 0xffff, .device = id >> 16,
			.pin = pci_cf8_read(0, dev, 0, PCI_INTERRUPT_PIN, 1),
			.gsi = pci_cf8_read(0, dev, 0, PCI_INTERRUPT_LINE, 1),
		};
	}
	return n;
}

int pci_discover(struct pci_dev *out, int max)
{
	const void *fdt = boot_fdt();
	int n;

	if (fdt) {
		n = pci_discover_fdt(fdt, out, max);
		if (n >= 0) {
			from_fdt = true;
			return n;
		}
	}
	return pci_discover_scan(out, max);
}
