// SPDX-License-Identifier: GPL-2.0
/*
 * The kvm-assign backend's COMMAND handling through its seam: the device's
 * config space is a memfd standing in for sysfs "config", and KVM's VM
 * ioctls are recorded. Pins down, for every width a guest may use, that the
 * guest's INTX_DISABLE reaches KVM (KVM_ASSIGN_SET_INTX_MASK) and never the
 * device, whose bit is KVM's, while the guest reads back its own; that
 * a short config read fails cleanly; and that the guest gets vfio-pci's
 * config permissions (pt_perm.c) on the real function's controls.
 */
#include "unit.h"
#include "kvm_assign.h"
#include "pt.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ASSIGN_FLAG_MASK_INTX (1u << 2) /* KVM_DEV_ASSIGN_MASK_INTX */

static int cfg_fd;
static unsigned nr_mask_calls;
static uint32_t last_mask_flags;

static int recording_ioctl(int vm_fd, unsigned long req, void *arg)
{
	(void)vm_fd;
#ifdef KVM_ASSIGN_SET_INTX_MASK
	if (req != KVM_ASSIGN_SET_INTX_MASK) {
		errno = ENOTTY;
		return -1;
	}
#else
	(void)req;
#endif
	/* struct kvm_assigned_pci_dev: id, busnr, devfn, flags. */
	memcpy(&last_mask_flags, (uint8_t *)arg + 12, 4);
	nr_mask_calls++;
	return 0;
}

