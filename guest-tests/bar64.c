// SPDX-License-Identifier: GPL-2.0
/*
 * bar64: a device's 64-bit memory BAR (the first one found, e.g. QEMU's
 * ivshmem-plain memory BAR2) as firmware left it and as a driver uses it.
 * Under pcivmm it must sit above 4 GiB, naturally aligned, keep its
 * prefetchable bit, size correctly through both dwords, and be memory the
 * guest can use: patterns written at its start, middle and last word read
 * back (a RAM-backed BAR, ivshmem's, keeps them). Under QEMU, whose
 * firmware may place it below 4 GiB, only the placement check is skipped.
 */
#include "guest.h"

const char test_name[] = "bar64";

struct bar64 {
	struct pci_dev pci;
	unsigned idx;
	uint64_t addr, size;
	bool prefetch;
};

/* Size of BAR idx..idx+1 by the standard probe, decode off meanwhile. */
static uint64_t bar64_size(const struct pci_dev *d, unsigned idx)
{
	unsigned reg = PCI_BASE_ADDRESS_0 + 4 * idx;
	uint16_t cmd = pci_cfg_read(d, PCI_COMMAND, 2);
	uint32_t lo = pci_cfg_read(d, reg, 4), hi = pci_cfg_read(d, reg + 4, 4);
	uint64_t mask;

	pci_cfg_write(d, PCI_COMMAND, 2, cmd & ~PCI_COMMAND_MEMORY);
	pci_cfg_write(d, reg, 4, 0xffffffff);
	pci_cfg_write(d, reg + 4, 4, 0xffffffff);
	mask = (pci_cfg_read(d, reg, 4) & ~0xfULL) | (uint64_t)pci_cfg_read(d, reg + 4, 4) << 32;
	pci_cfg_write(d, reg, 4, lo);
	pci_cfg_write(d, reg + 4, 4, hi);
	pci_cfg_write(d, PCI_COMMAND, 2, cmd);
	return ~mask + 1;
}

static bool find_bar64(struct bar64 *b)
{
	struct pci_dev devs[PCI_MAX_DEVS];
	int n = pci_discover(devs, PCI_MAX_DEVS);

	for (int i = 0; i < n; i++) {
		for (unsigned idx = 0; idx + 1 < 6; idx++) {
			uint32_t lo = pci_cfg_read(&devs[i], PCI_BASE_ADDRESS_0 + 4 * idx, 4);

			if ((lo & 7) != PCI_BASE_ADDRESS_MEM_TYPE_64)
				continue;
			*b = (struct bar64){ .pci = devs[i], .idx = idx,
					     .addr = pci_bar_addr(&devs[i], idx),
					     .prefetch = lo & PCI_BASE_ADDRESS_MEM_PREFETCH };
			b->size = bar64_size(&devs[i], idx);
			return true;
		}
	}
	return false;
}

void test_main(void)
{
	static const uint64_t pattern = 0x5a17c0de0badf00dULL;
	uint64_t offs[3], ok = 0;
	struct bar64 b;
	bool found = find_bar64(&b);

	check(found, "a device with a 64-bit memory BAR is present");
	if (!found)
		return;
	printf("bar64: %02x:%02x.%x %04x:%04x: BAR%u is 64-bit%s, %lu MiB at 0x%lx\n", b.pci.bus,
	       b.pci.dev, b.pci.fn, b.pci.vendor, b.pci.device, b.idx,
	       b.prefetch ? ", prefetchable" : "", b.size >> 20, b.addr);
	check(b.size && !(b.size & (b.size - 1)) && !(b.addr & (b.size - 1)),
	      "its size is a power of two and it is naturally aligned");
	if (pci_from_fdt())
		check(b.addr >= 0x100000000ULL, "pcivmm placed it above 4 GiB (0x%lx)", b.addr);
	check(pci_bar_addr(&b.pci, b.idx) == b.addr, "sizing it restored its address");
	pci_cfg_write(&b.pci, PCI_COMMAND, 2,
		      pci_cfg_read(&b.pci, PCI_COMMAND, 2) | PCI_COMMAND_MEMORY);
	if (!map_identity_uc(b.addr, b.size)) {
		check(false, "the BAR can be mapped");
		return;
	}
	offs[0] = 0;
	offs[1] = b.size / 2;
	offs[2] = b.size - 8;
	for (unsigned i = 0; i < 3; i++)
		*(volatile uint64_t *)(uintptr_t)(b.addr + offs[i]) = pattern ^ offs[i];
	for (unsigned i = 0; i < 3; i++)
		ok += *(volatile uint64_t *)(uintptr_t)(b.addr + offs[i]) == (pattern ^ offs[i]);
	check(ok == 3, "words written at its start, middle and end read back (%lu of 3)", ok);
}
