// SPDX-License-Identifier: GPL-2.0
/* vCPU threads, the KVM_RUN loop and crash reports. */
#include "vcpu.h"
#include "coalesced_pio.h"
#include "exit_codes.h"
#include "log.h"
#include "thread.h"
#include "vcpu_pause.h"
#include "vm_exit.h"
#include "vm_types.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <asm/kvm_para.h>
#include <sys/mman.h>
#include <unistd.h>

static struct kvm_cpuid2 *vcpu_supported_cpuid(int kvm_fd)
{
	for (unsigned nent = 64; nent <= 4096; nent *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));

		if (!c)
			return NULL;
		c->nent = nent;
		if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		free(c);
		if (errno != E2BIG)
			return NULL;
	}
	return NULL;
}

/* CPUID.1:ECX bit 31: "running under a hypervisor" (KVM leaves it to the VMM). */
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
/*
 * CPUID.1:ECX bit 24: the LAPIC timer's TSC-deadline mode. KVM's in-kernel
 * LAPIC emulates it when KVM_CAP_TSC_DEADLINE_TIMER says so, but leaves the
 * bit out of KVM_GET_SUPPORTED_CPUID: the VMM sets it (KVM's api.rst), as
 * QEMU and Firecracker do. Without it Linux calibrates the LAPIC timer
 * against another clock at boot, which under a nested host can fail ("APIC
 * timer disabled due to verification failure"), and then ticks by a
 * broadcast device instead.
 */
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)

/*
 * Of KVM's paravirtual features (leaf 0x40000001 EAX) the guest gets the
 * clock only: kvm-clock and its stable bit, and no port-0x80 delays. The
 * others (async page faults, PV EOI, steal time, PV IPIs and TLB flushes)
 * stay off until each is tested here: with the full set an L1 running a
 * Linux L2 on the legacy backend ended without a word once (a reset).
 */
#define KVM_PV_FEATURES_OFFERED                                                  \
	((1u << KVM_FEATURE_CLOCKSOURCE) | (1u << KVM_FEATURE_NOP_IO_DELAY) |     \
	 (1u << KVM_FEATURE_CLOCKSOURCE2) | (1u << KVM_FEATURE_CLOCKSOURCE_STABLE_BIT))

/*
 * Gives each vCPU its own APIC ID in CPUID (leaf 1 EBX[31:24], leaves
 * 0xb/0x1f EDX) and sets the hypervisor bit, as QEMU does: without it
 * Linux never looks at KVM's leaves at 0x40000000, so it gets no kvm-clock
 * and, finding no PIT/HPET/PM timer to calibrate the TSC against under a
 * nested host, falls back to jiffies (a slow clock and a slow boot).
 */
static void vcpu_cpuid_fixup(struct kvm_cpuid2 *c, unsigned id, bool tsc_deadline)
{
	for (unsigned i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == 1) {
			e->ebx = (e->ebx & 0x00ffffff) | (id << 24);
			e->ecx |= CPUID_1_ECX_HYPERVISOR;
			if (tsc_deadline)
				e->ecx |= CPUID_1_ECX_TSC_DEADLINE;
		} else if (e->function == KVM_CPUID_FEATURES) {
			e->eax &= KVM_PV_FEATURES_OFFERED;
			e->edx = 0; /* KVM_HINTS_REALTIME: no */
		} else if (e->function == 0xb || e->function == 0x1f)
			e->edx = id;
	}
}

int vcpus__create(struct vm *vm, unsigned nr_vcpus)
{
	struct kvm_cpuid2 *cpuid = vcpu_supported_cpuid(vm->kvm_fd);
	int mmap_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	bool tsc_deadline = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0;
	int ret = 0;

	if (!cpuid || mmap_size <= 0) {
		pr_err("KVM_GET_SUPPORTED_CPUID/KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		free(cpuid);
		return -ENOTSUP;
	}
	vm->vcpus = calloc(nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus) {
		free(cpuid);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		*v = (struct vcpu){ .vm = vm, .id = i, .fd = -1 };
		vm->nr_vcpus++;
		v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, i);
		if (v->fd < 0) {
			ret = -errno;
			pr_err("KVM_CREATE_VCPU %u: %s; try fewer --cpus", i, strerror(errno));
			break;
		}
		v->run_size = mmap_size;
		v->run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED) {
			v->run = NULL;
			ret = -errno;
			pr_err("vCPU %u: mapping its kvm_run area: %s", i, strerror(errno));
			break;
		}
		vcpu_cpuid_fixup(cpuid, i, tsc_deadline);
		if (ioctl(v->fd, KVM_SET_CPUID2, cpuid) < 0) {
			ret = -errno;
			pr_err("KVM_SET_CPUID2: %s", strerror(errno));
			break;
		}
	}
	free(cpuid);
	return ret;
}

