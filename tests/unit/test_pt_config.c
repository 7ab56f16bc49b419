// SPDX-License-Identifier: GPL-2.0
/*
 * Passthrough config virtualization against a device image in memory (the
 * nested suite runs the same code on real VFIO and kvm-assign devices): who
 * answers each byte, the re-linked capability list, COMMAND and STATUS at
 * every access shape a driver uses, the injectable faults, and how much a
 * guest repeating a failing INTx mask or BAR move gets logged. The fake
 * backend logs every device write and INTx-mask call in order.
 */
#include "log.h"
#include "log_capture.h"
#include "unit.h"
#include "pt_bar.h"
#include "pt_image.h"
#include "vm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int image_set_intx_mask(struct pt_dev *pt, bool masked)
{
	(void)pt;
	if (nr_calls < MAX_CALLS)
		calls[nr_calls++] = (struct call){ 'm', 0, 0, masked };
	return 0;
}

/* Like vfio-pci: the guest's INTX_DISABLE goes to the device, which virtualizes it. */
static const struct pt_backend_ops image_ops = {
	.name = "image", .cfg_read = image_read, .cfg_write = image_write,
};

/* A device that stopped answering: every access fails, as a dead VFIO region's would. */
static int dead_read(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val)
{
	(void)pt, (void)off, (void)len;
	*val = 0x5a5a5a5a; /* pcivmm must not pass this on */
	return -EIO;
}

static int dead_write(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val)
{
	(void)pt, (void)off, (void)len, (void)val;
	return -EIO;
}

static const struct pt_backend_ops dead_ops = {
	.name = "dead", .cfg_read = dead_read, .cfg_write = dead_write,
};

/* Like kvm-assign: the kernel hears the guest's mask and owns the device's bit. */
static const struct pt_backend_ops kernel_owned_ops = {
	.name = "kernel-owned", .cfg_read = image_read, .cfg_write = image_write,
	.set_intx_mask = image_set_intx_mask,
};

static void put16(unsigned off, uint16_t v) { memcpy(image + off, &v, 2); }
static void put32(unsigned off, uint32_t v) { memcpy(image + off, &v, 4); }

