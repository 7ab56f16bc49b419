// SPDX-License-Identifier: GPL-2.0
/* The boot vCPU's entry state (vcpu_boot.h). */
#include "vcpu_boot.h"
#include "layout.h"

#include <errno.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <unistd.h>

int vcpu_boot__set_regs(int vcpu_fd, const struct boot_regs *b)
{
	struct kvm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = 0x10,
		.type = 11 /* execute/read, accessed */, .present = 1,
		.dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = code;
	struct kvm_sregs sregs;
	struct kvm_regs regs = {
		.rip = b->rip, .rsp = b->rsp, .rsi = b->rsi, .rbx = b->rbx,
		.rflags = 0x2, /* bit 1 is reserved and reads as one */
	};

	if (ioctl(vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	data.selector = 0x18;
	data.type = 3; /* read/write, accessed */
	data.l = 0;
	data.db = 1;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.gdt.base = BOOT_GDT_ADDR;
	sregs.gdt.limit = 4 * 8 - 1;
	if (b->protected32) {
		/*
		 * PVH: CS a flat 32-bit code segment (GDT 0x08), CR0.PE set and
		 * PG clear, CR4 0, EFER 0. TR keeps KVM's reset value, the
		 * 32-bit busy TSS the ABI asks for.
		 */
		code.selector = 0x08;
		code.l = 0;
		code.db = 1;
		sregs.cs = code;
		sregs.cr3 = 0;
		sregs.cr4 = 0;
		sregs.cr0 = 0x11;             /* ET | PE */
		sregs.efer = 0;
	} else {
		sregs.cs = code;
		sregs.cr3 = BOOT_PML4_ADDR;
		sregs.cr4 = 1u << 5;                  /* PAE */
		sregs.cr0 = 0x80050033;               /* PG | AM | WP | NE | ET | MP | PE */
		sregs.efer = (1u << 8) | (1u << 10);  /* LME | LMA */
	}
	if (ioctl(vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
		return -errno;
	if (ioctl(vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return -errno;
	return 0;
}

bool vcpu_boot__long_mode_only(void)
{
	return access("/sys/module/kvm_pvm", F_OK) == 0;
}
