// SPDX-License-Identifier: GPL-2.0
/*
 * A passed device's MSI-X as the guest sees it (pt_msix.c), against a
 * device image and a backend that records its calls: the capability view,
 * the vector table's access rules, which vectors get an irqfd (deliverable:
 * enabled, function not masked, vector not masked), the Pending Bit Array
 * as the device's eventfds say, function mask, disable and teardown, a
 * backend that fails, the BAR pages kept out of the direct mapping, and the
 * log kept to a trickle when the guest repeats an enable that cannot work.
 * The VM is a described one: routes are kept, KVM is never called.
 */
#include "log.h"
#include "log_capture.h"
#include "unit.h"
#include "pt_image.h"
#include "vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CAP 0x70
#define NR 4
#define BAR 3
#define PBA 0x800
#define MSI_CAP 0x50

static const struct pt_backend_ops msix_ops = {
	.name = "msix-image", .cfg_read = image_read, .cfg_write = image_write,
	.msi_enable = fake_msi_enable, .msi_disable = fake_msi_disable,
};

/* with_msi: an MSI capability too (MSI at 0x50 -> MSI-X), as most NICs have. */
static void make_device_caps(struct vm *vm, struct pt_dev *pt, bool with_msi)
{
	uint32_t table = 0 | BAR, pba = PBA | BAR;

	memset(image, 0, sizeof(image));
	memset(pt, 0, sizeof(*pt));
	fake_msi = (struct fake_msi){ 0 };
	image[0] = 0x86, image[1] = 0x80, image[2] = 0xd3, image[3] = 0x10;
	image[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	image[PCI_INTERRUPT_PIN] = 1;
	image[PCI_CAPABILITY_LIST] = CAP;
	image[CAP] = PCI_CAP_ID_MSIX;
	image[CAP + PCI_MSIX_FLAGS] = NR - 1;
	memcpy(image + CAP + PCI_MSIX_TABLE, &table, 4);
	memcpy(image + CAP + PCI_MSIX_PBA, &pba, 4);
	if (with_msi) {
		image[PCI_CAPABILITY_LIST] = MSI_CAP;
		image[MSI_CAP] = PCI_CAP_ID_MSI, image[MSI_CAP + 1] = CAP;
		image[MSI_CAP + PCI_MSI_FLAGS] = PCI_MSI_FLAGS_64BIT;
	}
	snprintf(pt->bdf, sizeof(pt->bdf), "0000:00:14.0");
	pt->vm = vm;
	pt->backend = &msix_ops;
	pt->msix_possible = true;
	pt->msi_possible = with_msi;
	pt_config__setup(pt, image);
}

static void make_device(struct vm *vm, struct pt_dev *pt)
{
	make_device_caps(vm, pt, false);
}

static uint32_t table_rd(struct pt_dev *pt, unsigned vec, unsigned word)
{
	uint32_t v = 0;

	/* Not ours (the device's): a value no check expects. */
	if (!pt_msix__bar_access(pt, BAR, vec * 16 + word * 4, (uint8_t *)&v, 4, false))
		return 0xdeadbeef;
	return v;
}

static void table_wr(struct pt_dev *pt, unsigned vec, unsigned word, uint32_t v)
{
	EXPECT(pt_msix__bar_access(pt, BAR, vec * 16 + word * 4, (uint8_t *)&v, 4, true));
}

static uint8_t pba(struct pt_dev *pt)
{
	uint8_t b = 0xee;

	if (!pt_msix__bar_access(pt, BAR, PBA, &b, 1, false))
		return 0xee;
	return b;
}

/* Linux's order (msix_capability_init): enable with all masked, program, unmask. */
static void guest_enables(struct pt_dev *pt)
{
	wr(pt, CAP + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	for (unsigned i = 0; i < NR; i++) {
		table_wr(pt, i, 0, 0xfee00000);
		table_wr(pt, i, 1, 0);
		table_wr(pt, i, 2, 0x40 + i);
	}
	table_wr(pt, 0, 3, 0); /* vector 0 unmasked; 1-3 stay masked */
	wr(pt, CAP + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
}

/* The device's vector firing: vfio-pci signals its eventfd. */
static void fire(int efd)
{
	uint64_t one = 1;

	if (write(efd, &one, 8) != 8)
		abort();
}

TEST(msix_capability_is_offered_with_the_devices_table_layout_trapped_within_its_bar)
{
	struct vm vm;
	struct pt_dev pt;
	uint64_t start, end;

	EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
	make_device(&vm, &pt);
	EXPECT_EQ(rd(&pt, PCI_CAPABILITY_LIST, 1), CAP);
	EXPECT_EQ(rd(&pt, CAP, 1), PCI_CAP_ID_MSIX);
	EXPECT_EQ(rd(&pt, CAP + PCI_MSIX_FLAGS, 2), NR - 1);
	EXPECT_EQ(rd(&pt, CAP + PCI_MSIX_TABLE, 4), BAR);
	EXPECT_EQ(rd(&pt, CAP + PCI_MSIX_PBA, 4), PBA | BAR);
	wr(&pt, CAP + PCI_MSIX_TABLE, 4, 0x1000); /* read-only */
	EXPECT_EQ(rd(&pt, CAP + PCI_MSIX_TABLE, 4), BAR);
	for (unsigned i = 0; i < NR; i++)
		EXPECT_EQ(table_rd(&pt, i, 3), PCI_MSIX_ENTRY_CTRL_MASKBIT); /* reset: masked */
	pt_msix__trapped_range(&pt, BAR, 16384, 4096, &start, &end);
	EXPECT(start == 0 && end == 4096);
	pt_msix__trapped_range(&pt, 0, 16384, 4096, &start, &end);
	EXPECT(start == 0 && end == 0);
	/* Outside the table and PBA: the device's, not ours. */
	EXPECT(!pt_msix__bar_access(&pt, BAR, 0x400, (uint8_t *)&start, 4, false));
	EXPECT(!pt_msix__bar_access(&pt, 0, 0, (uint8_t *)&start, 4, false));
	/* A BAR smaller than where the device puts its table and PBA: never past its end. */
	pt_msix__trapped_range(&pt, BAR, 0x40, 4096, &start, &end);
	EXPECT(start == 0 && end <= 0x40);
	/* A table wholly past the end: nothing of it is in the BAR. */
	pt.msix.table_off = pt.msix.pba_off = 0x100000;
	pt_msix__trapped_range(&pt, BAR, 0x4000, 4096, &start, &end);
	EXPECT(start == 0 && end == 0);
	pt_msix__exit(&pt);
	vm__destroy(&vm);
}

TEST(table_accesses_follow_the_spec)
{
	struct vm vm;
	struct pt_dev pt;
	uint64_t q = 0x00000001fee01000ULL;
	uint16_t half = 0x1234;

	EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
	make_device(&vm, &pt);
	/* An aligned qword writes address low and high together. */
	EXPECT(pt_msix__bar_access(&pt, BAR, 16, (uint8_t *)&q, 8, true));
	EXPECT_EQ(table_rd(&pt, 1, 0), 0xfee01000);
	EXPECT_EQ(table_rd(&pt, 1, 1), 1);
	/* Word accesses are not allowed: dropped, read as ones. */
	EXPECT(pt_msix__bar_access(&pt, BAR, 16 + 8, (uint8_t *)&half, 2, true));
	EXPECT_EQ(table_rd(&pt, 1, 2), 0);
	EXPECT(pt_msix__bar_access(&pt, BAR, 16, (uint8_t *)&half, 2, false));
	EXPECT_EQ(half, 0xffff);
	/* Vector Control: only the mask bit is writable. */
	table_wr(&pt, 1, 3, 0xfffffffe);
	EXPECT_EQ(table_rd(&pt, 1, 3), 0);
	/* The PBA is read-only. */
	half = 0xffff;
	EXPECT(pt_msix__bar_access(&pt, BAR, PBA, (uint8_t *)&half, 2, true));
	EXPECT_EQ(pba(&pt), 0);
	/* Nothing of it reached the device. */
	EXPECT_EQ(dev_writes, 0);
	pt_msix__exit(&pt);
	vm__destroy(&vm);
}

TEST(deliverable_vectors_get_irqfds_and_masked_ones_keep_their_pending_bit)
{
	struct vm vm;
	struct pt_dev pt;

	EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
	make_device(&vm, &pt);
	guest_enables(&pt);
	EXPECT_EQ(fake_msi.enables, 1);
	EXPECT(fake_msi.kind == PT_MSIX && fake_msi.nr == NR);
	EXPECT(pt.msix.enabled);
	EXPECT(pt.msix.vec[0].irqfd && pt.msix.vec[0].gsi >= 24);
	EXPECT_EQ(fake_msi.efds[0], pt.msix.vec[0].efd);
	EXPECT(!pt.msix.vec[1].irqfd && pt.msix.vec[1].gsi < 0);
	/* Vector 1 fires while masked: its pending bit; unmasked, it is delivered (irqfd). */
	fire(pt.msix.vec[1].efd);
	EXPECT_EQ(pba(&pt), 0x02);
	table_wr(&pt, 1, 3, 0);
	EXPECT(pt.msix.vec[1].irqfd && pt.msix.vec[1].gsi >= 24);
	EXPECT_EQ(pba(&pt), 0x00);
	/* A new message for an unmasked vector re-points its route, same GSI. */
	{
		int gsi = pt.msix.vec[0].gsi;

		table_wr(&pt, 0, 2, 0x99);
		EXPECT_EQ(pt.msix.vec[0].gsi, gsi);
		EXPECT(pt.msix.vec[0].irqfd);
	}
	/* Function mask: every irqfd goes; vector 3 firing shows as pending. */
	wr(&pt, CAP + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	EXPECT(!pt.msix.vec[0].irqfd && !pt.msix.vec[1].irqfd);
	fire(pt.msix.vec[3].efd);
	EXPECT_EQ(pba(&pt) & 0x08, 0x08);
	wr(&pt, CAP + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
	EXPECT(pt.msix.vec[0].irqfd && pt.msix.vec[1].irqfd && !pt.msix.vec[3].irqfd);
	/* Disable: the backend restores INTx; eventfds and routes go. */
	wr(&pt, CAP + PCI_MSIX_FLAGS, 2, 0);
	EXPECT_EQ(fake_msi.disables, 1);
	EXPECT_EQ(fake_msi.restores, 1);
	for (unsigned i = 0; i < NR; i++)
		EXPECT(pt.msix.vec[i].efd < 0 && pt.msix.vec[i].gsi < 0 && !pt.msix.vec[i].irqfd);
	EXPECT_EQ(pba(&pt), 0);
	/* The table keeps the guest's values across disable, as on hardware. */
	EXPECT_EQ(table_rd(&pt, 0, 2), 0x99);
	/* Enabled again, then the VM ends: down without restoring INTx. */
	wr(&pt, CAP + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
	EXPECT_EQ(fake_msi.enables, 2);
	pt_msix__exit(&pt);
	EXPECT_EQ(fake_msi.disables, 2);
	EXPECT_EQ(fake_msi.restores, 1);
	vm__destroy(&vm);
}

TEST(a_backend_that_cannot_enable_msix_leaves_it_off)
{
	struct vm vm;
	struct pt_dev pt;
	FILE *log = tmpfile();

	EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
	make_device(&vm, &pt);
	fake_msi.result = -EINVAL;
	log__set_sink(log);
	guest_enables(&pt);
	log__set_sink(NULL);
	fclose(log);
	EXPECT(!pt.msix.enabled);
	for (unsigned i = 0; i < NR; i++)
		EXPECT(pt.msix.vec[i].efd < 0 && !pt.msix.vec[i].irqfd);
	pt_msix__exit(&pt);
	EXPECT_EQ(fake_msi.disables, 0);
	vm__destroy(&vm);
}

/*
 * A guest that enables MSI-X with MSI on (or the reverse) over and over
 * cannot flood the host's log: the enable is refused each time.
 */
TEST(enabling_msix_or_msi_10000_times_while_the_other_is_on_logs_at_most_a_burst_per_interval)
{
	static const struct {
		unsigned on, flood; /* the capability enabled first, and the one flooded */
		uint16_t on_val, flood_val;
		const char *line;
	} cases[] = {
		{ MSI_CAP + PCI_MSI_FLAGS, CAP + PCI_MSIX_FLAGS, PCI_MSI_FLAGS_ENABLE,
		  PCI_MSIX_FLAGS_ENABLE, "enabled MSI-X with MSI on" },
		{ CAP + PCI_MSIX_FLAGS, MSI_CAP + PCI_MSI_FLAGS, PCI_MSIX_FLAGS_ENABLE,
		  PCI_MSI_FLAGS_ENABLE, "enabled MSI with MSI-X on" },
	};

	for (unsigned c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct vm vm;
		struct pt_dev pt;
		struct wr_repeat flood = { &pt, cases[c].flood, 2, cases[c].flood_val };

		EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
		make_device_caps(&vm, &pt, true);
		wr(&pt, cases[c].on, 2, cases[c].on_val);
		EXPECT(pt.msi.enabled != pt.msix.enabled);
		EXPECT(log_capture__rate_limited(wr_repeat, &flood, 10000, cases[c].line));
		EXPECT(pt.msi.enabled != pt.msix.enabled); /* the second one stayed off */
		EXPECT_EQ(fake_msi.enables, 1);
		pt_msi__exit(&pt);
		pt_msix__exit(&pt);
		vm__destroy(&vm);
	}
}

/* Each retry of an enable the backend fails fails again: the log hears of it at the rate limit. */
TEST(a_failing_msi_or_msix_enable_retried_10000_times_logs_at_most_a_burst_per_interval)
{
	static const struct { unsigned reg; uint16_t val; const char *line; } cases[] = {
		{ MSI_CAP + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE, "enabling MSI failed" },
		{ CAP + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE, "enabling MSI-X failed" },
	};

	for (unsigned c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct vm vm;
		struct pt_dev pt;
		struct wr_repeat retry = { &pt, cases[c].reg, 2, cases[c].val };

		EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
		make_device_caps(&vm, &pt, true);
		fake_msi.result = -EIO;
		EXPECT(log_capture__rate_limited(wr_repeat, &retry, 10000, cases[c].line));
		EXPECT_EQ(fake_msi.enables, 10000);
		pt_msi__exit(&pt);
		pt_msix__exit(&pt);
		vm__destroy(&vm);
	}
}
