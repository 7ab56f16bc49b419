// SPDX-License-Identifier: GPL-2.0
/* The host's KVM at EOI, asked by one run of a scratch VM (eoi_probe.h). */
#include "eoi_probe.h"
#include "layout.h"
#include "thread.h"
#include "vcpu_boot.h"

#include <errno.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/*
 * The scratch guest's 64 KiB at GPA 0: the GDT and page tables where
 * vcpu_boot__set_regs expects them (layout.h), one 2 MiB page mapping the
 * low 2 MiB, an IDT, the code and a stack.
 */
#define PROBE_MEM_SIZE  0x10000ULL
#define PROBE_IDT_ADDR  0x5000ULL
#define PROBE_CODE_ADDR 0x6000ULL
#define PROBE_IDTR_ADDR 0x6080ULL
#define PROBE_ISR_ADDR  0x6100ULL
#define PROBE_STACK_TOP 0x8000ULL

/* A PCI INTx GSI: an IOAPIC pin the 8259 does not share (DESIGN.md, machine model). */
#define PROBE_GSI    PCI_INTX_GSI_BASE
#define PROBE_VECTOR 0x40
/* Ports the guest writes: its handler ran, or the wait for the interrupt ended without it. */
#define PROBE_PORT_HANDLER 0xe1
#define PROBE_PORT_NO_IRQ  0xe0

#define IOREDTBL_LEVEL (1u << 15)
#define APIC_REG_SVR   0xf0
#define APIC_SVR_ENABLE 0x100
#define APIC_REG_ISR   0x100

/*
 * The main code: lidt, sti, up to 10^4 pause loops for the interrupt, then
 * "out PROBE_PORT_NO_IRQ". The interrupt is pending in the LAPIC before the
 * run starts, so it is taken right after sti's shadow. The handler reports
 * and spins; it never writes the LAPIC EOI.
 */
static const uint8_t probe_code[] = {
	0x0f, 0x01, 0x1d, 0x79, 0x00, 0x00, 0x00, /* 6000: lidt [rip + 0x79] (6080) */
	0xfb,                                     /* 6007: sti */
	0xb9, 0x10, 0x27, 0x00, 0x00,             /* 6008: mov ecx, 10000 */
	0xf3, 0x90,                               /* 600d: pause */
	0xff, 0xc9,                               /* 600f: dec ecx */
	0x75, 0xfa,                               /* 6011: jnz 600d */
	0xe6, PROBE_PORT_NO_IRQ,                  /* 6013: out PROBE_PORT_NO_IRQ, al */
	0xeb, 0xfe,                               /* 6015: jmp . */
};
static const uint8_t probe_isr[] = {
	0xe6, PROBE_PORT_HANDLER, /* out PROBE_PORT_HANDLER, al */
	0xeb, 0xfe,               /* jmp . */
};

static void probe_write_guest(uint8_t *mem)
{
	/* As x86_boot__write_gdt_and_page_tables: 0x10 64-bit code, 0x18 data. */
	static const uint64_t gdt[4] = {
		0, 0x00cf9b000000ffffULL, 0x00af9b000000ffffULL, 0x00cf93000000ffffULL,
	};
	uint64_t *pml4 = (uint64_t *)(mem + BOOT_PML4_ADDR);
	uint64_t *pdpt = (uint64_t *)(mem + BOOT_PDPT_ADDR);
	uint64_t *pd = (uint64_t *)(mem + BOOT_PD_ADDR);
	uint64_t *idt = (uint64_t *)(mem + PROBE_IDT_ADDR) + 2 * PROBE_VECTOR;
	uint8_t *idtr = mem + PROBE_IDTR_ADDR;
	uint16_t idt_limit = 256 * 16 - 1;
	uint64_t idt_base = PROBE_IDT_ADDR;

	memcpy(mem + BOOT_GDT_ADDR, gdt, sizeof(gdt));
	pml4[0] = BOOT_PDPT_ADDR | 0x3;   /* present, writable */
	pdpt[0] = BOOT_PD_ADDR | 0x3;
	pd[0] = 0x83;                     /* 2 MiB page at 0 */
	/* A 64-bit interrupt gate (SDM 6.14.1): offset, selector 0x10, type 0xe, present. */
	idt[0] = (PROBE_ISR_ADDR & 0xffff) | 0x10ULL << 16 | 0x8eULL << 40 |
		 (PROBE_ISR_ADDR >> 16 & 0xffff) << 48;
	idt[1] = PROBE_ISR_ADDR >> 32;
	memcpy(idtr, &idt_limit, 2);
	memcpy(idtr + 2, &idt_base, 8);
	memcpy(mem + PROBE_CODE_ADDR, probe_code, sizeof(probe_code));
	memcpy(mem + PROBE_ISR_ADDR, probe_isr, sizeof(probe_isr));
}

