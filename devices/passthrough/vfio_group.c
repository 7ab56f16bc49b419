// SPDX-License-Identifier: GPL-2.0
/*
 * A VFIO device through the container/group API (Documentation/driver-api/
 * vfio.rst, "VFIO Usage Example"): one type-1 IOMMU container per VM, with
 * guest RAM mapped into it once (vfio_dma.c); each device's IOMMU group
 * attached to it (the group must be viable: every member on vfio-pci or on
 * no driver); the device file from VFIO_GROUP_GET_DEVICE_FD.
 */
#include "vfio_open.h"
#include "vfio_dma.h"
#include "host_dev.h"
#include "passthrough_types.h"
#include "pt.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/*
 * An IOMMU group is the unit VFIO isolates and hands out: its /dev/vfio/N
 * opens once (a second open is EBUSY), so the functions of one group
 * passed to one guest (a card's functions, devices behind a PCI bridge)
 * share the group's fd, counted.
 */
#define VFIO_MAX_GROUPS 16

struct vfio_group {
	int number, fd;
	unsigned users; /* 0: a free entry */
};

/* One container (one IOMMU domain, guest RAM mapped once) for every group. */
struct vfio_container {
	int fd;
	unsigned users;
	bool iommu_ready;
	struct vfio_dma dma; /* guest RAM, mapped in the background once iommu_ready */
	struct vfio_group groups[VFIO_MAX_GROUPS];
};

static int vfio_container_get(struct passthrough_ctx *ctx, struct pt_dev *pt)
{
	struct vfio_container *c = ctx->vfio;
	int ret;

	if (c) {
		c->users++;
		return 0;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (c->fd < 0) {
		ret = -errno;
		if (errno == ENOENT)
			pt_err(pt, "/dev/vfio/vfio is missing; modprobe vfio-pci");
		else
			pt_err(pt, "/dev/vfio/vfio: %s; run pcivmm as root or give it the device",
			       strerror(errno));
		free(c);
		return ret;
	}
	if (ioctl(c->fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(c->fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) <= 0) {
		pt_err(pt, "this kernel's VFIO has no type-1 IOMMU support");
		close(c->fd);
		free(c);
		return -ENOTSUP;
	}
	c->users = 1;
	ctx->vfio = c;
	return 0;
}

/* Opens, checks and attaches group number to the container; its fd, or -errno. */
static int vfio_group_attach(struct passthrough_ctx *ctx, struct pt_dev *pt, int group)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct vfio_container *c = ctx->vfio;
	char path[64], peers[512];
	int fd, ret;

	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		pt_err(pt, "%s: %s%s", path, strerror(errno),
		       errno == EBUSY ? "; another process (a VM?) holds the group" : "");
		return ret;
	}
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &st) < 0) {
		ret = -errno;
		pt_err(pt, "VFIO_GROUP_GET_STATUS on %s: %s", path, strerror(errno));
		goto err;
	}
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		host_dev__group_peers(pt->bdf, group, peers, sizeof(peers));
		pt_err(pt, "IOMMU group %d is not viable: bind every device in it to vfio-pci or unbind it: %s",
		       group, peers);
		ret = -EPERM;
		goto err;
	}
	if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &c->fd) < 0) {
		ret = -errno;
		pt_err(pt, "VFIO_GROUP_SET_CONTAINER: %s", strerror(errno));
		goto err;
	}
	if (c->iommu_ready)
		return fd;
	if (ioctl(c->fd, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU) < 0) {
		ret = -errno;
		if (errno == EPERM)
			pt_err(pt, "the IOMMU has no interrupt remapping, so VFIO refuses the group; enable it (intel_iommu=on with intremap, or QEMU -device intel-iommu,intremap=on)");
		else
			pt_err(pt, "VFIO_SET_IOMMU: %s", strerror(errno));
		goto err;
	}
	ret = vfio_dma__start(&c->dma, c->fd, ctx->vm, pt->bdf);
	if (ret)
		goto err;
	c->iommu_ready = true;
	return fd;
