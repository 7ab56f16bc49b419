/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A passed-through device for the unit tests: its config space is the
 * array image, and every write through the backend is counted and logged
 * (calls, in order) so a test can say exactly what the device saw.
 */
#ifndef PCIVMM_TEST_PT_IMAGE_H
#define PCIVMM_TEST_PT_IMAGE_H

#include "../../devices/passthrough/pt.h"

extern uint8_t image[PCI_CFG_SPACE_EXP_SIZE]; /* the "device": a PCIe function's 4 KiB */
extern unsigned dev_writes;

/* One entry per backend call that changes something: a config write or a mask. */
struct call {
	char what;   /* 'w' config write, 'm' set_intx_mask */
	unsigned off, len;
	uint32_t val;
};
#define MAX_CALLS 16
extern struct call calls[MAX_CALLS];
extern unsigned nr_calls;

/* pt_backend_ops.cfg_read / cfg_write on image. */
int image_read(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val);
int image_write(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val);

/* The guest's config accesses to pt, as the PCI host bridge makes them. */
static inline uint32_t rd(struct pt_dev *pt, unsigned off, unsigned len)
{
	return pci_device__cfg_read(&pt->pci, off, len);
}

static inline void wr(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val)
{
	pci_device__cfg_write(&pt->pci, off, len, val);
}

#endif
