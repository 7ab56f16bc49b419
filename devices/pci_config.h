/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 256-byte configuration space with per-bit write semantics: each bit is
 * read-only, read/write (wmask) or write-one-to-clear (w1cmask). Everything
 * the guest may change is described by the masks, so writes never need
 * per-register code unless a device must react to them.
 */
#ifndef PCIVMM_PCI_CONFIG_H
#define PCIVMM_PCI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "pci_regs.h"

struct pci_config {
	uint8_t val[PCI_CFG_SPACE_SIZE];
	uint8_t wmask[PCI_CFG_SPACE_SIZE];
	uint8_t w1cmask[PCI_CFG_SPACE_SIZE];
	uint8_t next_cap; /* where the next capability goes */
	uint8_t last_cap; /* its predecessor in the list, 0 if none */
};

/* True for a naturally aligned 1-, 2- or 4-byte access inside the space. */
bool pci_config__access_ok(unsigned off, unsigned len);

uint32_t pci_config__read(const struct pci_config *c, unsigned off, unsigned len);
/* A guest write: applies wmask and w1cmask bit by bit. */
void pci_config__write(struct pci_config *c, unsigned off, unsigned len, uint32_t val);

/*
 * The same for a register handler's write (struct pci_reg_handler): only the
 * bytes of [reg, reg+len) marked in bytes (0xff per byte) are written.
 */
void pci_config__write_bytes(struct pci_config *c, unsigned reg, unsigned len, uint32_t val,
			     uint32_t bytes);

/* Device-side setters: change the value, leave the masks alone. */
void pci_config__set(struct pci_config *c, unsigned off, unsigned len, uint32_t val);
void pci_config__set_wmask(struct pci_config *c, unsigned off, unsigned len, uint32_t mask);
void pci_config__set_w1cmask(struct pci_config *c, unsigned off, unsigned len, uint32_t mask);

/*
 * A fresh type-0 header: IDs and class read-only; COMMAND's IO, MEMORY,
 * MASTER, SERR and INTX_DISABLE writable; STATUS error bits W1C;
 * interrupt line writable; pin as given (0 = none).
 */
void pci_config__init_header(struct pci_config *c, uint16_t vendor, uint16_t device,
			     uint32_t class_code, uint8_t revision, uint8_t pin);

/*
 * Appends a capability of size bytes (dword aligned) with this ID to the
 * list and sets STATUS.CAP_LIST. Returns its offset, or 0 if space ran out.
 */
uint8_t pci_config__add_cap(struct pci_config *c, uint8_t id, uint8_t size);

/*
 * Overlays register [reg, reg+reg_len) holding reg_val onto the value of an
 * access [off, off+len) that may cover it partly or wholly.
 */
uint32_t pci_config__overlay(unsigned off, unsigned len, uint32_t access_val,
			     unsigned reg, unsigned reg_len, uint32_t reg_val);

#endif