err:
	close(fd);
	return ret;
}

/* pt's group: the one another function of it already opened, else opened now. */
static struct vfio_group *vfio_group_get(struct passthrough_ctx *ctx, struct pt_dev *pt, int *err)
{
	struct vfio_container *c = ctx->vfio;
	int number = host_dev__iommu_group(pt->bdf), fd;
	struct vfio_group *free_entry = NULL;

	if (number < 0) {
		*err = -ENODEV;
		pt_err(pt, "no IOMMU group: the host has no IOMMU enabled; boot it with intel_iommu=on or amd_iommu=on");
		return NULL;
	}
	for (unsigned i = 0; i < VFIO_MAX_GROUPS; i++) {
		struct vfio_group *g = &c->groups[i];

		if (g->users && g->number == number) {
			g->users++;
			pr_debug("%s: shares IOMMU group %d with a device already passed", pt->bdf,
				 number);
			return g;
		}
		if (!g->users && !free_entry)
			free_entry = g;
	}
	if (!free_entry) {
		*err = -ENOSPC;
		pt_err(pt, "more than %d IOMMU groups in one VM", VFIO_MAX_GROUPS);
		return NULL;
	}
	fd = vfio_group_attach(ctx, pt, number);
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	*free_entry = (struct vfio_group){ .number = number, .fd = fd, .users = 1 };
	return free_entry;
}

static void vfio_group_put(struct vfio_group *g)
{
	if (g && !--g->users)
		close(g->fd); /* detaches it from the container */
}

/*
 * A device's group (NULL: none taken), then its use of the container. The
 * last device out stops the mapper first: the last group to leave the
 * container takes the IOMMU with it, and a piece mapped after that fails
 * with EINVAL.
 */
static void vfio_container_put(struct passthrough_ctx *ctx, struct vfio_group *g)
{
	struct vfio_container *c = ctx->vfio;
	int err;

	if (c && c->users == 1)
		vfio_dma__stop(&c->dma);
	vfio_group_put(g);
	if (!c || --c->users)
		return;
	/*
	 * The reaper still holds the devices open (reaper.h), so closing the
	 * container drops no mapping yet; their release would, after it has
	 * restored the device's config (INTx enabled). Unmapped here instead,
	 * while the device is still masked, so that release is quick.
	 */
	err = vfio_dma__unmap_all(c->fd);
	if (err)
		pr_debug("VFIO: unmapping all DMA: %s (the release does it)", strerror(-err));
	close(c->fd);
	pr_debug("VFIO: container closed, DMA mappings dropped");
	free(c);
	ctx->vfio = NULL;
}

static int vfio_group_open_device(struct passthrough_ctx *ctx, struct pt_dev *pt, void **handle,
				  int *dma_fd)
{
	struct vfio_group *g;
	int ret, fd;

	ret = vfio_container_get(ctx, pt);
	if (ret)
		return ret;
	g = vfio_group_get(ctx, pt, &ret);
	if (!g) {
		vfio_container_put(ctx, NULL);
		return ret;
	}
	fd = ioctl(g->fd, VFIO_GROUP_GET_DEVICE_FD, pt->bdf);
	if (fd < 0) {
		ret = -errno;
		pt_err(pt, "VFIO_GROUP_GET_DEVICE_FD: %s", strerror(errno));
		vfio_container_put(ctx, g);
		return ret;
	}
	*handle = g;
	*dma_fd = ctx->vfio->fd;
	return fd;
}

static int vfio_group_wait_dma(struct passthrough_ctx *ctx)
{
	return vfio_dma__wait(&ctx->vfio->dma);
}

static void vfio_group_release(struct passthrough_ctx *ctx, void *handle)
{
	vfio_container_put(ctx, handle);
}

const struct vfio_opener vfio_group_opener = {
	.open_device = vfio_group_open_device,
	.wait_dma = vfio_group_wait_dma,
	.release = vfio_group_release,
};
