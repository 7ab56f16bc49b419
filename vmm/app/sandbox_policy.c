// SPDX-License-Identifier: GPL-2.0
/*
 * What each thread class may call (vmm/platform/sandbox.h has the
 * mechanism). Found by tracing every kvm-suite case and the nested jobs
 * (strace -ff per thread) and by reading each call site; doc/attack-surface.md
 * lists it per thread. A call missing here ends the VM with one line naming
 * it (--seccomp on) or is logged by the kernel (--seccomp log).
 *
 * ioctl is allowed per request number (compared on its low 32 bits: the
 * kernel's ioctl takes an unsigned int command) and, where the fd is known
 * when the thread starts, per fd: a vCPU thread's vCPU ioctls name its own
 * vCPU fd only, VM ioctls the VM fd only. VFIO fds come and go with
 * hot-plug, so VFIO requests are allowed on any fd.
 */
#include "sandbox_policy.h"

#include <errno.h>
#include <linux/kvm.h>
#include <linux/vfio.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Legacy assignment's request (uapi numbers kept in <linux/kvm.h>). */
#ifndef KVM_ASSIGN_SET_INTX_MASK
#define KVM_ASSIGN_SET_INTX_MASK _IOW(KVMIO, 0xa4, struct kvm_assigned_pci_dev)
#endif

static const struct run_as *run_as;

/* Every thread: memory, locks, its own signals, the clock, stdio and eventfd writes, exit. */
static const int common_calls[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev), SCMP_SYS(close),
	SCMP_SYS(futex), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mprotect), SCMP_SYS(mremap),
	SCMP_SYS(madvise), SCMP_SYS(brk), SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(restart_syscall), SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep), SCMP_SYS(gettid), SCMP_SYS(getpid),
	SCMP_SYS(sched_yield), SCMP_SYS(newfstatat), SCMP_SYS(fstat), SCMP_SYS(lseek),
	SCMP_SYS(getrandom),
};

/* A vCPU thread: its device models' calls (config through VFIO, MSI set-up, timers). */
static const int vcpu_calls[] = {
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(eventfd2), SCMP_SYS(timerfd_settime),
	SCMP_SYS(epoll_ctl), SCMP_SYS(poll), SCMP_SYS(ppoll),
};

/*
 * The main thread: the event loop, the API's connections, the console,
 * hot-plug (opening a device's sysfs and VFIO files, starting its DMA
 * thread) and the teardown.
 */
static const int main_calls[] = {
	SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_ctl), SCMP_SYS(epoll_create1),
	SCMP_SYS(accept4), SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(sendto),
	SCMP_SYS(sendmsg), SCMP_SYS(shutdown), SCMP_SYS(getsockopt), SCMP_SYS(setsockopt),
	SCMP_SYS(fcntl), SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(timerfd_create),
	SCMP_SYS(timerfd_settime), SCMP_SYS(timerfd_gettime), SCMP_SYS(eventfd2),
	SCMP_SYS(signalfd4), SCMP_SYS(openat), SCMP_SYS(getdents64), SCMP_SYS(readlink),
	SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2), SCMP_SYS(statfs),
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(unlink), SCMP_SYS(rename),
	SCMP_SYS(mkdir), SCMP_SYS(fsync), SCMP_SYS(ftruncate), SCMP_SYS(dup),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigtimedwait), SCMP_SYS(getpgrp), SCMP_SYS(getuid),
	SCMP_SYS(geteuid), SCMP_SYS(prlimit64), SCMP_SYS(sysinfo),
	/* A thread it starts (a hot-plugged device's DMA mapping) runs these before its own filter. */
	SCMP_SYS(clone3), SCMP_SYS(set_robust_list), SCMP_SYS(rseq),
};

/* vCPU ioctls a vCPU thread makes on its own fd: run, and the register dump of a crash. */
static const unsigned long vcpu_fd_requests[] = { KVM_RUN, KVM_GET_REGS, KVM_GET_SREGS };

/* VM ioctls of a running VM: interrupts, MSI routes and irqfds, BAR moves, legacy INTx mask. */
static const unsigned long vm_fd_requests[] = {
	KVM_IRQ_LINE, KVM_SIGNAL_MSI, KVM_SET_GSI_ROUTING, KVM_IRQFD, KVM_SET_USER_MEMORY_REGION,
	KVM_ASSIGN_SET_INTX_MASK, KVM_CHECK_EXTENSION,
};

/* The legacy assignment backend's set-up and teardown (main: hot-plug, unplug, exit). */
static const unsigned long vm_fd_assign_requests[] = {
	KVM_ASSIGN_PCI_DEVICE, KVM_DEASSIGN_PCI_DEVICE, KVM_ASSIGN_DEV_IRQ, KVM_DEASSIGN_DEV_IRQ,
};

/* What a vCPU's device models ask of a VFIO device: MSI/MSI-X/INTx set-up, reset. */
static const unsigned long vfio_device_requests[] = {
	VFIO_DEVICE_SET_IRQS, VFIO_DEVICE_RESET, VFIO_DEVICE_GET_IRQ_INFO,
	VFIO_DEVICE_GET_REGION_INFO,
};