/*
 * The CPUID a long-mode vCPU needs: KVM refuses EFER.LME unless the guest's
 * CPUID has long mode (kvm_valid_efer), and nothing else is looked at.
 */
static int probe_set_cpuid(int vcpu_fd)
{
	/* Room for the header and its two entries (a struct ending in a flexible array). */
	union {
		struct kvm_cpuid2 c;
		uint8_t room[sizeof(struct kvm_cpuid2) + 2 * sizeof(struct kvm_cpuid_entry2)];
	} cpuid = { .c.nent = 2 };

	cpuid.c.entries[0] = (struct kvm_cpuid_entry2){ .function = 0x80000000, .eax = 0x80000001 };
	cpuid.c.entries[1] = (struct kvm_cpuid_entry2){ .function = 0x80000001, .edx = 1u << 29 /* LM */ };
	return ioctl(vcpu_fd, KVM_SET_CPUID2, &cpuid) < 0 ? -errno : 0;
}

static int probe_enable_lapic(int vcpu_fd)
{
	struct kvm_lapic_state lapic;
	uint32_t svr;

	if (ioctl(vcpu_fd, KVM_GET_LAPIC, &lapic) < 0)
		return -errno;
	memcpy(&svr, lapic.regs + APIC_REG_SVR, 4);
	svr |= APIC_SVR_ENABLE | 0xff;
	memcpy(lapic.regs + APIC_REG_SVR, &svr, 4);
	return ioctl(vcpu_fd, KVM_SET_LAPIC, &lapic) < 0 ? -errno : 0;
}

/* The pin to PROBE_VECTOR, level-triggered, active high, unmasked, to APIC ID 0. */
static int probe_route_pin(int vm_fd)
{
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_IOAPIC };

	if (ioctl(vm_fd, KVM_GET_IRQCHIP, &chip) < 0)
		return -errno;
	chip.chip.ioapic.redirtbl[PROBE_GSI].bits = PROBE_VECTOR | IOREDTBL_LEVEL;
	return ioctl(vm_fd, KVM_SET_IRQCHIP, &chip) < 0 ? -errno : 0;
}

static int probe_pulse(int vm_fd)
{
	struct kvm_irq_level high = { .irq = PROBE_GSI, .level = 1 };
	struct kvm_irq_level low = { .irq = PROBE_GSI, .level = 0 };

	if (ioctl(vm_fd, KVM_IRQ_LINE, &high) < 0 || ioctl(vm_fd, KVM_IRQ_LINE, &low) < 0)
		return -errno;
	return 0;
}

