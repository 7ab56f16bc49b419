// SPDX-License-Identifier: GPL-2.0
#include "pci_config.h"

#include <string.h>

bool pci_config__access_ok(unsigned off, unsigned len)
{
	return (len == 1 || len == 2 || len == 4) && (off & (len - 1)) == 0 &&
	       off < PCI_CFG_SPACE_SIZE && off + len <= PCI_CFG_SPACE_SIZE;
}

static uint32_t cfg_get(const uint8_t *a, unsigned off, unsigned len)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < len; i++)
		v |= (uint32_t)a[off + i] << (8 * i);
	return v;
}

static void cfg_put(uint8_t *a, unsigned off, unsigned len, uint32_t v)
{
	for (unsigned i = 0; i < len; i++)
		a[off + i] = v >> (8 * i);
}

uint32_t pci_config__read(const struct pci_config *c, unsigned off, unsigned len)
{
	if (!pci_config__access_ok(off, len))
		return 0xffffffffu >> (32 - 8 * (len > 4 || len == 0 ? 4 : len));
	return cfg_get(c->val, off, len);
}

/* One byte of a guest write: writable bits take b, W1C bits clear where b is 1. */
static void cfg_write_byte(struct pci_config *c, unsigned off, uint8_t b)
{
	uint8_t wm = c->wmask[off], w1c = c->w1cmask[off];
	uint8_t cur = c->val[off];

	cur = (cur & ~wm) | (b & wm);
	cur &= ~(b & w1c);
	c->val[off] = cur;
}

void pci_config__write(struct pci_config *c, unsigned off, unsigned len, uint32_t val)
{
	if (!pci_config__access_ok(off, len))
		return;
	for (unsigned i = 0; i < len; i++)
		cfg_write_byte(c, off + i, val >> (8 * i));
}

void pci_config__write_bytes(struct pci_config *c, unsigned reg, unsigned len, uint32_t val,
			     uint32_t bytes)
{
	if (!pci_config__access_ok(reg, len))
		return;
	for (unsigned i = 0; i < len; i++)
		if ((bytes >> (8 * i)) & 0xff)
			cfg_write_byte(c, reg + i, val >> (8 * i));
}

void pci_config__set(struct pci_config *c, unsigned off, unsigned len, uint32_t val)
{
	if (pci_config__access_ok(off, len))
		cfg_put(c->val, off, len, val);
}

void pci_config__set_wmask(struct pci_config *c, unsigned off, unsigned len, uint32_t mask)
{
	if (pci_config__access_ok(off, len))
		cfg_put(c->wmask, off, len, mask);
}

void pci_config__set_w1cmask(struct pci_config *c, unsigned off, unsigned len, uint32_t mask)
{
	if (pci_config__access_ok(off, len))
		cfg_put(c->w1cmask, off, len, mask);
}

void pci_config__init_header(struct pci_config *c, uint16_t vendor, uint16_t device,
			     uint32_t class_code, uint8_t revision, uint8_t pin)
{
	memset(c, 0, sizeof(*c));
	pci_config__set(c, PCI_VENDOR_ID, 2, vendor);
	pci_config__set(c, PCI_DEVICE_ID, 2, device);
	pci_config__set(c, PCI_REVISION_ID, 1, revision);
	pci_config__set(c, PCI_CLASS_PROG, 1, class_code & 0xff);
	pci_config__set(c, PCI_CLASS_DEVICE, 2, class_code >> 8);
	pci_config__set_wmask(c, PCI_COMMAND, 2,
			      PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
			      PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
	pci_config__set_w1cmask(c, PCI_STATUS, 2, PCI_STATUS_W1C);
	pci_config__set_wmask(c, PCI_INTERRUPT_LINE, 1, 0xff);
	pci_config__set(c, PCI_INTERRUPT_PIN, 1, pin);
	c->next_cap = PCI_STD_HEADER_SIZEOF;
}

uint8_t pci_config__add_cap(struct pci_config *c, uint8_t id, uint8_t size)
{
	unsigned off = c->next_cap;

	size = (size + 3) & ~3;
	if (off < PCI_STD_HEADER_SIZEOF || off + size > PCI_CFG_SPACE_SIZE)
		return 0;
	c->val[off] = id;
	c->val[off + 1] = 0;
	if (c->last_cap)
		c->val[c->last_cap + 1] = off;
	else
		c->val[PCI_CAPABILITY_LIST] = off;
	c->val[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	c->last_cap = off;
	c->next_cap = off + size;
	return off;
}

uint32_t pci_config__overlay(unsigned off, unsigned len, uint32_t access_val,
			     unsigned reg, unsigned reg_len, uint32_t reg_val)
{
	for (unsigned i = 0; i < len; i++) {
		unsigned byte = off + i;

		if (byte < reg || byte >= reg + reg_len)
			continue;
		access_val &= ~(0xffu << (8 * i));
		access_val |= ((reg_val >> (8 * (byte - reg))) & 0xff) << (8 * i);
	}
	return access_val;
}