static int config_file(unsigned size)
{
	uint8_t raw[PCI_CFG_SPACE_SIZE] = { 0x34, 0x12, 0xe8, 0x11 };
	int fd = memfd_create("config", 0);

	raw[PCI_COMMAND] = PCI_COMMAND_MEMORY;
	raw[PCI_INTERRUPT_PIN] = 1;
	if (fd >= 0 && pwrite(fd, raw, size, 0) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint16_t device_command(void)
{
	uint16_t v = 0xffff;

	if (pread(cfg_fd, &v, 2, PCI_COMMAND) != 2)
		return 0xffff;
	return v;
}

static const struct {
	unsigned off, len;
	uint32_t set, clear;
} shapes[] = {
	{ 5, 1, 0x04, 0x00 },
	{ 4, 2, 0x0402, 0x0002 },
	{ 4, 4, 0x00000402, 0x00000002 },
};

TEST(intx_disable_goes_to_kvm_and_not_to_the_device_at_every_width)
{
	for (unsigned s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		struct pt_dev pt = { .bdf = "0000:00:04.0" };

		cfg_fd = config_file(PCI_CFG_SPACE_SIZE);
		EXPECT(cfg_fd >= 0);
		nr_mask_calls = 0;
		EXPECT_EQ(kvm_assign__setup_config(&pt, cfg_fd, -1, recording_ioctl), 0);
		pci_device__cfg_write(&pt.pci, shapes[s].off, shapes[s].len, shapes[s].set);
		EXPECT_EQ(nr_mask_calls, 1);
		EXPECT_EQ(last_mask_flags & ASSIGN_FLAG_MASK_INTX, ASSIGN_FLAG_MASK_INTX);
		EXPECT_EQ(device_command(), PCI_COMMAND_MEMORY);
		EXPECT(pci_device__cfg_read(&pt.pci, PCI_COMMAND + 1, 1) & 0x04);

		/* KVM's hard IRQ handler masked the device meanwhile; the guest unmasks. */
		EXPECT_EQ(pwrite(cfg_fd, &(uint16_t){ PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE },
				 2, PCI_COMMAND), 2);
		pci_device__cfg_write(&pt.pci, shapes[s].off, shapes[s].len, shapes[s].clear);
		EXPECT_EQ(nr_mask_calls, 2);
		EXPECT_EQ(last_mask_flags & ASSIGN_FLAG_MASK_INTX, 0);
		EXPECT_EQ(device_command(), PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
		EXPECT(!(pci_device__cfg_read(&pt.pci, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE));
		pt.backend->close(&pt);
		EXPECT(pt.backend_priv == NULL);
	}
}

TEST(kvm_masking_the_device_is_invisible_to_the_guest_and_kept_by_other_writes)
{
	struct pt_dev pt = { .bdf = "0000:00:04.0" };
	uint16_t masked = PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE;

	cfg_fd = config_file(PCI_CFG_SPACE_SIZE);
	EXPECT(cfg_fd >= 0);
	nr_mask_calls = 0;
	EXPECT_EQ(kvm_assign__setup_config(&pt, cfg_fd, -1, recording_ioctl), 0);
	/* KVM's hard IRQ handler (pci_check_and_mask_intx) masked the device. */
	EXPECT_EQ(pwrite(cfg_fd, &masked, 2, PCI_COMMAND), 2);
	EXPECT(!(pci_device__cfg_read(&pt.pci, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE));
	pci_device__cfg_write(&pt.pci, PCI_COMMAND, 1, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	EXPECT_EQ(nr_mask_calls, 0);
	EXPECT_EQ(device_command(), masked | PCI_COMMAND_MASTER);
	pt.backend->close(&pt);
}

TEST(a_short_config_read_is_an_error_and_frees_everything)
{
	struct pt_dev pt = { .bdf = "0000:00:04.0" };

	cfg_fd = config_file(64);
	EXPECT(cfg_fd >= 0);
	EXPECT_EQ(kvm_assign__setup_config(&pt, cfg_fd, -1, recording_ioctl), -EIO);
	EXPECT(pt.backend_priv == NULL);
	/* The config fd was closed with the rest. */
	EXPECT(fcntl(cfg_fd, F_GETFD) < 0);
}

/*
 * A function with PM (0x40), PCI Express (0x50), Advanced Features (0x90),
 * a vendor-specific capability (0xa0), HyperTransport (0xb0), Enhanced
 * Allocation (0xc0), PCI-X (0xd0) and VPD (0xe0), as sysfs "config" shows it.
 */
static int config_file_with_caps(void)
{
	uint8_t raw[PCI_CFG_SPACE_SIZE] = { 0x34, 0x12, 0xe8, 0x11 };
	int fd = memfd_create("config", 0);

	raw[PCI_COMMAND] = PCI_COMMAND_MEMORY;
	raw[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	raw[PCI_INTERRUPT_PIN] = 1;
	raw[PCI_CAPABILITY_LIST] = 0x40;
	raw[0x40] = PCI_CAP_ID_PM, raw[0x41] = 0x50, raw[0x42] = 0x03;
	raw[0x50] = PCI_CAP_ID_EXP, raw[0x51] = 0x90, raw[0x52] = 0x02;
	/* As the host set it up: MPS 256, MRRS 512, Phantom Functions, ARI Forwarding, ASPM L1. */
	raw[0x58] = PCI_EXP_DEVCTL_PAYLOAD_256B;
	raw[0x59] = (PCI_EXP_DEVCTL_READRQ_512B | PCI_EXP_DEVCTL_PHANTOM) >> 8;
	raw[0x50 + PCI_EXP_DEVCTL2] = PCI_EXP_DEVCTL2_ARI;
	raw[0x50 + PCI_EXP_LNKCTL] = PCI_EXP_LNKCTL_ASPM_L1;
	raw[0x50 + PCI_EXP_LNKCTL2] = PCI_EXP_LNKCTL2_TLS_5_0GT;
	raw[PCI_CACHE_LINE_SIZE] = 0x10, raw[PCI_LATENCY_TIMER] = 0x20;
	raw[0x90] = PCI_CAP_ID_AF, raw[0x91] = 0xa0, raw[0x92] = 6, raw[0x93] = 0x03;
	raw[0xa0] = PCI_CAP_ID_VNDR, raw[0xa1] = 0xb0, raw[0xa2] = 8, raw[0xa4] = 0x5a;
	raw[0xb0] = PCI_CAP_ID_HT, raw[0xb1] = 0xc0, raw[0xb3] = 0x20, raw[0xb4] = 0x11;
	raw[0xc0] = PCI_CAP_ID_EA, raw[0xc1] = 0xd0, raw[0xc2] = 1, raw[0xc4] = 0x22;
	raw[0xd0] = PCI_CAP_ID_PCIX, raw[0xd1] = 0xe0, raw[0xd4] = 0x33;
	raw[0xe0] = PCI_CAP_ID_VPD, raw[0xe1] = 0;
	if (fd >= 0 && pwrite(fd, raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A kvm-assign device on config_file_with_caps()'s function. */
static bool open_with_caps(struct pt_dev *pt)
{
	*pt = (struct pt_dev){ .bdf = "0000:00:04.0" };
	cfg_fd = config_file_with_caps();
	return cfg_fd >= 0 && kvm_assign__setup_config(pt, cfg_fd, -1, recording_ioctl) == 0;
}

/* Device Control's bits the host set that the guest cannot change. */
#define HOST_DEVCTL (PCI_EXP_DEVCTL_PAYLOAD_256B | PCI_EXP_DEVCTL_READRQ_512B | \
		     PCI_EXP_DEVCTL_PHANTOM)
#define FLR_RELAX (PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_RELAX_EN)

static uint32_t device_config(unsigned off, unsigned len)
{
	uint32_t v = 0;

	if (pread(cfg_fd, &v, len, off) != (ssize_t)len)
		return 0xffffffff;
	return v;
}

TEST(a_guest_cannot_reset_or_power_down_the_real_function)
{
	struct pt_dev pt;
	const unsigned devctl = 0x50 + PCI_EXP_DEVCTL, pmcsr = 0x40 + PCI_PM_CTRL;

	EXPECT(open_with_caps(&pt));

	/* Initiate FLR with other Device Control bits: those reach the device, FLR does not. */
	pci_device__cfg_write(&pt.pci, devctl, 2, PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_RELAX_EN);
	EXPECT_EQ(device_config(devctl, 2) & FLR_RELAX, PCI_EXP_DEVCTL_RELAX_EN);
	pci_device__cfg_write(&pt.pci, devctl + 1, 1, PCI_EXP_DEVCTL_BCR_FLR >> 8);
	EXPECT_EQ(device_config(devctl, 2) & FLR_RELAX, PCI_EXP_DEVCTL_RELAX_EN);
	pci_device__cfg_write(&pt.pci, devctl, 4, PCI_EXP_DEVCTL_BCR_FLR);
	EXPECT_EQ(device_config(devctl, 2) & FLR_RELAX, 0);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, devctl, 2) & PCI_EXP_DEVCTL_BCR_FLR, 0);
	/* Advanced Features' Initiate FLR. */
	pci_device__cfg_write(&pt.pci, 0x90 + PCI_AF_CTRL, 1, PCI_AF_CTRL_FLR);
	EXPECT_EQ(device_config(0x90 + PCI_AF_CTRL, 1), 0);

	/* D3hot: the guest reads its own power state back; the device stays in D0. */
	pci_device__cfg_write(&pt.pci, pmcsr, 2, 3 | PCI_PM_CTRL_PME_ENABLE);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, pmcsr, 2), 3 | PCI_PM_CTRL_PME_ENABLE);
	EXPECT_EQ(device_config(pmcsr, 2), 0);
	pci_device__cfg_write(&pt.pci, pmcsr, 2, 0);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, pmcsr, 2) & PCI_PM_CTRL_STATE_MASK, 0);

	/* The capability chain is still whole. */
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, PCI_CAPABILITY_LIST, 1), 0x40);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, 0x91, 1), 0xa0);
	pt.backend->close(&pt);
}

