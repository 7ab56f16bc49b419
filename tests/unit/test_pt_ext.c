// SPDX-License-Identifier: GPL-2.0
/*
 * A passed PCIe function's extended config space (pt_ext_config.c) against
 * a 4 KiB device image: capabilities about the function itself are linked
 * and read live, the others unlinked and read as 0 (a hidden first one
 * leaves a null header at 0x100), a looping chain ends where it repeats,
 * a conventional function has no extended space.
 */
#include "unit.h"
#include "pt_image.h"

#include <string.h>

static const struct pt_backend_ops ext_ops = {
	.name = "ext-image", .cfg_read = image_read, .cfg_write = image_write,
};

static void put_hdr(unsigned off, uint16_t id, unsigned next)
{
	uint32_t h = id | 1u << 16 | (uint32_t)next << 20;

	memcpy(image + off, &h, 4);
}

static void make_device(struct pt_dev *pt)
{
	memset(pt, 0, sizeof(*pt));
	image[0] = 0x86, image[1] = 0x80, image[2] = 0xd3, image[3] = 0x10;
	pt->backend = &ext_ops;
	pt_config__setup(pt, image);
}

static uint32_t ext(struct pt_dev *pt, unsigned off, unsigned len)
{
	return pt_ext_config__read(&pt->pci, off, len);
}

TEST(function_capabilities_are_linked_and_fabric_ones_hidden)
{
	struct pt_dev pt;

	memset(image, 0, sizeof(image));
	put_hdr(0x100, PCI_EXT_CAP_ID_SRIOV, 0x148);
	image[0x104] = 0x5a;
	put_hdr(0x148, PCI_EXT_CAP_ID_ERR, 0x190);
	image[0x14c] = 0x11; /* AER uncorrectable status */
	put_hdr(0x190, PCI_EXT_CAP_ID_ATS, 0x1a0);
	image[0x194] = 0x77;
	put_hdr(0x1a0, PCI_EXT_CAP_ID_DSN, 0);
	image[0x1a4] = 0x42;
	make_device(&pt);
	EXPECT(pt.ext.present);
	EXPECT_EQ(pt.ext.hidden, 2);
	EXPECT_EQ(ext(&pt, 0x100, 4), 0x148u << 20); /* null capability -> AER */
	EXPECT_EQ(ext(&pt, 0x104, 1), 0);              /* SR-IOV's body: hidden */
	EXPECT_EQ(ext(&pt, 0x148, 4), PCI_EXT_CAP_ID_ERR | 1u << 16 | 0x1a0u << 20);
	EXPECT_EQ(ext(&pt, 0x14c, 1), 0x11);
	image[0x14c] = 0x13; /* live */
	EXPECT_EQ(ext(&pt, 0x14c, 1), 0x13);
	EXPECT_EQ(ext(&pt, 0x194, 1), 0);  /* ATS: hidden */
	EXPECT_EQ(ext(&pt, 0x1a0, 2), PCI_EXT_CAP_ID_DSN);
	EXPECT_EQ(ext(&pt, 0x1a2, 2), 1); /* version 1, no next */
	EXPECT_EQ(ext(&pt, 0x1a4, 1), 0x42);
	EXPECT_EQ(ext(&pt, 0xffc, 4), 0);
}

/* A device whose chain is id0 at 0x100 -> id1 at 0x140 -> next1. */
static void two_caps(struct pt_dev *pt, uint16_t id0, uint16_t id1, unsigned next1)
{
	memset(image, 0, sizeof(image));
	put_hdr(0x100, id0, 0x140);
	put_hdr(0x140, id1, next1);
	image[0x144] = 0x99;
	make_device(pt);
}

TEST(a_visible_first_capability_keeps_its_place)
{
	struct pt_dev pt;

	two_caps(&pt, PCI_EXT_CAP_ID_ERR, PCI_EXT_CAP_ID_L1SS, 0);
	EXPECT_EQ(ext(&pt, 0x100, 4), PCI_EXT_CAP_ID_ERR | 1u << 16); /* now the last */
	EXPECT_EQ(ext(&pt, 0x144, 1), 0);
}

TEST(a_looping_chain_ends_where_it_repeats)
{
	struct pt_dev pt;

	two_caps(&pt, PCI_EXT_CAP_ID_ERR, PCI_EXT_CAP_ID_DSN, 0x100);
	EXPECT(pt.ext.present);
	EXPECT_EQ(ext(&pt, 0x100, 4), PCI_EXT_CAP_ID_ERR | 1u << 16 | 0x140u << 20);
	EXPECT_EQ(ext(&pt, 0x140, 4), PCI_EXT_CAP_ID_DSN | 1u << 16); /* the loop is cut */
}

TEST(a_conventional_function_has_no_extended_space)
{
	struct pt_dev pt;

	memset(image, 0, sizeof(image));
	make_device(&pt);
	EXPECT(!pt.ext.present);
	EXPECT_EQ(ext(&pt, 0x100, 4), 0);
	memset(image + 0x100, 0xff, 4); /* all ones: none either */
	make_device(&pt);
	EXPECT(!pt.ext.present);
}
