// SPDX-License-Identifier: GPL-2.0
/*
 * Passthrough config virtualization against a device image in memory (the
 * nested suite runs the same code on real VFIO devices): who answers each
 * byte, the re-linked capability list, live STATUS, mirrored COMMAND, and
 * the two injectable faults.
 */
#include "unit.h"
#include "../../devices/passthrough/pt.h"

#include <string.h>

static uint8_t image[PCI_CFG_SIZE]; /* the "device" */
static unsigned dev_writes;

static int image_read(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val)
{
	(void)pt;
	*val = 0;
	memcpy(val, image + off, len);
	return 0;
}

static int image_write(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val)
{
	(void)pt;
	memcpy(image + off, &val, len);
	dev_writes++;
	return 0;
}

static const struct pt_backend_ops image_ops = {
	.name = "image", .cfg_read = image_read, .cfg_write = image_write,
};

static void put16(unsigned off, uint16_t v) { memcpy(image + off, &v, 2); }
static void put32(unsigned off, uint32_t v) { memcpy(image + off, &v, 4); }

/* An edu-like device: PM at 0x40 -> MSI (64-bit) at 0x50 -> vendor cap at 0x68. */
static void make_device(struct pt_dev *pt, bool only_msi)
{
	memset(image, 0, sizeof(image));
	memset(pt, 0, sizeof(*pt));
	dev_writes = 0;
	put32(0x00, 0x11e81234);
	put16(PCI_STATUS, PCI_STATUS_CAP_LIST);
	put32(0x08, 0x00ff0010);
	put32(0x10, 0xfe000000);
	image[PCI_INTERRUPT_PIN] = 1;
	image[PCI_INTERRUPT_LINE] = 10;
	if (only_msi) {
		image[PCI_CAPABILITY_LIST] = 0x50;
		image[0x50] = PCI_CAP_ID_MSI;
		image[0x52] = PCI_MSI_FLAGS_64BIT;
	} else {
		image[PCI_CAPABILITY_LIST] = 0x40;
		image[0x40] = 0x01;
		image[0x41] = 0x50;
		image[0x50] = PCI_CAP_ID_MSI;
		image[0x51] = 0x68;
		image[0x52] = PCI_MSI_FLAGS_64BIT;
		image[0x54] = 0xaa; /* MSI address: must not leak */
		image[0x68] = PCI_CAP_ID_VNDR;
		image[0x6a] = 8;
	}
	pt->backend = &image_ops;
	pt_config__setup(pt, image);
	pci_device__add_bar(&pt->pci, 0, PCI_BAR_MMIO32, 1 << 20, false, NULL, NULL);
}

static uint32_t rd(struct pt_dev *pt, unsigned off, unsigned len)
{
	return pt_config__read(&pt->pci, off, len);
}

TEST(ids_and_class_come_from_the_device_and_ignore_writes)
{
	struct pt_dev pt;

	make_device(&pt, false);
	EXPECT_EQ(rd(&pt, 0, 4), 0x11e81234);
	EXPECT_EQ(rd(&pt, 0x08, 4), 0x00ff0010);
	pt_config__write(&pt.pci, 0, 4, 0);
	EXPECT_EQ(rd(&pt, 0, 4), 0x11e81234);
}

TEST(msi_is_unlinked_from_the_capability_list_and_reads_zero)
{
	struct pt_dev pt;

	make_device(&pt, false);
	EXPECT_EQ(rd(&pt, PCI_CAPABILITY_LIST, 1), 0x40);
	EXPECT_EQ(rd(&pt, 0x40, 2), 0x6801); /* PM now points past MSI */
	EXPECT_EQ(rd(&pt, 0x68, 2), 0x0009);
	EXPECT_EQ(rd(&pt, 0x50, 4), 0);
	EXPECT_EQ(rd(&pt, 0x54, 4), 0);
	pt_config__write(&pt.pci, 0x52, 2, 1); /* MSI enable: dropped */
	EXPECT_EQ(image[0x52], PCI_MSI_FLAGS_64BIT);
	EXPECT_EQ(pt.hidden_caps, 1);
	EXPECT(rd(&pt, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
}

TEST(an_empty_capability_list_clears_status_cap_list)
{
	struct pt_dev pt;

	make_device(&pt, true);
	EXPECT_EQ(rd(&pt, PCI_CAPABILITY_LIST, 1), 0);
	EXPECT(!(rd(&pt, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST));
	EXPECT(!(rd(&pt, PCI_COMMAND, 4) & (PCI_STATUS_CAP_LIST << 16)));
}

TEST(status_interrupt_is_read_live_from_the_device)
{
	struct pt_dev pt;

	make_device(&pt, false);
	EXPECT(!(rd(&pt, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT));
	image[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	EXPECT(rd(&pt, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
	EXPECT(rd(&pt, PCI_COMMAND, 4) & (PCI_STATUS_INTERRUPT << 16));
}

TEST(command_reaches_the_device_and_the_model)
{
	struct pt_dev pt;

	make_device(&pt, false);
	pt_config__write(&pt.pci, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	EXPECT_EQ(image[PCI_COMMAND + 1] & 0x04, 0x04);
	EXPECT(image[PCI_COMMAND] & PCI_COMMAND_MEMORY);
	EXPECT_EQ(pci_config__read(&pt.pci.cfg, PCI_COMMAND, 2),
		  PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	/* A dword write over COMMAND+STATUS: COMMAND to both, STATUS to the device. */
	pt_config__write(&pt.pci, PCI_COMMAND, 4, 0x00000002);
	EXPECT_EQ(image[PCI_COMMAND + 1] & 0x04, 0);
}

TEST(bars_rom_and_interrupt_line_are_emulated)
{
	struct pt_dev pt;

	make_device(&pt, false);
	pt_config__write(&pt.pci, 0x10, 4, 0xffffffff);
	EXPECT_EQ(rd(&pt, 0x10, 4), 0xfff00000);
	EXPECT_EQ(image[0x13], 0xfe); /* the device's own BAR is untouched */
	pt_config__write(&pt.pci, PCI_ROM_ADDRESS, 4, 0xffffffff);
	EXPECT_EQ(rd(&pt, PCI_ROM_ADDRESS, 4), 0);
	pt_config__write(&pt.pci, PCI_INTERRUPT_LINE, 1, 17);
	EXPECT_EQ(rd(&pt, PCI_INTERRUPT_LINE, 2), 0x0111);
	EXPECT_EQ(image[PCI_INTERRUPT_LINE], 10);
	EXPECT_EQ(dev_writes, 0);
}

TEST(fault_local_intx_disable_keeps_the_bit_from_the_device)
{
	struct pt_dev pt;

	make_device(&pt, false);
	pt.fault = PT_FAULT_LOCAL_INTX_DISABLE;
	pt_config__write(&pt.pci, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	EXPECT_EQ(image[PCI_COMMAND + 1] & 0x04, 0);       /* not forwarded */
	EXPECT(rd(&pt, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE); /* guest sees its bit */
	EXPECT(image[PCI_COMMAND] & PCI_COMMAND_MEMORY);
}

TEST(fault_stale_status_serves_a_copy_from_the_last_command_write)
{
	struct pt_dev pt;

	make_device(&pt, false);
	pt.fault = PT_FAULT_STALE_STATUS;
	pt_config__write(&pt.pci, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	image[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	EXPECT(!(rd(&pt, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT));
	pt_config__write(&pt.pci, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	EXPECT(rd(&pt, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
}