/*
 * The capabilities past Advanced Features, as vfio-pci treats them
 * (vfio_pci_config.c): vendor-specific written raw, HyperTransport read
 * live but never written, Enhanced Allocation and VPD out of the guest's
 * list and read-only, PCI-X's Command writable and its Status not.
 */
TEST(other_capabilities_get_vfio_pcis_permissions)
{
	struct pt_dev pt;

	EXPECT(open_with_caps(&pt));
	pci_device__cfg_write(&pt.pci, 0xa4, 4, 0x12345678);
	EXPECT_EQ(device_config(0xa4, 4), 0x12345678);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, 0xb4, 1), 0x11);
	pci_device__cfg_write(&pt.pci, 0xb4, 4, 0xffffffff);
	EXPECT_EQ(device_config(0xb4, 4), 0x11);
	/* Enhanced Allocation is skipped: the vendor capability leads to HT, HT to PCI-X. */
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, 0xa1, 1), 0xb0);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, 0xb1, 1), 0xd0);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, 0xc0, 2), 0);
	pci_device__cfg_write(&pt.pci, 0xc4, 4, 0xffffffff);
	EXPECT_EQ(device_config(0xc4, 4), 0x22);
	pci_device__cfg_write(&pt.pci, 0xd2, 2, 0x0003);
	EXPECT_EQ(device_config(0xd2, 2), 0x0003);
	pci_device__cfg_write(&pt.pci, 0xd4, 4, 0xffffffff);
	EXPECT_EQ(device_config(0xd4, 4), 0x33);
	/* VPD is hidden (vfio-pci serves it through the kernel's VPD access): PCI-X ends the list. */
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, 0xd1, 1), 0);
	pci_device__cfg_write(&pt.pci, 0xe2, 2, 0x8000);
	EXPECT_EQ(device_config(0xe2, 2), 0);
	pt.backend->close(&pt);
}