/* An edu-like device: PM at 0x40 -> MSI (64-bit) at 0x50 -> vendor cap at 0x68. */
static void make_device(struct pt_dev *pt, bool only_msi)
{
	memset(image, 0, sizeof(image));
	memset(pt, 0, sizeof(*pt));
	dev_writes = 0;
	nr_calls = 0;
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

TEST(ids_and_class_come_from_the_device_and_ignore_writes)
{
	struct pt_dev pt;

	make_device(&pt, false);
	EXPECT_EQ(rd(&pt, 0, 4), 0x11e81234);
	EXPECT_EQ(rd(&pt, 0x08, 4), 0x00ff0010);
	wr(&pt, 0, 4, 0);
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
	wr(&pt, 0x52, 2, 1); /* MSI enable: dropped */
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
	wr(&pt, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	EXPECT_EQ(image[PCI_COMMAND + 1] & 0x04, 0x04);
	EXPECT(image[PCI_COMMAND] & PCI_COMMAND_MEMORY);
	EXPECT_EQ(pci_config__read(&pt.pci.cfg, PCI_COMMAND, 2),
		  PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	/* A dword write over COMMAND+STATUS: COMMAND to both, STATUS 0 clears nothing. */
	wr(&pt, PCI_COMMAND, 4, 0x00000002);
	EXPECT_EQ(image[PCI_COMMAND + 1] & 0x04, 0);
}

/* Every shape a driver may use to flip INTX_DISABLE, and what the device must see. */
static const struct {
	const char *name;
	unsigned off, len;
	uint32_t set, clear; /* the access value that sets / clears the bit */
} shapes[] = {
	{ "byte at 5 (uio HOWTO)", 5, 1, 0x04, 0x00 },
	{ "word at 4 (pci_intx)", 4, 2, 0x0406, 0x0006 },
	{ "dword at 4 (COMMAND+STATUS)", 4, 4, 0x00000406, 0x00000006 },
};

TEST(intx_disable_at_every_width_reaches_a_virtualizing_device_as_one_word_at_4)
{
	struct pt_dev pt;

	for (unsigned s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		make_device(&pt, false);
		image[PCI_COMMAND] = PCI_COMMAND_MEMORY | PCI_COMMAND_IO;
		pci_config__set(&pt.pci.cfg, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
		wr(&pt, shapes[s].off, shapes[s].len, shapes[s].set);
		EXPECT_EQ(nr_calls, 1);
		EXPECT_EQ(calls[0].what, 'w');
		EXPECT_EQ(calls[0].off, PCI_COMMAND);
		EXPECT_EQ(calls[0].len, 2);
		/* A byte at 5 keeps the device's low byte. */
		EXPECT_EQ(calls[0].val, shapes[s].len == 1 ? 0x0403 : 0x0406);
		EXPECT(rd(&pt, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE);
		EXPECT(rd(&pt, 5, 1) & 0x04);

		nr_calls = 0;
		wr(&pt, shapes[s].off, shapes[s].len, shapes[s].clear);
		EXPECT_EQ(nr_calls, 1);
		EXPECT_EQ(calls[0].off, PCI_COMMAND);
		EXPECT_EQ(calls[0].len, 2);
		EXPECT_EQ(image[PCI_COMMAND + 1] & 0x04, 0);
		EXPECT(!(rd(&pt, PCI_COMMAND, 4) & PCI_COMMAND_INTX_DISABLE));
	}
}

TEST(intx_disable_at_every_width_goes_to_the_kernel_and_never_to_a_kernel_owned_bit)
{
	struct pt_dev pt;

	for (unsigned s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		make_device(&pt, false);
		pt.backend = &kernel_owned_ops;
		image[PCI_COMMAND] = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
		pci_config__set(&pt.pci.cfg, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
		wr(&pt, shapes[s].off, shapes[s].len, shapes[s].set);
		EXPECT_EQ(nr_calls, 1); /* COMMAND otherwise unchanged: no device write */
		EXPECT_EQ(calls[0].what, 'm');
		EXPECT_EQ(calls[0].val, 1);
		EXPECT_EQ(image[PCI_COMMAND + 1] & 0x04, 0);
		EXPECT(rd(&pt, PCI_COMMAND + 1, 1) & 0x04); /* the guest sees its own bit */

		/* The kernel masked the device for an interrupt; the guest unmasks. */
		image[PCI_COMMAND + 1] |= 0x04;
		nr_calls = 0;
		wr(&pt, shapes[s].off, shapes[s].len, shapes[s].clear);
		EXPECT_EQ(nr_calls, 1);
		EXPECT_EQ(calls[0].what, 'm');
		EXPECT_EQ(calls[0].val, 0);
		EXPECT_EQ(image[PCI_COMMAND + 1] & 0x04, 0x04); /* the kernel unmasks it at EOI */
		EXPECT(!(rd(&pt, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE));
	}
}

TEST(a_byte_write_at_4_keeps_the_high_byte_and_the_kernels_intx_disable)
{
	struct pt_dev pt;

	make_device(&pt, false);
	/* The kernel's handler masked the device for an interrupt in flight. */
	pt.backend = &kernel_owned_ops;
	image[PCI_COMMAND + 1] = 0x04 | 0x01; /* INTX_DISABLE, SERR */
	wr(&pt, PCI_COMMAND, 1, PCI_COMMAND_MEMORY);
	EXPECT_EQ(nr_calls, 1);
	EXPECT_EQ(calls[0].off, PCI_COMMAND);
	EXPECT_EQ(calls[0].len, 2);
	EXPECT_EQ(calls[0].val, 0x0502);
	/* The guest still reads its own INTX_DISABLE (clear), not the kernel's. */
	EXPECT(!(rd(&pt, PCI_COMMAND + 1, 1) & 0x04));
	EXPECT_EQ(rd(&pt, PCI_COMMAND, 1), PCI_COMMAND_MEMORY);
}

TEST(an_unchanged_intx_disable_makes_no_mask_call)
{
	struct pt_dev pt;

	make_device(&pt, false);
	pt.backend = &kernel_owned_ops;
	wr(&pt, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	wr(&pt, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	for (unsigned i = 0; i < nr_calls; i++)
		EXPECT(calls[i].what != 'm');
}

TEST(status_reads_live_at_every_width_and_offset)
{
	struct pt_dev pt;

	make_device(&pt, false);
	image[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	image[PCI_STATUS + 1] = 0x80; /* parity error detected */
	EXPECT_EQ(rd(&pt, PCI_STATUS, 1), PCI_STATUS_INTERRUPT | PCI_STATUS_CAP_LIST);
	EXPECT_EQ(rd(&pt, PCI_STATUS + 1, 1), 0x80);
	EXPECT_EQ(rd(&pt, PCI_STATUS, 2), 0x8000 | PCI_STATUS_INTERRUPT | PCI_STATUS_CAP_LIST);
	EXPECT_EQ(rd(&pt, PCI_COMMAND, 4) >> 16, 0x8000 | PCI_STATUS_INTERRUPT | PCI_STATUS_CAP_LIST);
	image[PCI_STATUS] &= ~PCI_STATUS_INTERRUPT;
	EXPECT(!(rd(&pt, PCI_STATUS, 1) & PCI_STATUS_INTERRUPT));
}

TEST(status_w1c_clears_only_what_the_guest_wrote_as_one_and_interrupt_is_read_only)
{
	struct pt_dev pt;

	make_device(&pt, false);
	/* A dword COMMAND write with STATUS 0: STATUS is not written at all. */
	wr(&pt, PCI_COMMAND, 4, PCI_COMMAND_MEMORY);
	EXPECT_EQ(nr_calls, 1);
	EXPECT_EQ(calls[0].off, PCI_COMMAND);
	/* All ones into STATUS: only the W1C error bits go to the device, as a word at 6. */
	nr_calls = 0;
	wr(&pt, PCI_COMMAND, 4, 0xffff0000u | PCI_COMMAND_MEMORY);
	EXPECT_EQ(nr_calls, 1);
	EXPECT_EQ(calls[0].off, PCI_STATUS);
	EXPECT_EQ(calls[0].len, 2);
	EXPECT_EQ(calls[0].val, PCI_STATUS_W1C);
	/* Byte at 7 (the error bits' byte): still a word at 6. */
	nr_calls = 0;
	wr(&pt, PCI_STATUS + 1, 1, 0x80);
	EXPECT_EQ(nr_calls, 1);
	EXPECT_EQ(calls[0].off, PCI_STATUS);
	EXPECT_EQ(calls[0].val, 0x8000);
	/* Writing INTERRUPT (byte 6) writes nothing. */
	nr_calls = 0;
	wr(&pt, PCI_STATUS, 1, PCI_STATUS_INTERRUPT);
	EXPECT_EQ(nr_calls, 0);
}

TEST(fault_local_intx_disable_keeps_the_bit_from_the_device)
{
	struct pt_dev pt;

	make_device(&pt, false);
	pt.backend = &kernel_owned_ops;
	pt.fault = PT_FAULT_LOCAL_INTX_DISABLE;
	pt_faults__install(&pt);
	wr(&pt, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	EXPECT_EQ(image[PCI_COMMAND + 1] & 0x04, 0);       /* not forwarded */
	EXPECT(rd(&pt, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE); /* guest sees its bit */
	EXPECT(image[PCI_COMMAND] & PCI_COMMAND_MEMORY);
	for (unsigned i = 0; i < nr_calls; i++)
		EXPECT(calls[i].what != 'm');              /* nor told to KVM */
}

TEST(fault_byte_command_forwards_the_guests_width)
{
	struct pt_dev pt;

	make_device(&pt, false);
	pt.backend = &kernel_owned_ops;
	pt.fault = PT_FAULT_BYTE_COMMAND;
	pt_faults__install(&pt);
	wr(&pt, PCI_COMMAND + 1, 1, 0x04);
	EXPECT_EQ(nr_calls, 2);
	EXPECT_EQ(calls[0].what, 'm');
	EXPECT_EQ(calls[1].off, PCI_COMMAND + 1);
	EXPECT_EQ(calls[1].len, 1);
	EXPECT_EQ(calls[1].val, 0x04);
}

TEST(fault_stale_status_serves_a_copy_from_the_last_command_write)
{
	struct pt_dev pt;

	make_device(&pt, false);
	pt.fault = PT_FAULT_STALE_STATUS;
	pt_faults__install(&pt);
	wr(&pt, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	image[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	EXPECT(!(rd(&pt, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT));
	wr(&pt, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	EXPECT(rd(&pt, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
}

TEST(bars_rom_and_interrupt_line_are_emulated)
{
	struct pt_dev pt;

	make_device(&pt, false);
	wr(&pt, 0x10, 4, 0xffffffff);
	EXPECT_EQ(rd(&pt, 0x10, 4), 0xfff00000);
	EXPECT_EQ(image[0x13], 0xfe); /* the device's own BAR is untouched */
	wr(&pt, PCI_ROM_ADDRESS, 4, 0xffffffff);
	EXPECT_EQ(rd(&pt, PCI_ROM_ADDRESS, 4), 0);
	wr(&pt, PCI_INTERRUPT_LINE, 1, 17);
	EXPECT_EQ(rd(&pt, PCI_INTERRUPT_LINE, 2), 0x0111);
	EXPECT_EQ(image[PCI_INTERRUPT_LINE], 10);
	EXPECT_EQ(dev_writes, 0);
}


TEST(a_device_that_stops_answering_reads_all_ones_and_is_reported_once)
{
	struct pt_dev pt;
	FILE *log = tmpfile();
	char line[256];
	unsigned lines = 0;

	make_device(&pt, false);
	snprintf(pt.bdf, sizeof(pt.bdf), "0000:00:04.0");
	pt.backend = &dead_ops;
	log__set_sink(log);
	EXPECT_EQ(rd(&pt, 0, 4), 0xffffffff);
	EXPECT_EQ(rd(&pt, 0x08, 2), 0xffff);
	EXPECT_EQ(rd(&pt, PCI_STATUS, 2), 0xffff);
	EXPECT_EQ(rd(&pt, PCI_COMMAND, 2), 0xffff);
	EXPECT_EQ(rd(&pt, 0x40, 1), 0xff);
	wr(&pt, PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE); /* dropped: the device's bits are unknown */
	wr(&pt, PCI_STATUS, 2, PCI_STATUS_W1C);
	log__set_sink(NULL);
	rewind(log);
	while (fgets(line, sizeof(line), log)) {
		lines++;
		EXPECT(strstr(line, "0000:00:04.0: config read of 4 byte(s) at 0x0 failed") != NULL);
	}
	fclose(log);
	EXPECT_EQ(lines, 1);
	EXPECT(pt.access_failure_reported);
}

/* Like VFIO: guest RAM is mapped for DMA in the background; dma_result is how the wait ends. */
static int dma_result;
static int image_wait_dma(struct pt_dev *pt)
{
	(void)pt;
	if (nr_calls < MAX_CALLS)
		calls[nr_calls++] = (struct call){ 'd', 0, 0, 0 };
	return dma_result;
}

static const struct pt_backend_ops mapping_ops = {
	.name = "mapping", .cfg_read = image_read, .cfg_write = image_write,
	.wait_dma = image_wait_dma,
};

TEST(bus_mastering_reaches_the_device_only_after_guest_ram_is_mapped_for_dma)
{
	static const struct { unsigned off, len; uint32_t val; } shapes[] = {
		{ PCI_COMMAND, 1, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER },
		{ PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER },
		{ PCI_COMMAND, 4, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER },
	};

	for (unsigned s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		struct pt_dev pt;

		make_device(&pt, false);
		pt.backend = &mapping_ops;
		/* A write without BUS_MASTER never waits. */
		wr(&pt, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
		EXPECT_EQ(nr_calls, 1);
		EXPECT_EQ(calls[0].what, 'w');
		/* Mapped: the wait comes first, then the write with BUS_MASTER. */
		nr_calls = 0;
		dma_result = 0;
		wr(&pt, shapes[s].off, shapes[s].len, shapes[s].val);
		EXPECT_EQ(nr_calls, 2);
		EXPECT_EQ(calls[0].what, 'd');
		EXPECT_EQ(calls[1].what, 'w');
		EXPECT(image[PCI_COMMAND] & PCI_COMMAND_MASTER);
		/* Never mapped (the VM is ending): the device is not let master the bus. */
		image[PCI_COMMAND] = 0;
		nr_calls = 0;
		dma_result = -EIO;
		wr(&pt, shapes[s].off, shapes[s].len, shapes[s].val);
		EXPECT_EQ(nr_calls, 1);
		EXPECT_EQ(calls[0].what, 'd');
		EXPECT_EQ(image[PCI_COMMAND] & PCI_COMMAND_MASTER, 0);
	}
}

/* A kernel that refuses every INTx mask change (the ioctl fails). */
static int failing_set_intx_mask(struct pt_dev *pt, bool masked)
{
	(void)pt, (void)masked;
	return -EIO;
}

static const struct pt_backend_ops failing_mask_ops = {
	.name = "failing-mask", .cfg_read = image_read, .cfg_write = image_write,
	.set_intx_mask = failing_set_intx_mask,
};

/* The guest flipping INTX_DISABLE: set on even steps, clear on odd ones. */
static void toggle_intx_disable(void *ctx, unsigned i)
{
	wr(ctx, PCI_COMMAND + 1, 1, i & 1 ? 0 : PCI_COMMAND_INTX_DISABLE >> 8);
}

TEST(intx_disable_toggled_10000_times_against_a_failing_kernel_logs_at_most_a_burst_per_interval)
{
	struct pt_dev pt;

	make_device(&pt, false);
	pt.backend = &failing_mask_ops;
	EXPECT(log_capture__rate_limited(toggle_intx_disable, &pt, 10000, "INTx failed"));
	EXPECT_EQ(pt.pci.stats.guest_masks + pt.pci.stats.guest_unmasks, 10000);
}

/* The guest moving BAR2 of the device in slot 4 between two addresses. */
static void move_bar2(void *ctx, unsigned i)
{
	pci_host__cfg_write(ctx, 4, 0, PCI_BASE_ADDRESS_2, 4,
			    PCI_MMIO_BASE + (i & 1 ? 0x100000 : 0x200000));
}

TEST(a_bar_moved_10000_times_where_kvm_refuses_the_memslot_logs_at_most_a_burst_per_interval)
{
	struct pci_host host;
	struct pt_bar bar;
	struct pt_dev pt;
	struct vm vm;
	int fd = memfd_create("resource2", MFD_CLOEXEC);

	EXPECT(fd >= 0 && ftruncate(fd, 4096) == 0);
	EXPECT_EQ(vm__create_described(&vm, 16 << 20), 0);
	/* Not a KVM VM: every KVM_SET_USER_MEMORY_REGION fails (ENOTTY), as a refused memslot. */
	vm.vm_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	EXPECT(vm.vm_fd >= 0);
	EXPECT_EQ(pci_host__init(&host, &vm.pio, &vm.mmio, &vm.mem), 0);
	make_device(&pt, false);
	snprintf(pt.bdf, sizeof(pt.bdf), "0000:00:04.0");
	pt.vm = &vm;
	EXPECT_EQ(pt_bar__add(&bar, &pt, 2, &(struct pt_bar_region){
		.kind = PCI_BAR_MMIO32, .fd = fd, .size = 4096, .can_mmap = true,
		.owns_fd = true }), 0);
	EXPECT(bar.mmap != NULL);
	EXPECT_EQ(pci_host__add(&host, &pt.pci, 4), 0);
	pci_host__cfg_write(&host, 4, 0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	EXPECT(log_capture__rate_limited(move_bar2, &host, 10000, "BAR2 stays trapped"));
	EXPECT(pt.pci.bars[2].mapped); /* decoded, trapped */
	pci_host__remove(&host, &pt.pci);
	pt_bar__release(&bar);
	pci_host__exit(&host);
	vm__destroy(&vm);
}
