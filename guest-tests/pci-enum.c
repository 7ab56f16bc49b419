// SPDX-License-Identifier: GPL-2.0
/*
 * pci-enum: the devices the FDT announces are exactly the devices on bus 0;
 * CF8/CFC and ECAM agree; INTx pins route to the swizzled GSI; BAR sizing
 * round-trips; capability lists are well formed; absent functions read as
 * all-ones.
 */
#include "guest.h"

const char test_name[] = "pci-enum";

#define PCI_CLASS_REVISION 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_CAP_MAX 48 /* (256 - 64) / 4: more means a loop */

static void check_ids(const struct pci_dev *d)
{
	uint32_t cf8 = pci_cf8_read(d->bus, d->dev, d->fn, 0, 4);

	check(cf8 == ((uint32_t)d->device << 16 | d->vendor),
	      "%02x:%02x.%x: CF8/CFC reads ID %08x, announced %04x:%04x", d->bus, d->dev, d->fn,
	      cf8, d->vendor, d->device);
	if (pci_ecam_base)
		check(pci_ecam_read(d->bus, d->dev, d->fn, 0, 4) == cf8 &&
		      pci_ecam_read(d->bus, d->dev, d->fn, PCI_CLASS_REVISION, 4) ==
		      pci_cf8_read(d->bus, d->dev, d->fn, PCI_CLASS_REVISION, 4),
		      "%02x:%02x.%x: ECAM and CF8/CFC agree", d->bus, d->dev, d->fn);
	check((pci_cfg_read(d, PCI_HEADER_TYPE, 1) & 0x7f) == 0,
	      "%02x:%02x.%x: type-0 header", d->bus, d->dev, d->fn);
}

static void check_intx(const struct pci_dev *d)
{
	unsigned pin = pci_cfg_read(d, PCI_INTERRUPT_PIN, 1);

	if (!pci_from_fdt())
		return;
	check(pin == d->pin, "%02x:%02x.%x: INTERRUPT_PIN %u matches the FDT (%u)",
	      d->bus, d->dev, d->fn, pin, d->pin);
	if (!pin)
		return;
	check(d->gsi == 16 + (d->dev + pin - 1) % 4,
	      "%02x:%02x.%x: INT%c routed to GSI %u = 16 + (slot + pin - 1) %% 4",
	      d->bus, d->dev, d->fn, 'A' + pin - 1, d->gsi);
	check(pci_cfg_read(d, PCI_INTERRUPT_LINE, 1) == d->gsi,
	      "%02x:%02x.%x: INTERRUPT_LINE holds the GSI", d->bus, d->dev, d->fn);
}