void vcpus__destroy(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (v->run)
			munmap(v->run, v->run_size);
		if (v->fd >= 0)
			close(v->fd);
	}
	free(vm->vcpus);
	vm->vcpus = NULL;
	vm->nr_vcpus = 0;
}

void vcpu__dump(struct vcpu *vcpu)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(vcpu->fd, KVM_GET_REGS, &r) < 0 || ioctl(vcpu->fd, KVM_GET_SREGS, &s) < 0) {
		pr_err("vCPU %u: cannot read registers: %s", vcpu->id, strerror(errno));
		return;
	}
	/*
	 * On AMD, KVM answers a SHUTDOWN intercept by re-initializing the
	 * vCPU (the VMCB is undefined after it: svm.c shutdown_interception):
	 * what is left is the reset state, not the state that faulted.
	 */
	if (r.rip == 0xfff0 && s.cs.selector == 0xf000 && !(s.cr0 & 1)) {
		pr_err("vCPU %u: registers are the reset state (KVM re-initialized the vCPU, as it does on AMD); the faulting state is lost",
		       vcpu->id);
		return;
	}
	/* Each line an error line of its own (log.h), as a supervisor's log keeps them. */
	pr_err("vCPU %u registers: rip %016llx rsp %016llx rflags %016llx", vcpu->id, r.rip, r.rsp,
	       r.rflags);
	pr_err("vCPU %u registers: rax %016llx rbx %016llx rcx %016llx rdx %016llx", vcpu->id, r.rax,
	       r.rbx, r.rcx, r.rdx);
	pr_err("vCPU %u registers: rsi %016llx rdi %016llx rbp %016llx", vcpu->id, r.rsi, r.rdi, r.rbp);
	pr_err("vCPU %u registers: r8  %016llx r9  %016llx r10 %016llx r11 %016llx", vcpu->id, r.r8,
	       r.r9, r.r10, r.r11);
	pr_err("vCPU %u registers: r12 %016llx r13 %016llx r14 %016llx r15 %016llx", vcpu->id, r.r12,
	       r.r13, r.r14, r.r15);
	pr_err("vCPU %u registers: cr0 %016llx cr2 %016llx cr3 %016llx cr4 %016llx efer %llx",
	       vcpu->id, s.cr0, s.cr2, s.cr3, s.cr4, s.efer);
	pr_err("vCPU %u registers: cs %04x (base %llx l %u db %u) ss %04x idt %llx/%x gdt %llx/%x",
	       vcpu->id, s.cs.selector, s.cs.base, s.cs.l, s.cs.db, s.ss.selector, s.idt.base,
	       s.idt.limit, s.gdt.base, s.gdt.limit);
}

static void vcpu_crash(struct vcpu *vcpu, const char *why)
{
	/*
	 * A guest that asked to reset or power off first gets what it asked
	 * for. Linux's reboot=pci writes 0xcf9, which KVM coalesces with 0xcf8
	 * (coalesced_pio.h): the write is replayed just before this exit is
	 * handled, while Linux has already gone on to its last resort, a
	 * triple fault. That one is not a crash.
	 */
	if (atomic_load(&vcpu->vm->exiting)) {
		pr_debug("vCPU %u: %s, after the guest asked to stop: not a crash", vcpu->id, why);
		return;
	}
	pr_err("vCPU %u: %s", vcpu->id, why);
	vcpu__dump(vcpu);
	vm__request_exit(vcpu->vm, EXIT_GUEST_CRASH);
}

static bool vcpu_handle_io(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	unsigned size = run->io.size;
	uint64_t bytes = (uint64_t)run->io.count * size;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;

	if ((size != 1 && size != 2 && size != 4) ||
	    run->io.data_offset > vcpu->run_size ||
	    bytes > vcpu->run_size - run->io.data_offset) {
		vcpu_crash(vcpu, "malformed port I/O exit");
		return false;
	}
	for (unsigned i = 0; i < run->io.count; i++, data += size)
		bus__access(&vcpu->vm->pio, run->io.port, data, size,
			    run->io.direction == KVM_EXIT_IO_OUT);
	return true;
}

static bool vcpu_handle_mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	unsigned len = run->mmio.len;

	if (len == 0 || len > sizeof(run->mmio.data)) {
		vcpu_crash(vcpu, "MMIO access of impossible width");
		return false;
	}
	if (len & (len - 1)) {
		/*
		 * KVM splits an access that crosses a page into one exit per
		 * page, so a guest's 8-byte access can come as 3 + 5, 6 + 2...
		 * Devices decode 1, 2, 4 and 8 bytes: such a piece goes to
		 * them a byte at a time, as a bus would split it.
		 */
		for (unsigned i = 0; i < len; i++)
			bus__access(&vcpu->vm->mmio, run->mmio.phys_addr + i, run->mmio.data + i, 1,
				    run->mmio.is_write);
		return true;
	}
	bus__access(&vcpu->vm->mmio, run->mmio.phys_addr, run->mmio.data, len,
		    run->mmio.is_write);
	return true;
}

