// SPDX-License-Identifier: GPL-2.0
#include "vm.h"
#include "coalesced_pio.h"
#include "irq_routing.h"
#include "exit_codes.h"
#include "layout.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* Intel VMX needs a 3-page TSS region below 4 GiB (layout.h); harmless elsewhere. */

static int vm_add_ram_slots(struct vm *vm)
{
	for (unsigned i = 0; i < vm->mem.nr_regions; i++) {
		const struct guest_mem_region *r = &vm->mem.regions[i];
		struct kvm_userspace_memory_region slot = {
			.slot = i,
			.guest_phys_addr = r->gpa,
			.memory_size = r->size,
			.userspace_addr = (uintptr_t)r->hva,
		};

		if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
			return -errno;
		vm->slots_used |= 1ULL << i;
	}
	return 0;
}

int vm__map_slot(struct vm *vm, uint64_t gpa, uint64_t size, void *hva)
{
	return vm__map_slot_flags(vm, gpa, size, hva, 0);
}

int vm__map_slot_flags(struct vm *vm, uint64_t gpa, uint64_t size, void *hva, uint32_t flags)
{
	struct kvm_userspace_memory_region r = {
		.flags = flags, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};
	int slot, ret;

	if (vm__described_only(vm))
		return 0; /* nothing to map: no guest will run */
	pthread_mutex_lock(&vm->slots_lock);
	for (slot = 0; slot < 64 && (vm->slots_used & (1ULL << slot)); slot++)
		;
	if (slot == 64) {
		ret = -ENOSPC;
	} else {
		r.slot = slot;
		ret = ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : slot;
		if (ret >= 0)
			vm->slots_used |= 1ULL << slot;
	}
	pthread_mutex_unlock(&vm->slots_lock);
	return ret;
}

int vm__set_slot_mapped(struct vm *vm, int *slot, uint64_t gpa, uint64_t size, void *hva,
			bool map)
{
	int r = 0;

	if (*slot >= 0)
		vm__unmap_slot(vm, *slot);
	*slot = -1;
	if (map) {
		r = vm__map_slot(vm, gpa, size, hva);
		if (r >= 0) {
			*slot = r;
			r = 0;
		}
	}
	return r;
}

void vm__unmap_slot(struct vm *vm, int slot)
{
	/* A zero-sized region deletes the slot. */
	struct kvm_userspace_memory_region r = { .slot = slot };

	if (vm__described_only(vm))
		return;
	pthread_mutex_lock(&vm->slots_lock);
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		pr_warn_ratelimited("deleting memslot %d: %s", slot, strerror(errno));
	vm->slots_used &= ~(1ULL << slot);
	pthread_mutex_unlock(&vm->slots_lock);
}

static int vm_check_caps(struct vm *vm)
{
	static const struct {
		int cap;
		const char *name;
	} needed[] = {
		{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP" },
		{ KVM_CAP_IRQFD, "KVM_CAP_IRQFD" },
		{ KVM_CAP_IRQFD_RESAMPLE, "KVM_CAP_IRQFD_RESAMPLE" },
		{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	};

	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, needed[i].cap) <= 0) {
			pr_err("/dev/kvm lacks %s; pcivmm needs a kernel with it",
			       needed[i].name);
			return -ENOTSUP;
		}
	}
	return 0;
}

/* What every machine has, described or run: RAM, buses, the event loop. */
static int vm_init_common(struct vm *vm, uint64_t mem_size)
{
	int ret;

	ret = guest_mem__init(&vm->mem, mem_size);
	if (ret) {
		pr_err("cannot allocate %llu MiB of guest RAM: %s; use a smaller --mem",
		       (unsigned long long)(mem_size >> 20), strerror(-ret));
		return ret;
	}
	ret = event_loop__init(&vm->loop);
	if (ret) {
		pr_err("epoll_create1: %s", strerror(-ret));
		return ret;
	}
	vm->exit_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->exit_efd < 0) {
		ret = -errno;
		pr_err("eventfd: %s", strerror(errno));
		return ret;
	}
	return 0;
}

static void vm_init_empty(struct vm *vm)
{
	*vm = (struct vm){ .kvm_fd = -1, .vm_fd = -1, .exit_efd = -1 };
	pthread_mutex_init(&vm->exit_lock, NULL);
	pthread_mutex_init(&vm->slots_lock, NULL);
	pthread_mutex_init(&vm->coalesced.lock, NULL);
	vm_pause__init(vm);
	bus__init(&vm->pio, "pio");
	bus__init(&vm->mmio, "mmio");
	vm->loop.epfd = -1;
}

int vm__create_described(struct vm *vm, uint64_t mem_size)
{
	vm_init_empty(vm);
	return vm_init_common(vm, mem_size);
}