TEST(device_control_mps_is_the_guests_own_and_phantom_functions_keep_the_hosts)
{
	struct pt_dev pt;
	const unsigned devctl = 0x50 + PCI_EXP_DEVCTL;

	EXPECT(open_with_caps(&pt));
	/* The guest starts from the host's MPS and MRRS. */
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, devctl, 2), HOST_DEVCTL);
	/* MPS 128 and Correctable Error Reporting on, then Phantom Functions off: byte writes. */
	pci_device__cfg_write(&pt.pci, devctl, 1, PCI_EXP_DEVCTL_CERE);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, devctl, 1), PCI_EXP_DEVCTL_CERE);
	EXPECT_EQ(device_config(devctl, 2), HOST_DEVCTL | PCI_EXP_DEVCTL_CERE);
	pci_device__cfg_write(&pt.pci, devctl + 1, 1, PCI_EXP_DEVCTL_READRQ_512B >> 8);
	EXPECT_EQ(device_config(devctl, 2), HOST_DEVCTL | PCI_EXP_DEVCTL_CERE);
	EXPECT(pci_device__cfg_read(&pt.pci, devctl, 2) & PCI_EXP_DEVCTL_PHANTOM);
	/* MPS 4096 as a dword write over Device Status. */
	pci_device__cfg_write(&pt.pci, devctl, 4, PCI_EXP_DEVCTL_PAYLOAD_4096B |
			      PCI_EXP_DEVCTL_READRQ_512B);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, devctl, 2), PCI_EXP_DEVCTL_PAYLOAD_4096B |
		  PCI_EXP_DEVCTL_READRQ_512B | PCI_EXP_DEVCTL_PHANTOM);
	EXPECT_EQ(device_config(devctl, 2), HOST_DEVCTL);
	pt.backend->close(&pt);
}

TEST(device_control_mrrs_follows_the_guest_but_never_below_the_devices_mps)
{
	static const struct { uint16_t guest, device; } sizes[] = {
		{ PCI_EXP_DEVCTL_READRQ_4096B, PCI_EXP_DEVCTL_READRQ_4096B },
		/* 128 bytes asked, the device's MPS is 256: 256 it is. */
		{ PCI_EXP_DEVCTL_READRQ_128B, PCI_EXP_DEVCTL_READRQ_256B },
		/* A reserved size (encoding 7) leaves the device's as it was. */
		{ PCI_EXP_DEVCTL_READRQ, PCI_EXP_DEVCTL_READRQ_256B },
	};
	const unsigned devctl = 0x50 + PCI_EXP_DEVCTL;
	struct pt_dev pt;

	EXPECT(open_with_caps(&pt));
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pci_device__cfg_write(&pt.pci, devctl, 2, sizes[i].guest);
		/* The guest reads back what it wrote, whatever the device got. */
		EXPECT_EQ(pci_device__cfg_read(&pt.pci, devctl, 2) & PCI_EXP_DEVCTL_READRQ,
			  sizes[i].guest);
		EXPECT_EQ(device_config(devctl, 2) & PCI_EXP_DEVCTL_READRQ, sizes[i].device);
	}
	pt.backend->close(&pt);
}

