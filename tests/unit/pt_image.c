// SPDX-License-Identifier: GPL-2.0
#include "pt_image.h"

#include <errno.h>
#include <string.h>

uint8_t image[PCI_CFG_SPACE_EXP_SIZE];
unsigned dev_writes;
struct call calls[MAX_CALLS];
unsigned nr_calls;

int image_read(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val)
{
	(void)pt;
	*val = 0;
	if (off + len > sizeof(image))
		return -EIO;
	memcpy(val, image + off, len);
	return 0;
}

int image_write(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val)
{
	(void)pt;
	if (off + len > sizeof(image))
		return -EIO;
	memcpy(image + off, &val, len);
	dev_writes++;
	if (nr_calls < MAX_CALLS)
		calls[nr_calls++] = (struct call){ 'w', off, len, val };
	return 0;
}

struct fake_msi fake_msi;

int fake_msi_enable(struct pt_dev *pt, enum pt_msi_kind kind, unsigned nr, const int *efds)
{
	(void)pt;
	fake_msi.enables++;
	fake_msi.kind = kind;
	fake_msi.nr = nr;
	for (unsigned i = 0; i < nr && i < FAKE_MSI_MAX_EFDS; i++)
		fake_msi.efds[i] = efds[i];
	return fake_msi.result;
}

void fake_msi_disable(struct pt_dev *pt, enum pt_msi_kind kind, bool restore_intx)
{
	(void)pt;
	fake_msi.disables++;
	fake_msi.kind = kind;
	fake_msi.restores += restore_intx;
}

void wr_repeat(void *ctx, unsigned i)
{
	struct wr_repeat *w = ctx;

	(void)i;
	wr(w->pt, w->off, w->len, w->val);
}