/* Sizes BAR i the way an OS does (decode off, write ones, read, restore). */
static unsigned check_bar(const struct pci_dev *d, unsigned i)
{
	unsigned reg = PCI_BASE_ADDRESS_0 + 4 * i;
	uint32_t orig = pci_cfg_read(d, reg, 4), mask, restored;
	uint16_t cmd = pci_cfg_read(d, PCI_COMMAND, 2);
	bool io = orig & 1, is64 = !io && (orig & 6) == 4;
	uint32_t orig_hi = is64 ? pci_cfg_read(d, reg + 4, 4) : 0, mask_hi = 0xffffffff;
	uint64_t size, full;

	pci_cfg_write(d, PCI_COMMAND, 2, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	pci_cfg_write(d, reg, 4, 0xffffffff);
	mask = pci_cfg_read(d, reg, 4);
	pci_cfg_write(d, reg, 4, orig);
	if (is64) {
		pci_cfg_write(d, reg + 4, 4, 0xffffffff);
		mask_hi = pci_cfg_read(d, reg + 4, 4);
		pci_cfg_write(d, reg + 4, 4, orig_hi);
	}
	restored = pci_cfg_read(d, reg, 4);
	pci_cfg_write(d, PCI_COMMAND, 2, cmd);

	if (mask == 0)
		return 1; /* unimplemented BAR */
	full = (uint64_t)mask_hi << 32 | (mask & (io ? ~3u : ~0xfu));
	if (!is64)
		full |= 0xffffffff00000000ULL;
	size = ~full + 1;
	check(size && !(size & (size - 1)) && (io ? size >= 4 : size >= 16),
	      "%02x:%02x.%x: BAR%u sizes to 0x%lx (%s%s)", d->bus, d->dev, d->fn, i, size,
	      io ? "I/O" : "memory", is64 ? ", 64-bit" : "");
	check((mask & (io ? 3u : 0xfu)) == (orig & (io ? 3u : 0xfu)),
	      "%02x:%02x.%x: BAR%u type bits are read-only", d->bus, d->dev, d->fn, i);
	check(restored == orig && (!is64 || pci_cfg_read(d, reg + 4, 4) == orig_hi),
	      "%02x:%02x.%x: BAR%u restores to 0x%x after sizing", d->bus, d->dev, d->fn, i, orig);
	return is64 ? 2 : 1;
}

static void check_caps(const struct pci_dev *d)
{
	uint16_t status = pci_cfg_read(d, PCI_STATUS, 2);
	uint8_t seen[256] = { 0 };
	unsigned ptr, n = 0;
	bool ok = true;

	if (!(status & PCI_STATUS_CAP_LIST))
		return;
	for (ptr = pci_cfg_read(d, PCI_CAPABILITY_LIST, 1) & ~3u; ptr; ptr = pci_cfg_read(d, ptr + 1, 1) & ~3u) {
		if (ptr < 0x40 || ptr > 0xfc || seen[ptr] || ++n > PCI_CAP_MAX ||
		    pci_cfg_read(d, ptr, 1) == 0) {
			ok = false;
			break;
		}
		seen[ptr] = 1;
	}
	check(ok && n > 0, "%02x:%02x.%x: capability list is well formed (%u capabilities)",
	      d->bus, d->dev, d->fn, n);
}

void test_main(void)
{
	struct pci_dev devs[PCI_MAX_DEVS];
	int n = pci_discover(devs, PCI_MAX_DEVS);
	bool all_announced = true;

	check(n > 0, "%d PCI devices announced (%s)", n, pci_from_fdt() ? "FDT" : "bus scan");
	check((pci_cf8_read(0, 0, 0, PCI_CLASS_REVISION, 4) >> 16) == 0x0600,
	      "00:00.0 is a host bridge (class 0600)");
	for (int i = 0; i < n; i++) {
		check_ids(&devs[i]);
		check_intx(&devs[i]);
		for (unsigned bar = 0; bar < 6;)
			bar += check_bar(&devs[i], bar);
		check_caps(&devs[i]);
		if (devs[i].vendor == EDU_VENDOR && devs[i].device == EDU_DEVICE)
			check(mmio_read32(pci_bar_addr(&devs[i], 0)) == 0x010000ed,
			      "%02x:%02x.%x: BAR0 still decodes after sizing", devs[i].bus,
			      devs[i].dev, devs[i].fn);
	}

	for (unsigned dev = 1; dev < 32 && pci_from_fdt(); dev++) {
		bool present = (pci_cf8_read(0, dev, 0, 0, 4) & 0xffff) != 0xffff, listed = false;

		for (int i = 0; i < n; i++)
			listed |= devs[i].dev == dev;
		if (present != listed) {
			printf("00:%02x.0: %s\n", dev, present ? "present but not in the FDT" : "in the FDT but absent");
			all_announced = false;
		}
	}
	if (pci_from_fdt())
		check(all_announced, "the FDT announces exactly the devices present on bus 0");
	check(pci_cf8_read(0, 31, 7, 0, 4) == 0xffffffff &&
	      (!pci_ecam_base || pci_ecam_read(0, 31, 7, 0, 4) == 0xffffffff),
	      "an absent function reads as all-ones");
}
