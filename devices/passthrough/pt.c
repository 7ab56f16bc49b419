// SPDX-License-Identifier: GPL-2.0
/*
 * What every part of a passed-through function shares (pt.h): its config
 * space reached through its backend, with the one warning a device that
 * stops answering gets, and the moment the device becomes ours.
 */
#include "pt.h"
#include "log.h"
#include "reaper.h"

#include <errno.h>

void pt__acquired(struct pt_dev *pt, int file, int container)
{
	pt->acquired = true;
	reaper__own(pt->bdf, file, container);
}

static void pt_report_access_failure(struct pt_dev *pt, const char *what, unsigned off,
				     unsigned len)
{
	if (pt->access_failure_reported)
		return;
	pt->access_failure_reported = true;
	pr_warn("%s: config %s of %u byte(s) at 0x%x failed: the guest sees an unresponsive device (reads all ones, writes lost); further failures are not reported",
		pt->bdf, what, len, off);
}

int pt__cfg_read(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val)
{
	if (!pt->backend->cfg_read(pt, off, len, val))
		return 0;
	*val = len == 4 ? 0xffffffff : (1u << (8 * len)) - 1;
	pt_report_access_failure(pt, "read", off, len);
	return -EIO;
}

int pt__cfg_write(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val)
{
	if (!pt->backend->cfg_write(pt, off, len, val))
		return 0;
	pt_report_access_failure(pt, "write", off, len);
	return -EIO;
}
