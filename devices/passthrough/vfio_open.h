/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the VFIO backend (vfio.c) gets hold of a device and of the IOMMU
 * mapping of guest RAM for its DMA, private to devices/passthrough/. What
 * vfio.c does with the device afterwards (config space, regions, BARs,
 * VFIO_DEVICE_SET_IRQS for INTx, MSI and MSI-X, reset) goes through the
 * device file alone and is the same whichever way it was opened.
 *
 * Linux has two ways: the container/group API (vfio_group.c), and the
 * device's own character device /dev/vfio/devices/vfioN bound to an
 * iommufd, with guest RAM mapped through IOMMU_IOAS_MAP. Debian's kernels,
 * 6.1 and bookworm-backports' 6.12 alike, are built without iommufd
 * (CONFIG_IOMMUFD unset, CONFIG_VFIO_CONTAINER=y), so only the first is
 * built; a second would be another struct vfio_opener.
 */
#ifndef PCIVMM_VFIO_OPEN_H
#define PCIVMM_VFIO_OPEN_H

struct passthrough_ctx;
struct pt_dev;

struct vfio_opener {
	/*
	 * pt->bdf's VFIO device file, with guest RAM being mapped for its DMA
	 * in the background (vfio_dma.h); *handle for release, *dma_fd the
	 * file that holds the DMA mappings (for the reaper, reaper.h). Or
	 * -errno with one line printed naming the device and the fix, and
	 * nothing left taken.
	 */
	int (*open_device)(struct passthrough_ctx *ctx, struct pt_dev *pt, void **handle,
			   int *dma_fd);
	/*
	 * Blocks until guest RAM is mapped for the devices' DMA: 0 or -errno
	 * (-ECANCELED once the VM is exiting: vfio_dma__wait).
	 */
	int (*wait_dma)(struct passthrough_ctx *ctx);
	/* After the device file is closed: gives back what open_device took. */
	void (*release)(struct passthrough_ctx *ctx, void *handle);
};

/* The container/group API (Documentation/driver-api/vfio.rst). */
extern const struct vfio_opener vfio_group_opener;

#endif
