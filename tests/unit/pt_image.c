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