int vm__create(struct vm *vm, uint64_t mem_size, unsigned nr_vcpus)
{
	struct kvm_pit_config pit = { .flags = 0 };
	int ret;

	vm_init_empty(vm);
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		ret = -errno;
		/* The node exists but is not ours (Debian: root:kvm 0660), or there is no KVM. */
		if (ret == -EACCES || ret == -EPERM)
			pr_err("/dev/kvm: %s; add the user to the kvm group (usermod -aG kvm USER, then log in again) or run as root",
			       strerror(-ret));
		else
			pr_err("/dev/kvm: %s; load kvm-intel or kvm-amd (modprobe), or enable virtualization in the firmware",
			       strerror(-ret));
		return ret;
	}
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		pr_err("/dev/kvm: unexpected KVM API version");
		return -ENOTSUP;
	}
	ret = vm_check_caps(vm);
	if (ret)
		return ret;
	eoi_probe__run(vm->kvm_fd, &vm->eoi);
	pr_debug("host KVM %s (%s; probed in %ld us)", eoi_probe__verdict(&vm->eoi),
		 vm->eoi.detail, vm->eoi.elapsed_us);

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		ret = -errno;
		pr_err("KVM_CREATE_VM: %s", strerror(errno));
		return ret;
	}
	ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR);

	/*
	 * A full in-kernel irqchip (PIC + IOAPIC + LAPIC), not a split one:
	 * resampling irqfds need KVM's IOAPIC to see the guest's EOI.
	 */
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
		ret = -errno;
		pr_err("KVM_CREATE_IRQCHIP: %s", strerror(errno));
		return ret;
	}
	/*
	 * Linux calibrates its timers against the PIT and test guests use its
	 * channel 2: without one they hang, so it is not optional.
	 */
	if (ioctl(vm->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
		ret = -errno;
		pr_err("KVM_CREATE_PIT2: %s", strerror(errno));
		return ret;
	}
	ret = vm_init_common(vm, mem_size);
	if (ret)
		return ret;
	ret = vm_add_ram_slots(vm);
	if (ret) {
		pr_err("KVM_SET_USER_MEMORY_REGION: %s", strerror(-ret));
		return ret;
	}
	return vcpus__create(vm, nr_vcpus);
}

void vm__add_teardown(struct vm *vm, vm_teardown_fn fn, void *opaque)
{
	if (vm->nr_teardowns == VM_MAX_TEARDOWNS) {
		/* A programming error: the table is sized for every device. */
		pr_err("internal: too many teardown hooks");
		abort();
	}
	vm->teardowns[vm->nr_teardowns].fn = fn;
	vm->teardowns[vm->nr_teardowns].opaque = opaque;
	vm->nr_teardowns++;
}

int vm__run_teardown_now(struct vm *vm, vm_teardown_fn fn, void *opaque)
{
	for (unsigned i = vm->nr_teardowns; i-- > 0;) {
		if (vm->teardowns[i].fn != fn || vm->teardowns[i].opaque != opaque)
			continue;
		memmove(&vm->teardowns[i], &vm->teardowns[i + 1],
			(vm->nr_teardowns - i - 1) * sizeof(vm->teardowns[0]));
		vm->nr_teardowns--;
		fn(vm, opaque);
		return 0;
	}
	return -ENOENT;
}

static void vm_run_teardowns(struct vm *vm)
{
	while (vm->nr_teardowns) {
		vm->nr_teardowns--;
		vm->teardowns[vm->nr_teardowns].fn(vm, vm->teardowns[vm->nr_teardowns].opaque);
	}
}

void vm__destroy(struct vm *vm)
{
	vm_run_teardowns(vm);
	vcpus__destroy(vm);
	eoi_probe__finish(&vm->eoi);
	event_loop__exit(&vm->loop);
	if (vm->exit_efd >= 0)
		close(vm->exit_efd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	irq_routing__exit(vm);
	guest_mem__exit(&vm->mem);
	bus__exit(&vm->pio);
	bus__exit(&vm->mmio);
	vm->vm_fd = vm->kvm_fd = vm->exit_efd = -1;
}

void vm__exit_counts(struct vm *vm, struct vm_exit_counts *c)
{
	*c = (struct vm_exit_counts){ .coalesced = vm->coalesced.replayed };
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		c->pio += vm->vcpus[i].exits_pio;
		c->mmio += vm->vcpus[i].exits_mmio;
		c->other += vm->vcpus[i].exits_other;
	}
}

