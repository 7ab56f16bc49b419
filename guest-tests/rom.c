// SPDX-License-Identifier: GPL-2.0
/*
 * rom: the expansion ROM of the first device that has one, read as Linux's
 * pci_map_rom() does: size the ROM BAR (PCI 3.0 6.2.5.2), enable it with
 * memory decode on, check the 0x55AA signature, walk the images to the one
 * marked last (the PCI data structure's length and indicator) and hash
 * those bytes (FNV-1a 64). The line "rom: N bytes, fnv1a64 0x..." lets the
 * caller compare with the device's own ROM (the nested job reads it through
 * L1's sysfs). Disabled again, the ROM must stop decoding.
 */
#include "guest.h"

const char test_name[] = "rom";

static uint32_t rom_size(const struct pci_dev *d)
{
	uint32_t old = pci_cfg_read(d, PCI_ROM_ADDRESS, 4), mask;

	pci_cfg_write(d, PCI_ROM_ADDRESS, 4, PCI_ROM_ADDRESS_MASK);
	mask = pci_cfg_read(d, PCI_ROM_ADDRESS, 4) & PCI_ROM_ADDRESS_MASK;
	pci_cfg_write(d, PCI_ROM_ADDRESS, 4, old);
	return mask ? ~mask + 1 : 0;
}

/* The bytes the images take, as Linux's pci_get_rom_size counts them; 0 if malformed. */
static uint64_t rom_images_size(uint64_t base, uint32_t bar_size)
{
	uint64_t off = 0;

	while (off + 0x1a <= bar_size && mmio_read16(base + off) == 0xaa55) {
		uint16_t pcir = mmio_read16(base + off + 0x18);
		uint64_t p = off + pcir;
		uint16_t len;

		if (p + 0x18 > bar_size || mmio_read32(base + p) != 0x52494350) /* "PCIR" */
			return off;
		len = mmio_read16(base + p + 0x10); /* in 512-byte units */
		if (!len)
			return off;
		off += (uint64_t)len * 512;
		if (mmio_read8(base + p + 0x15) & 0x80) /* last image */
			break;
	}
	return off > bar_size ? bar_size : off;
}

void test_main(void)
{
	struct pci_dev devs[PCI_MAX_DEVS];
	int n = pci_discover(devs, PCI_MAX_DEVS);
	const struct pci_dev *d = NULL;
	uint32_t size = 0, addr;
	uint64_t hash = 0xcbf29ce484222325ULL, len;

	for (int i = 0; i < n && !d; i++) {
		size = rom_size(&devs[i]);
		if (size)
			d = &devs[i];
	}
	if (!d) {
		check(false, "a device with an expansion ROM is present");
		return;
	}
	addr = pci_cfg_read(d, PCI_ROM_ADDRESS, 4) & PCI_ROM_ADDRESS_MASK;
	check(addr && !(addr & (size - 1)), "%02x:%02x.%x %04x:%04x: a %u KiB ROM BAR at 0x%x",
	      d->bus, d->dev, d->fn, d->vendor, d->device, size >> 10, addr);
	check(!(pci_cfg_read(d, PCI_ROM_ADDRESS, 4) & PCI_ROM_ADDRESS_ENABLE),
	      "firmware left the ROM disabled");
	pci_cfg_write(d, PCI_COMMAND, 2, pci_cfg_read(d, PCI_COMMAND, 2) | PCI_COMMAND_MEMORY);
	pci_cfg_write(d, PCI_ROM_ADDRESS, 4, addr | PCI_ROM_ADDRESS_ENABLE);
	check(mmio_read16(addr) == 0xaa55, "enabled, it starts with the 0x55AA signature (0x%04x)",
	      mmio_read16(addr));
	len = rom_images_size(addr, size);
	check(len > 0, "its images take %lu bytes", len);
	/* Dwords, as option-ROM scanners read; hashed byte by byte in address order. */
	for (uint64_t i = 0; i < len; i += 4) {
		uint32_t w = mmio_read32(addr + i);

		for (unsigned k = 0; k < 4 && i + k < len; k++)
			hash = (hash ^ ((w >> (8 * k)) & 0xff)) * 0x100000001b3ULL;
	}
	printf("rom: %lu bytes, fnv1a64 0x%016lx\n", len, hash);
	/* Writes to a ROM change nothing. */
	mmio_write32(addr, 0);
	check(mmio_read16(addr) == 0xaa55, "a write to the ROM changes nothing");
	pci_cfg_write(d, PCI_ROM_ADDRESS, 4, addr);
	check(mmio_read16(addr) != 0xaa55, "disabled again, it stops decoding (reads 0x%04x)",
	      mmio_read16(addr));
}
