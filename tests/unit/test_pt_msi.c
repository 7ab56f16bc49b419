// SPDX-License-Identifier: GPL-2.0
/*
 * A passed device's MSI capability as the guest sees it (pt_msi.c): the
 * emulated view (one vector, no per-vector masking, the guest's message
 * never written to the device), and what each guest write makes the
 * backend do: enable once, a new message only re-routes, disable restores
 * INTx, teardown does not; a backend failure leaves MSI off. The VM is a
 * described one, so its MSI routes are kept but never reach KVM.
 */
#include "log.h"
#include "unit.h"
#include "pt_image.h"
#include "vm.h"

#include <errno.h>
#include <string.h>

#define CAP 0x50

static const struct pt_backend_ops msi_ops = {
	.name = "msi-image", .cfg_read = image_read, .cfg_write = image_write,
	.msi_enable = fake_msi_enable, .msi_disable = fake_msi_disable,
};

/* PM at 0x40 -> MSI at 0x50 (64-bit, per-vector masking, 4 vectors) -> vendor cap at 0x68. */
static void make_device(struct vm *vm, struct pt_dev *pt)
{
	memset(image, 0, sizeof(image));
	memset(pt, 0, sizeof(*pt));
	dev_writes = 0;
	fake_msi = (struct fake_msi){ 0 };
	image[0] = 0x34, image[1] = 0x12, image[2] = 0xe8, image[3] = 0x11;
	image[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	image[PCI_INTERRUPT_PIN] = 1;
	image[PCI_CAPABILITY_LIST] = 0x40;
	image[0x40] = 0x01, image[0x41] = CAP;
	image[CAP] = PCI_CAP_ID_MSI, image[CAP + 1] = 0x68;
	image[CAP + 2] = (PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT | 0x4) & 0xff; /* QMASK 4 */
	image[CAP + 3] = PCI_MSI_FLAGS_MASKBIT >> 8;
	image[CAP + 4] = 0xaa; /* the host's message address: must not show */
	image[0x68] = PCI_CAP_ID_VNDR;
	snprintf(pt->bdf, sizeof(pt->bdf), "0000:00:04.0");
	pt->vm = vm;
	pt->backend = &msi_ops;
	pt->msi_possible = true;
	pt_config__setup(pt, image);
}

TEST(msi_is_offered_with_one_vector_and_no_masking)
{
	struct vm vm;
	struct pt_dev pt;

	EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
	make_device(&vm, &pt);
	EXPECT_EQ(rd(&pt, 0x41, 1), CAP); /* still linked */
	EXPECT_EQ(rd(&pt, CAP, 2), 0x6800 | PCI_CAP_ID_MSI);
	EXPECT_EQ(rd(&pt, CAP + PCI_MSI_FLAGS, 2), PCI_MSI_FLAGS_64BIT);
	EXPECT_EQ(rd(&pt, CAP + PCI_MSI_ADDRESS_LO, 4), 0); /* not the host's 0xaa */
	EXPECT_EQ(rd(&pt, CAP + 0x10, 4), 0); /* the device's mask bits: hidden */
	/* Only ENABLE is writable in the flags: no multiple messages, no 32-bit switch. */
	wr(&pt, CAP + PCI_MSI_FLAGS, 2, 0xffff & ~PCI_MSI_FLAGS_ENABLE);
	EXPECT_EQ(rd(&pt, CAP + PCI_MSI_FLAGS, 2), PCI_MSI_FLAGS_64BIT);
	EXPECT_EQ(fake_msi.enables, 0);
	pt_msi__exit(&pt);
	vm__destroy(&vm);
}

TEST(the_guests_message_stays_in_the_model)
{
	struct vm vm;
	struct pt_dev pt;
	unsigned before;

	EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
	make_device(&vm, &pt);
	before = dev_writes;
	wr(&pt, CAP + PCI_MSI_ADDRESS_LO, 4, 0xfee00003); /* low 2 bits are reserved */
	wr(&pt, CAP + PCI_MSI_ADDRESS_HI, 4, 0);
	wr(&pt, CAP + PCI_MSI_DATA_64, 2, 0x4051);
	EXPECT_EQ(rd(&pt, CAP + PCI_MSI_ADDRESS_LO, 4), 0xfee00000);
	EXPECT_EQ(rd(&pt, CAP + PCI_MSI_DATA_64, 2), 0x4051);
	EXPECT_EQ(dev_writes, before);
	EXPECT_EQ(image[CAP + 4], 0xaa);
	vm__destroy(&vm);
}

TEST(enable_new_message_disable_and_teardown_drive_the_backend)
{
	struct vm vm;
	struct pt_dev pt;
	int gsi;

	EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
	make_device(&vm, &pt);
	wr(&pt, CAP + PCI_MSI_ADDRESS_LO, 4, 0xfee00000);
	wr(&pt, CAP + PCI_MSI_DATA_64, 2, 0x51);
	/* A dword write over id, next and flags, as some drivers do: only ENABLE takes. */
	wr(&pt, CAP, 4, (uint32_t)PCI_MSI_FLAGS_ENABLE << 16 | 0xffff);
	EXPECT_EQ(rd(&pt, CAP, 2), 0x6800 | PCI_CAP_ID_MSI);
	EXPECT_EQ(fake_msi.enables, 1);
	EXPECT(fake_msi.kind == PT_MSI && fake_msi.nr == 1 && fake_msi.efds[0] == pt.msi.efd);
	EXPECT(pt.msi.gsi >= 24 && pt.msi.efd >= 0);
	gsi = pt.msi.gsi;
	EXPECT(pt.msi.enabled && pt.msi.addr == 0xfee00000 && pt.msi.data == 0x51);
	/* The same enable again, then a new vector: no new enable, the route follows. */
	wr(&pt, CAP + PCI_MSI_FLAGS, 1, PCI_MSI_FLAGS_ENABLE);
	wr(&pt, CAP + PCI_MSI_DATA_64, 2, 0x62);
	EXPECT_EQ(fake_msi.enables, 1);
	EXPECT_EQ(pt.msi.data, 0x62);
	EXPECT_EQ(pt.msi.gsi, gsi);
	/* Disable: MSI down with INTx restored. */
	wr(&pt, CAP + PCI_MSI_FLAGS, 2, 0);
	EXPECT_EQ(fake_msi.disables, 1);
	EXPECT_EQ(fake_msi.restores, 1);
	EXPECT(!pt.msi.enabled && pt.msi.efd < 0 && pt.msi.gsi < 0);
	/* Enabled again, then the VM ends: down without restoring INTx. */
	wr(&pt, CAP + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	EXPECT_EQ(fake_msi.enables, 2);
	pt_msi__exit(&pt);
	EXPECT_EQ(fake_msi.disables, 2);
	EXPECT_EQ(fake_msi.restores, 1);
	vm__destroy(&vm);
}

TEST(a_backend_that_cannot_enable_leaves_msi_off)
{
	struct vm vm;
	struct pt_dev pt;
	FILE *log = tmpfile();

	EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
	make_device(&vm, &pt);
	fake_msi.result = -EIO;
	log__set_sink(log);
	wr(&pt, CAP + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	log__set_sink(NULL);
	fclose(log);
	EXPECT_EQ(fake_msi.enables, 1);
	EXPECT(!pt.msi.enabled);
	pt_msi__exit(&pt);
	EXPECT_EQ(fake_msi.disables, 0);
	vm__destroy(&vm);
}
