// SPDX-License-Identifier: GPL-2.0
/* PCI devices: header setup, BAR declaration and BAR decoding. */
#include "pci.h"
#include "guest_mem.h"
#include "layout.h"
#include "log.h"

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
	dev->stats.host_irq = -1;
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

	if (idx >= PCI_STD_NUM_BARS || (kind == PCI_BAR_MMIO64 && idx + 1 >= PCI_STD_NUM_BARS) ||
	    !is_pow2(size) || dev->bars[idx].kind != PCI_BAR_UNUSED)
		return -EINVAL;
	if (kind == PCI_BAR_IO) {
		if (size < 4 || size > 256)
			return -EINVAL;
		flags = PCI_BASE_ADDRESS_SPACE_IO;
		pci_config__set_wmask(&dev->cfg, reg, 4, ~(uint32_t)(size - 1) & 0xfffffffc);
	} else {
		if (size < 4096)
			size = 4096;
		if (kind == PCI_BAR_MMIO32 && size > (1ULL << 31))
			return -EINVAL;
		flags = (kind == PCI_BAR_MMIO64 ? PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) |
			(prefetchable ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
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

int pci_device__add_rom(struct pci_device *dev, uint64_t size, bus_access_fn access,
			void *opaque)
{
	if (!is_pow2(size) || size < 2048 || size > (1ULL << 31) ||
	    dev->bars[PCI_ROM_BAR].kind != PCI_BAR_UNUSED)
		return -EINVAL;
	if (size < 4096)
		size = 4096; /* as for BARs: never share a page */
	pci_config__set_wmask(&dev->cfg, PCI_ROM_ADDRESS, 4,
			      (~(uint32_t)(size - 1) & PCI_ROM_ADDRESS_MASK) | PCI_ROM_ADDRESS_ENABLE);
	pci_config__set(&dev->cfg, PCI_ROM_ADDRESS, 4, 0);
	dev->bars[PCI_ROM_BAR] = (struct pci_bar){
		.kind = PCI_BAR_MMIO32, .size = size, .access = access, .opaque = opaque,
	};
	return 0;
}

uint64_t pci_device__bar_addr(const struct pci_device *dev, unsigned idx)
{
	unsigned reg = PCI_BASE_ADDRESS_0 + 4 * idx;
	uint64_t lo;

	if (idx == PCI_ROM_BAR)
		return pci_config__read(&dev->cfg, PCI_ROM_ADDRESS, 4) & PCI_ROM_ADDRESS_MASK;
	lo = pci_config__read(&dev->cfg, reg, 4);

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

int pci_device__set_reg_handler(struct pci_device *dev, unsigned reg, unsigned len,
				const struct pci_reg_handler *h)
{
	unsigned idx;

	if (!pci_config__access_ok(reg, len))
		return -EINVAL;
	idx = dev->reg_index[reg];
	if (idx && (dev->regs[idx - 1].reg != reg || dev->regs[idx - 1].len != len))
		return -EINVAL;
	for (unsigned i = reg; i < reg + len && !idx; i++)
		if (dev->reg_index[i])
			return -EINVAL;
	if (!idx) {
		for (idx = 1; idx <= PCI_REG_HANDLERS_MAX && dev->regs[idx - 1].len; idx++)
			;
		if (idx > PCI_REG_HANDLERS_MAX)
			return -ENOSPC;
	}
	dev->regs[idx - 1].reg = reg;
	dev->regs[idx - 1].len = len;
	dev->regs[idx - 1].h = *h;
	for (unsigned i = reg; i < reg + len; i++)
		dev->reg_index[i] = idx;
	return 0;
}

const struct pci_reg_handler *pci_device__reg_handler(const struct pci_device *dev, unsigned reg)
{
	unsigned idx = reg < PCI_CFG_SPACE_SIZE ? dev->reg_index[reg] : 0;

	return idx && dev->regs[idx - 1].reg == reg ? &dev->regs[idx - 1].h : NULL;
}

/* The handler owning byte off for reads (or writes), or NULL. */
static const struct pci_reg_handler *pci_byte_handler(const struct pci_device *dev,
						      unsigned off, bool is_write, unsigned *reg,
						      unsigned *reg_len)
{
	unsigned idx = dev->reg_index[off];
	const struct pci_reg_handler *h;

	if (!idx)
		return NULL;
	h = &dev->regs[idx - 1].h;
	if (!(is_write ? (void *)h->write : (void *)h->read))
		return NULL;
	*reg = dev->regs[idx - 1].reg;
	*reg_len = dev->regs[idx - 1].len;
	return h;
}

/* The default path for bytes no handler claims: the device's ops or the model. */
static uint32_t pci_default_read(struct pci_device *dev, unsigned off, unsigned len)
{
	uint32_t val = 0;

	if (!pci_config__access_ok(off, len)) {
		/* A 3-byte remainder (a 1-byte handler inside a dword): byte by byte. */
		for (unsigned i = 0; i < len; i++)
			val |= pci_default_read(dev, off + i, 1) << (8 * i);
		return val;
	}
	if (dev->ops && dev->ops->cfg_read)
		return dev->ops->cfg_read(dev, off, len);
	return pci_config__read(&dev->cfg, off, len);
}

static void pci_default_write(struct pci_device *dev, unsigned off, unsigned len, uint32_t val)
{
	if (!pci_config__access_ok(off, len)) {
		for (unsigned i = 0; i < len; i++)
			pci_default_write(dev, off + i, 1, (val >> (8 * i)) & 0xff);
		return;
	}
	if (dev->ops && dev->ops->cfg_write)
		dev->ops->cfg_write(dev, off, len, val);
	else
		pci_config__write(&dev->cfg, off, len, val);
}

uint32_t pci_device__cfg_read(struct pci_device *dev, unsigned off, unsigned len)
{
	uint32_t val = 0;
	unsigned i = 0, reg, reg_len;

	while (i < len) {
		const struct pci_reg_handler *h = pci_byte_handler(dev, off + i, false, &reg, &reg_len);
		unsigned j = i;

		if (h) {
			uint32_t rv = h->read(dev, reg);

			for (; j < len && off + j < reg + reg_len; j++)
				val |= ((rv >> (8 * (off + j - reg))) & 0xff) << (8 * j);
		} else {
			while (j < len && !pci_byte_handler(dev, off + j, false, &reg, &reg_len))
				j++;
			val |= pci_default_read(dev, off + i, j - i) << (8 * i);
		}
		i = j;
	}
	return val;
}

void pci_device__cfg_write(struct pci_device *dev, unsigned off, unsigned len, uint32_t val)
{
	unsigned i = 0, reg, reg_len;

	while (i < len) {
		const struct pci_reg_handler *h = pci_byte_handler(dev, off + i, true, &reg, &reg_len);
		unsigned j = i;

		if (h) {
			uint32_t rv = 0, bytes = 0;

			for (; j < len && off + j < reg + reg_len; j++) {
				unsigned shift = 8 * (off + j - reg);

				rv |= ((val >> (8 * j)) & 0xff) << shift;
				bytes |= 0xffu << shift;
			}
			h->write(dev, reg, rv, bytes);
		} else {
			while (j < len && !pci_byte_handler(dev, off + j, true, &reg, &reg_len))
				j++;
			pci_default_write(dev, off + i, j - i,
					  (uint32_t)((uint64_t)val >> (8 * i)) &
						  (uint32_t)(0xffffffffull >> (32 - 8 * (j - i))));
		}
		i = j;
	}
}