/* Runs the vCPU to its first port write; the port, or negative errno / -EIO for another exit. */
static int probe_run(int vcpu_fd, struct kvm_run *run)
{
	for (int tries = 0; tries < 4; tries++) {
		if (ioctl(vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (run->exit_reason == KVM_EXIT_IO)
			return run->io.port;
		if (run->exit_reason != KVM_EXIT_INTR)
			return -EIO;
	}
	return -EINTR;
}

/* After the handler ran: the pin's remote IRR, and the vector's ISR bit. */
static int probe_read_state(int vm_fd, int vcpu_fd, bool *remote_irr, bool *in_service)
{
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_IOAPIC };
	struct kvm_lapic_state lapic;
	uint32_t isr;

	if (ioctl(vm_fd, KVM_GET_IRQCHIP, &chip) < 0 || ioctl(vcpu_fd, KVM_GET_LAPIC, &lapic) < 0)
		return -errno;
	*remote_irr = chip.chip.ioapic.redirtbl[PROBE_GSI].fields.remote_irr;
	memcpy(&isr, lapic.regs + APIC_REG_ISR + 0x10 * (PROBE_VECTOR / 32), 4);
	*in_service = isr & (1u << (PROBE_VECTOR % 32));
	return 0;
}

static long probe_us_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000;
}

static void probe_unknown(struct eoi_probe *p, const char *step, int err)
{
	p->eoi = KVM_EOI_UNKNOWN;
	snprintf(p->detail, sizeof(p->detail), "%s: %s", step,
		 err == -EIO ? "unexpected exit" : strerror(-err));
}

static void *probe_destroy_scratch(void *opaque)
{
	struct eoi_probe *p = opaque;

	if (p->scratch.run)
		munmap(p->scratch.run, p->scratch.run_size);
	if (p->scratch.vcpu_fd >= 0)
		close(p->scratch.vcpu_fd);
	if (p->scratch.vm_fd >= 0)
		close(p->scratch.vm_fd);
	if (p->scratch.mem)
		munmap(p->scratch.mem, PROBE_MEM_SIZE);
	return NULL;
}

/* ioctl's result as 0 or negative errno. */
static int probe_ioctl_ret(int r)
{
	return r < 0 ? -errno : 0;
}

/*
 * Builds the scratch VM in p->scratch and runs it: the port its vCPU wrote
 * (PROBE_PORT_*), or negative errno with *step naming what failed. The
 * memory slot goes in before the irqchip: in the other order
 * KVM_SET_USER_MEMORY_REGION took 6-10 ms on kvm_pvm (an SRCU grace period
 * under load), in this one about 50 us; the cost moves to the VM's
 * destruction, which runs on a thread of its own (eoi_probe__run).
 */