static void vm_on_exit_request(void *opaque, uint32_t events)
{
	struct vm *vm = opaque;
	uint64_t v;

	(void)events;
	if (read(vm->exit_efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		pr_warn("exit eventfd: %s", strerror(errno));
}

struct vm_signals {
	struct vm *vm;
	int fd;
};

static void vm_on_signal(void *opaque, uint32_t events)
{
	struct vm_signals *s = opaque;
	struct signalfd_siginfo si;

	(void)events;
	if (read(s->fd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGUSR1) {
		if (s->vm->report)
			s->vm->report(s->vm);
		else
			pr_info("SIGUSR1: the counts are kept only with --stats; the VM runs on");
		return;
	}
	pr_info("stopping on signal %u", si.ssi_signo);
	vm__request_exit(s->vm, EXIT_SIGNAL);
}

static void vm_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1); /* prints --stats, keeps running */
}

void vm__hold_signals(void)
{
	sigset_t set;

	vm_stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int vm__run(struct vm *vm)
{
	struct vm_signals sig = { vm, -1 };
	sigset_t stop_signals;
	int ret;

	/*
	 * SIGINT/SIGTERM/SIGHUP are taken through a signalfd by the main
	 * thread, so an interrupted run still unwinds every device (no device
	 * left masked or bound half-way). They have been blocked since before
	 * setup (vm__hold_signals), and every thread inherits the mask: one
	 * that came during setup is pending, and read below before any vCPU
	 * runs.
	 */
	vm_stop_signals(&stop_signals);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	sig.fd = signalfd(-1, &stop_signals, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sig.fd < 0 || event_loop__add(&vm->loop, sig.fd, vm_on_signal, &sig) ||
	    event_loop__add(&vm->loop, vm->exit_efd, vm_on_exit_request, vm)) {
		pr_err("cannot set up the event loop: %s", strerror(errno));
		ret = EXIT_HOST;
		goto out;
	}

	/* A signal that came during setup stops the VM before it runs. */
	if (event_loop__run_once(&vm->loop, 0) < 0)
		vm__request_exit(vm, EXIT_HOST);
	/*
	 * The sandbox (sandbox.h): the probe's last thread gone, the vCPU
	 * threads start parked (each confines itself first), the main thread
	 * confines itself, and only then does the guest run.
	 */
	eoi_probe__finish(&vm->eoi);
	atomic_store(&vm->pause.requested, true);
	ret = atomic_load(&vm->exiting) ? 0 : vcpus__start(vm);
	vm->main_sandbox = (struct sandbox_thread){ .cls = THREAD_MAIN, .vcpu_fd = -1,
						    .vm_fd = vm->vm_fd };
	if (!ret)
		ret = sandbox__enter(&vm->main_sandbox);
	/* A failure stops the VM before the parked vCPUs are let go: no guest instruction runs. */
	if (ret)
		vm__request_exit(vm, EXIT_HOST);
	vm_pause__release_start(vm);
	if (!atomic_load(&vm->exiting))
		pr_debug("vCPUs started");
	while (!atomic_load(&vm->exiting)) {
		ret = event_loop__run_once(&vm->loop, coalesced_pio__active(vm) ?
							      COALESCED_PIO_FLUSH_MS : -1);
		if (ret < 0) {
			pr_err("event loop: %s", strerror(-ret));
			vm__request_exit(vm, EXIT_HOST);
		}
		coalesced_pio__flush(vm);
	}
	pr_debug("exit requested (status %d)", vm->exit_status);
	vcpus__stop(vm);
	atomic_store(&vm->pause.requested, false); /* stopped now, not paused */
	pr_debug("vCPUs stopped");
	if (vm->report)
		vm->report(vm); /* devices still exist until the teardowns */
	ret = vm->exit_status;
out:
	vm_run_teardowns(vm);
	pr_debug("devices torn down");
	vm__event(vm, "exit", json_pack("{sssi}", "reason", vm->exit_reason ? vm->exit_reason : "host-error",
					  "status", ret));
	if (sig.fd >= 0) {
		event_loop__remove(&vm->loop, sig.fd);
		close(sig.fd);
	}
	return ret;
}

int vm__irq_line(struct vm *vm, unsigned gsi, bool level)
{
	struct kvm_irq_level irq = { .irq = gsi, .level = level };

	return ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) < 0 ? -errno : 0;
}

int vm__signal_msi(struct vm *vm, uint64_t addr, uint32_t data)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr,
		.address_hi = (uint32_t)(addr >> 32),
		.data = data,
	};

	return ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi) < 0 ? -errno : 0;
}

/* KVM_IRQFD as asked; a machine that is only described has no VM to bind it to. */
static int vm_irqfd(struct vm *vm, struct kvm_irqfd irqfd)
{
	if (vm__described_only(vm))
		return 0;
	return ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) < 0 ? -errno : 0;
}

int vm__add_resample_irqfd(struct vm *vm, unsigned gsi, int trigger_fd,
			   int resample_fd)
{
	return vm_irqfd(vm, (struct kvm_irqfd){ .fd = trigger_fd, .gsi = gsi,
						.flags = KVM_IRQFD_FLAG_RESAMPLE,
						.resamplefd = resample_fd });
}

int vm__add_irqfd(struct vm *vm, unsigned gsi, int trigger_fd)
{
	return vm_irqfd(vm, (struct kvm_irqfd){ .fd = trigger_fd, .gsi = gsi });
}

int vm__del_irqfd(struct vm *vm, unsigned gsi, int trigger_fd)
{
	return vm_irqfd(vm, (struct kvm_irqfd){ .fd = trigger_fd, .gsi = gsi,
						.flags = KVM_IRQFD_FLAG_DEASSIGN });
}