/* And the main thread's: opening a hot-plugged device and its group, DMA maps. */
static const unsigned long vfio_open_requests[] = {
	VFIO_GET_API_VERSION, VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU, VFIO_GROUP_GET_STATUS,
	VFIO_GROUP_SET_CONTAINER, VFIO_GROUP_UNSET_CONTAINER, VFIO_GROUP_GET_DEVICE_FD,
	VFIO_DEVICE_GET_INFO, VFIO_IOMMU_MAP_DMA, VFIO_IOMMU_UNMAP_DMA,
};

/* The console: raw mode and its restore at exit (console.c). */
static const unsigned long tty_requests[] = { TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGPGRP };

static const unsigned long dma_requests[] = { VFIO_IOMMU_MAP_DMA, VFIO_IOMMU_UNMAP_DMA };

static int allow_calls(scmp_filter_ctx ctx, const int *calls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0);

		if (ret)
			return ret;
	}
	return 0;
}

/* ioctl(fd, request) for each request; fd < 0: on any fd. */
static int allow_ioctls(scmp_filter_ctx ctx, int fd, const unsigned long *req, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct scmp_arg_cmp cmd = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, req[i] & 0xffffffffUL);
		int ret = fd < 0 ? seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, cmd)
				 : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
						    SCMP_A0(SCMP_CMP_EQ, (unsigned long)fd), cmd);

		if (ret)
			return ret;
	}
	return 0;
}

/*
 * glibc's setuid/setgid/setgroups change every thread (each one makes the
 * call itself, signalled by glibc): a DMA thread already filtered when the
 * privilege drop comes must be able to, to the drop's own IDs only.
 */
static int allow_privilege_drop(scmp_filter_ctx ctx)
{
	int ret;

	if (!run_as || !run_as->have_user)
		return 0;
	ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setgroups), 1, SCMP_A0(SCMP_CMP_EQ, 0));
	if (!ret)
		ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setgid), 1,
				       SCMP_A0(SCMP_CMP_EQ, run_as->gid));
	if (!ret)
		ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setuid), 1,
				       SCMP_A0(SCMP_CMP_EQ, run_as->uid));
	return ret;
}

/*
 * tgkill only within pcivmm (pthread_kill: the vCPU kick, a thread's
 * abort): as root it could signal any process on the host.
 */
static int allow_own_tgkill(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				SCMP_A0(SCMP_CMP_EQ, (unsigned long)getpid()));
}

/* clone only for a thread (what pthread_create asks), never a process. */
static int allow_thread_clone(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
}

#define ALLOW_CALLS(ctx, a) allow_calls(ctx, a, ARRAY_SIZE(a))
#define ALLOW_IOCTLS(ctx, fd, a) allow_ioctls(ctx, fd, a, ARRAY_SIZE(a))

static int policy_vcpu(scmp_filter_ctx ctx, const struct sandbox_thread *t)
{
	int ret = ALLOW_CALLS(ctx, vcpu_calls);

	if (!ret)
		ret = ALLOW_IOCTLS(ctx, t->vcpu_fd, vcpu_fd_requests);
	if (!ret)
		ret = ALLOW_IOCTLS(ctx, t->vm_fd, vm_fd_requests);
	if (!ret)
		ret = ALLOW_IOCTLS(ctx, -1, vfio_device_requests);
	return ret;
}

static int policy_main(scmp_filter_ctx ctx, const struct sandbox_thread *t)
{
	int ret = ALLOW_CALLS(ctx, main_calls);

	if (!ret)
		ret = allow_thread_clone(ctx);
	if (!ret)
		ret = ALLOW_IOCTLS(ctx, t->vm_fd, vm_fd_requests);
	if (!ret)
		ret = ALLOW_IOCTLS(ctx, t->vm_fd, vm_fd_assign_requests);
	if (!ret)
		ret = ALLOW_IOCTLS(ctx, -1, vfio_device_requests);
	if (!ret)
		ret = ALLOW_IOCTLS(ctx, -1, vfio_open_requests);
	if (!ret)
		ret = ALLOW_IOCTLS(ctx, -1, tty_requests);
	return ret;
}

static int policy_dma(scmp_filter_ctx ctx, const struct sandbox_thread *t)
{
	int ret = ALLOW_IOCTLS(ctx, -1, dma_requests);

	(void)t;
	if (!ret)
		ret = allow_privilege_drop(ctx);
	return ret;
}

static int sandbox_policy(void *ctx, const struct sandbox_thread *t)
{
	int ret = ALLOW_CALLS(ctx, common_calls);

	if (!ret && t->cls != THREAD_DMA)
		ret = allow_own_tgkill(ctx);
	if (ret)
		return ret;
	switch (t->cls) {
	case THREAD_VCPU: return policy_vcpu(ctx, t);
	case THREAD_MAIN: return policy_main(ctx, t);
	case THREAD_DMA: return policy_dma(ctx, t);
	default: return -EINVAL;
	}
}

int sandbox_policy__configure(enum sandbox_mode mode, const struct run_as *r)
{
	run_as = r;
	return sandbox__configure(mode, sandbox_policy);
}