/*
 * Counts an exit for --stats. Only this vCPU's thread writes its counters,
 * so a relaxed load and store do (no locked read-modify-write per exit);
 * stats__print reads them from other threads.
 */
static void vcpu_count(_Atomic uint64_t *counter)
{
	atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

/* Every exit but port I/O and MMIO; false when the vCPU must stop. */
static bool vcpu_handle_other_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	char why[96];

	switch (run->exit_reason) {
	case KVM_EXIT_SHUTDOWN:
		vcpu_crash(vcpu, "guest triple fault (KVM_EXIT_SHUTDOWN)");
		return false;
	case KVM_EXIT_SYSTEM_EVENT:
		if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ||
		    run->system_event.type == KVM_SYSTEM_EVENT_RESET) {
			const char *what = run->system_event.type == KVM_SYSTEM_EVENT_RESET ?
						   "guest-reset" : "guest-power-off";

			if (vm__request_exit_for(vcpu->vm, EXIT_GUEST_POWEROFF, what))
				vm__event(vcpu->vm, what, NULL);
			return false;
		}
		break;
	case KVM_EXIT_HLT:
		/* The in-kernel LAPIC handles HLT; this exit means it cannot wake. */
		vcpu_crash(vcpu, "guest halted with no way to wake it");
		return false;
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(why, sizeof(why), "KVM internal error, suberror %u",
			 run->internal.suberror);
		vcpu_crash(vcpu, why);
		return false;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(why, sizeof(why), "VM entry failed, hardware reason 0x%llx",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		vcpu_crash(vcpu, why);
		return false;
	default:
		break;
	}
	snprintf(why, sizeof(why), "unhandled KVM exit %u", run->exit_reason);
	vcpu_crash(vcpu, why);
	return false;
}

/* One exit; false when the vCPU must stop. */
static bool vcpu_handle_exit(struct vcpu *vcpu)
{
	switch (vcpu->run->exit_reason) {
	case KVM_EXIT_IO:
		vcpu_count(&vcpu->exits_pio);
		return vcpu_handle_io(vcpu);
	case KVM_EXIT_MMIO:
		vcpu_count(&vcpu->exits_mmio);
		return vcpu_handle_mmio(vcpu);
	default:
		vcpu_count(&vcpu->exits_other);
		return vcpu_handle_other_exit(vcpu);
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	sigset_t kick;
	char name[16];

	snprintf(name, sizeof(name), "vcpu%u", vcpu->id);
	pthread_setname_np(pthread_self(), name);
	sigemptyset(&kick);
	sigaddset(&kick, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
	/*
	 * Confined before its first KVM_RUN, which waits (parked, vm__run) for
	 * the main thread to be confined too: no guest instruction runs
	 * before every thread has its filter.
	 */
	vcpu->sandbox = (struct sandbox_thread){ .cls = THREAD_VCPU, .id = vcpu->id,
						 .vcpu_fd = vcpu->fd, .vm_fd = vcpu->vm->vm_fd };
	if (sandbox__enter(&vcpu->sandbox)) {
		vm__request_exit(vcpu->vm, EXIT_HOST);
		return NULL;
	}

	if (vcpu->id == 0 && !atomic_load(&vcpu->vm->exiting))
		vm__event(vcpu->vm, "booted", NULL); /* the first guest instruction comes next */
	while (!atomic_load(&vcpu->vm->exiting)) {
		if (vcpu__park_if_paused(vcpu))
			continue;
		if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			pr_err("vCPU %u: KVM_RUN: %s", vcpu->id, strerror(errno));
			vcpu__dump(vcpu);
			vm__request_exit(vcpu->vm, EXIT_GUEST_CRASH);
			break;
		}
		coalesced_pio__flush(vcpu->vm); /* writes that came before this exit */
		if (!vcpu_handle_exit(vcpu))
			break;
	}
	return NULL;
}

static void vcpu_kick_handler(int sig)
{
	(void)sig;
}

int vcpus__start(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = vcpu_kick_handler };
	sigset_t kick;

	/* No SA_RESTART: KVM_RUN must return EINTR. */
	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
	/* Blocked everywhere but in vCPU threads. */
	sigemptyset(&kick);
	sigaddset(&kick, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &kick, NULL);

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		int err = thread__start(&v->thread, vcpu_thread, v);

		if (err) {
			pr_err("cannot start vCPU %u: %s", i, strerror(err));
			return -err;
		}
		v->thread_started = true;
	}
	return 0;
}

/* vm->exiting is set (vm__request_exit) before this runs. */
void vcpus__stop(struct vm *vm)
{
	pthread_mutex_lock(&vm->pause.lock);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vcpu__kick(&vm->vcpus[i]);
	pthread_mutex_unlock(&vm->pause.lock);
	vm_pause__wake_all(vm);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (v->thread_started)
			pthread_join(v->thread, NULL);
		v->thread_started = false;
	}
}
