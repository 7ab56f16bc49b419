/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A passed-through device for the unit tests: its config space is the
 * array image, and every write through the backend is counted and logged
 * (calls, in order) so a test can say exactly what the device saw.
 */
#ifndef PCIVMM_TEST_PT_IMAGE_H
#define PCIVMM_TEST_PT_IMAGE_H

#include "pt.h"

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

/*
 * The MSI/MSI-X side of a backend that records its calls (pt_backend_ops
 * msi_enable / msi_disable); enable returns fake_msi.result. Reset with
 * fake_msi = (struct fake_msi){ 0 }.
 */
#define FAKE_MSI_MAX_EFDS 8
struct fake_msi {
	unsigned enables, disables, restores;
	enum pt_msi_kind kind; /* of the last call */
	unsigned nr;           /* vectors the last enable asked for */
	int efds[FAKE_MSI_MAX_EFDS];
	int result;
};
extern struct fake_msi fake_msi;
int fake_msi_enable(struct pt_dev *pt, enum pt_msi_kind kind, unsigned nr, const int *efds);
void fake_msi_disable(struct pt_dev *pt, enum pt_msi_kind kind, bool restore_intx);

/* The guest's config accesses to pt, as the PCI host bridge makes them. */
static inline uint32_t rd(struct pt_dev *pt, unsigned off, unsigned len)
{
	return pci_device__cfg_read(&pt->pci, off, len);
}

static inline void wr(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val)
{
	pci_device__cfg_write(&pt->pci, off, len, val);
}

/* The guest making the same config write each time (log_capture__rate_limited's step). */
struct wr_repeat {
	struct pt_dev *pt;
	unsigned off, len;
	uint32_t val;
};
void wr_repeat(void *ctx, unsigned i);

#endif
