// SPDX-License-Identifier: GPL-2.0
/* PCI devices: header setup, BAR declaration and BAR decoding. */
#include "pci.h"
#include "../vmm/guest_mem.h"
#include "../vmm/layout.h"
#include "../vmm/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void pci_device__init(struct pci_device *dev, const struct pci_device_ops *ops,
		      uint16_t vendor, uint16_t device, uint32_t class_code,
		      uint8_t revision, uint8_t pin)
{
	memset(dev, 0, sizeof(*dev));
	dev->ops = ops;
	dev->pin = pin;
	dev->vendor_id = vendor;
	dev->device_id = device;
	pci_config__init_header(&dev->cfg, vendor, device, class_code, revision, pin);
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int pci_device__add_bar(struct pci_device *dev, unsigned idx, enum pci_bar_kind kind,
			uint64_t size, bool prefetchable, bus_access_fn access,
			void *opaque)
{
	unsigned reg = PCI_BASE_ADDRESS_0 + 4 * idx;
	uint32_t flags;

	if (idx >= PCI_BAR_COUNT || (kind == PCI_BAR_MMIO64 && idx + 1 >= PCI_BAR_COUNT) ||
	    !is_pow2(size) || dev->bars[idx].kind != PCI_BAR_UNUSED)
		return -EINVAL;
	if (kind == PCI_BAR_IO) {
		if (size < 4 || size > 256)
			return -EINVAL;
		flags = PCI_BAR_SPACE_IO;
		pci_config__set_wmask(&dev->cfg, reg, 4, ~(uint32_t)(size - 1) & 0xfffffffc);
	} else {
		if (size < 4096)
			size = 4096;
		if (kind == PCI_BAR_MMIO32 && size > (1ULL << 31))
			return -EINVAL;
		flags = (kind == PCI_BAR_MMIO64 ? PCI_BAR_MEM_TYPE_64 : 0) |
			(prefetchable ? PCI_BAR_MEM_PREFETCH : 0);
		pci_config__set_wmask(&dev->cfg, reg, 4, ~(uint32_t)(size - 1) & 0xfffffff0);
		if (kind == PCI_BAR_MMIO64)
			pci_config__set_wmask(&dev->cfg, reg + 4, 4,
					      (uint32_t)(~(size - 1) >> 32));
	}
	pci_config__set(&dev->cfg, reg, 4, flags);
	dev->bars[idx] = (struct pci_bar){
		.kind = kind, .size = size, .prefetchable = prefetchable,
		.access = access, .opaque = opaque,
	};
	return 0;
}

uint64_t pci_device__bar_addr(const struct pci_device *dev, unsigned idx)
{
	unsigned reg = PCI_BASE_ADDRESS_0 + 4 * idx;
	uint64_t lo = pci_config__read(&dev->cfg, reg, 4);

	switch (dev->bars[idx].kind) {
	case PCI_BAR_IO:
		return lo & ~0x3ULL;
	case PCI_BAR_MMIO32:
		return lo & ~0xfULL;
	case PCI_BAR_MMIO64:
		return (lo & ~0xfULL) |
		       (uint64_t)pci_config__read(&dev->cfg, reg + 4, 4) << 32;
	default:
		return 0;
	}
}