static int probe_scratch_vm(int kvm_fd, struct eoi_probe *p, const char **step)
{
	int mmap_size, ret;
	void *m;

	*step = "KVM_CREATE_VM";
	p->scratch.vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (p->scratch.vm_fd < 0)
		return -errno;
	ioctl(p->scratch.vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR); /* VMX without unrestricted guests */
	*step = "the scratch guest's memory";
	m = mmap(NULL, PROBE_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	p->scratch.mem = m;
	probe_write_guest(m);
	ret = probe_ioctl_ret(ioctl(p->scratch.vm_fd, KVM_SET_USER_MEMORY_REGION,
				    &(struct kvm_userspace_memory_region){
					    .memory_size = PROBE_MEM_SIZE,
					    .userspace_addr = (uintptr_t)m }));
	if (ret)
		return ret;
	*step = "KVM_CREATE_IRQCHIP";
	ret = probe_ioctl_ret(ioctl(p->scratch.vm_fd, KVM_CREATE_IRQCHIP, 0));
	if (ret)
		return ret;
	*step = "KVM_CREATE_VCPU";
	mmap_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	p->scratch.vcpu_fd = ioctl(p->scratch.vm_fd, KVM_CREATE_VCPU, 0);
	if (p->scratch.vcpu_fd < 0 || mmap_size <= 0)
		return -errno;
	m = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, p->scratch.vcpu_fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	p->scratch.run = m;
	p->scratch.run_size = mmap_size;

	*step = "the vCPU's long-mode state";
	ret = probe_set_cpuid(p->scratch.vcpu_fd);
	if (!ret)
		ret = vcpu_boot__set_regs(p->scratch.vcpu_fd,
					  &(struct boot_regs){ .rip = PROBE_CODE_ADDR,
							       .rsp = PROBE_STACK_TOP });
	if (ret)
		return ret;
	*step = "programming the LAPIC and the IOAPIC";
	ret = probe_enable_lapic(p->scratch.vcpu_fd);
	if (!ret)
		ret = probe_route_pin(p->scratch.vm_fd);
	if (!ret)
		ret = probe_pulse(p->scratch.vm_fd);
	if (ret)
		return ret;
	*step = "KVM_RUN of the scratch guest";
	return probe_run(p->scratch.vcpu_fd, p->scratch.run);
}

/* After the run: the verdict. */
static void probe_judge(struct eoi_probe *p, int port, const char *step)
{
	bool remote_irr;
	int ret;

	if (port == PROBE_PORT_NO_IRQ) {
		snprintf(p->detail, sizeof(p->detail),
			 "the scratch guest never took the pulsed interrupt");
		return;
	}
	if (port != PROBE_PORT_HANDLER) {
		probe_unknown(p, step, port < 0 ? port : -EIO);
		return;
	}
	ret = probe_read_state(p->scratch.vm_fd, p->scratch.vcpu_fd, &remote_irr, &p->in_service);
	if (ret) {
		probe_unknown(p, "reading the IOAPIC and LAPIC back", ret);
		return;
	}
	p->eoi = remote_irr ? KVM_EOI_AT_GUEST_EOI : KVM_EOI_AT_INJECTION;
	snprintf(p->detail, sizeof(p->detail),
		 "in a handler that never EOIs: remote IRR %s, the vector %s the LAPIC's ISR",
		 remote_irr ? "set" : "clear", p->in_service ? "in" : "not in");
}

void eoi_probe__run(int kvm_fd, struct eoi_probe *p)
{
	const char *step;
	struct timespec t0;
	int port;

	*p = (struct eoi_probe){ .eoi = KVM_EOI_UNKNOWN,
				 .scratch = { .vm_fd = -1, .vcpu_fd = -1 } };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	port = probe_scratch_vm(kvm_fd, p, &step);
	probe_judge(p, port, step);
	p->elapsed_us = probe_us_since(&t0);
	/*
	 * When the probe cannot tell, the one KVM known to EOI at injection
	 * decides: kvm_pvm's module (vcpu_boot__long_mode_only looks for it).
	 */
	if (p->eoi == KVM_EOI_UNKNOWN && vcpu_boot__long_mode_only()) {
		size_t used = strlen(p->detail);

		p->eoi = KVM_EOI_AT_INJECTION;
		snprintf(p->detail + used, sizeof(p->detail) - used,
			 "; taken from the kvm_pvm module, which does");
	}
	/*
	 * Destroying a KVM VM waits for grace periods (15 ms on kvm_pvm under
	 * load): a thread of its own does it while pcivmm goes on.
	 */
	p->scratch.destroying = !thread__start(&p->scratch.destroyer, probe_destroy_scratch, p);
	if (!p->scratch.destroying)
		probe_destroy_scratch(p);
}

void eoi_probe__finish(struct eoi_probe *p)
{
	if (p->scratch.destroying)
		pthread_join(p->scratch.destroyer, NULL);
	p->scratch.destroying = false;
}

const char *eoi_probe__verdict(const struct eoi_probe *p)
{
	switch (p->eoi) {
	case KVM_EOI_AT_GUEST_EOI:
		return "ends a level-triggered interrupt at the guest's EOI, as the IOAPIC specifies";
	case KVM_EOI_AT_INJECTION:
		return "EOIs a level-triggered interrupt itself as it injects it, before the guest's handler runs";
	default:
		return "not known (the probe could not tell)";
	}
}