TEST(device_control_2_ari_forwarding_keeps_the_hosts_and_the_rest_reaches_the_device)
{
	struct pt_dev pt;
	const unsigned devctl2 = 0x50 + PCI_EXP_DEVCTL2;

	EXPECT(open_with_caps(&pt));
	pci_device__cfg_write(&pt.pci, devctl2, 2, PCI_EXP_DEVCTL2_COMP_TIMEOUT);
	EXPECT_EQ(device_config(devctl2, 2), PCI_EXP_DEVCTL2_ARI | PCI_EXP_DEVCTL2_COMP_TIMEOUT);
	pci_device__cfg_write(&pt.pci, devctl2, 1, 0);
	EXPECT_EQ(device_config(devctl2, 2), PCI_EXP_DEVCTL2_ARI);
	pt.backend->close(&pt);
	cfg_fd = config_file_with_caps();
	EXPECT(cfg_fd >= 0);
	EXPECT_EQ(pwrite(cfg_fd, &(uint16_t){ 0 }, 2, devctl2), 2);
	EXPECT_EQ(kvm_assign__setup_config(&pt, cfg_fd, -1, recording_ioctl), 0);
	pci_device__cfg_write(&pt.pci, devctl2, 4, PCI_EXP_DEVCTL2_ARI | PCI_EXP_DEVCTL2_LTR_EN);
	EXPECT_EQ(device_config(devctl2, 2), PCI_EXP_DEVCTL2_LTR_EN);
	pt.backend->close(&pt);
}

TEST(link_and_slot_controls_are_read_only_to_the_guest)
{
	static const struct { unsigned reg, len; uint32_t val; } writes[] = {
		{ PCI_EXP_LNKCTL, 2, PCI_EXP_LNKCTL_ASPM_L0S | PCI_EXP_LNKCTL_RL },
		{ PCI_EXP_LNKCTL, 4, PCI_EXP_LNKCTL_RL | 0xffff0000u }, /* and LNKSTA's W1C bits */
		{ PCI_EXP_LNKCTL2, 2, PCI_EXP_LNKCTL2_TLS_8_0GT | PCI_EXP_LNKCTL2_ENTER_COMP },
		{ PCI_EXP_LNKCTL2, 1, PCI_EXP_LNKCTL2_ENTER_COMP },
		{ PCI_EXP_SLTCTL, 2, PCI_EXP_SLTCTL_PCC | PCI_EXP_SLTCTL_PWR_IND_OFF },
		{ PCI_EXP_RTCTL, 2, PCI_EXP_RTCTL_PMEIE },
		{ PCI_EXP_SLTCTL2, 4, 0xffffffff },
	};
	struct pt_dev pt;
	uint8_t before[PCI_CFG_SPACE_SIZE], after[PCI_CFG_SPACE_SIZE];

	EXPECT(open_with_caps(&pt));
	EXPECT_EQ(pread(cfg_fd, before, sizeof(before), 0), (ssize_t)sizeof(before));
	for (unsigned w = 0; w < sizeof(writes) / sizeof(writes[0]); w++)
		pci_device__cfg_write(&pt.pci, 0x50 + writes[w].reg, writes[w].len, writes[w].val);
	EXPECT_EQ(pread(cfg_fd, after, sizeof(after), 0), (ssize_t)sizeof(after));
	EXPECT(memcmp(before, after, sizeof(before)) == 0);
	/* The guest reads the device's. */
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, 0x50 + PCI_EXP_LNKCTL, 2), PCI_EXP_LNKCTL_ASPM_L1);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, 0x50 + PCI_EXP_LNKCTL2, 2),
		  PCI_EXP_LNKCTL2_TLS_5_0GT);
	pt.backend->close(&pt);
}

TEST(cache_line_size_and_latency_timer_reach_the_device)
{
	struct pt_dev pt;

	EXPECT(open_with_caps(&pt));
	pci_device__cfg_write(&pt.pci, PCI_CACHE_LINE_SIZE, 2, 0x4008);
	EXPECT_EQ(device_config(PCI_CACHE_LINE_SIZE, 2), 0x4008);
	EXPECT_EQ(pci_device__cfg_read(&pt.pci, PCI_CACHE_LINE_SIZE, 2), 0x4008);
	pt.backend->close(&pt);
}
