// SPDX-License-Identifier: GPL-2.0
/*
 * The main thread while a vCPU holds the PCI host lock (issue 32): a vCPU
 * whose COMMAND write sets a passed device's BUS_MASTER waits under that
 * lock for guest RAM's DMA mapping (vfio_dma.h), which may take long. The
 * main thread serves signals, the console and the API, so none of its
 * work may wait for that lock: not the replay of coalesced 0xcf8 writes,
 * not vm.info, not the testdev's factorial. And the waiting vCPU itself
 * gives up once the VM exits, so that vcpus__stop's join returns.
 * Each case runs the main thread's work in a thread of its own and allows
 * it 5 s; on a failure the lock is let go so that the thread can end.
 */
#include "unit.h"
#include "thread_probe.h"
#include "coalesced_pio.h"
#include "exit_codes.h"
#include "pci.h"
#include "testdev.h"
#include "vfio_dma.h"
#include "vm.h"
#include "vm_control.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BOUND_S 5

/* A described machine with the host bridge, as main.c makes it. */
struct machine {
	struct vm vm;
	struct pci_host host;
	unsigned resets;
	int gsi_level[PCI_INTX_GSI_BASE + PCI_INTX_GSI_COUNT];
};

static void host_teardown(struct vm *vm, void *opaque)
{
	(void)vm;
	pci_host__exit(opaque);
}

static void count_reset(void *opaque)
{
	struct machine *m = opaque;

	m->resets++;
}

static void record_gsi_level(void *opaque, unsigned gsi, bool level)
{
	struct machine *m = opaque;

	m->gsi_level[gsi] = level;
}

static bool machine_init(struct machine *m)
{
	memset(m, 0, sizeof(*m));
	if (vm__create_described(&m->vm, 16 << 20) ||
	    pci_host__init(&m->host, &m->vm.pio, &m->vm.mmio, &m->vm.mem)) {
		vm__destroy(&m->vm);
		return false;
	}
	m->vm.pci = &m->host;
	m->host.reset_request = count_reset;
	m->host.reset_opaque = m;
	m->host.intx.set_gsi_level = record_gsi_level;
	m->host.intx.opaque = m;
	vm__add_teardown(&m->vm, host_teardown, &m->host);
	return true;
}

/* The machine with a testdev in slot 4, its BAR placed; NULL, nothing left, on failure. */
static struct pci_device *machine_with_testdev(struct machine *m)
{
	struct pci_device *dev;

	if (!machine_init(m))
		return NULL;
	if (testdev__create(&m->vm, &m->host, 4, TESTDEV_FAULT_NONE, &dev) ||
	    pci_host__assign_bars(&m->host)) {
		vm__destroy(&m->vm);
		return NULL;
	}
	return dev;
}

/* The main thread's work, run in a thread that must end within BOUND_S. */
struct bounded {
	pthread_t thread;
	bool started, ended;
};

static void bounded_start(struct bounded *b, void *(*fn)(void *), void *arg)
{
	*b = (struct bounded){ 0 };
	b->started = !pthread_create(&b->thread, NULL, fn, arg);
}

static void bounded_wait(struct bounded *b)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until); /* pthread_timedjoin_np's clock */
	until.tv_sec += BOUND_S;
	b->ended = b->started && !pthread_timedjoin_np(b->thread, NULL, &until);
}

static void bounded_run(struct bounded *b, void *(*fn)(void *), void *arg)
{
	bounded_start(b, fn, arg);
	bounded_wait(b);
}

/* After the lock is let go: a thread that did not end in time ends now. */
static void bounded_finish(struct bounded *b)
{
	if (b->started && !b->ended)
		pthread_join(b->thread, NULL);
}

/* The ring KVM shares with us (coalesced_pio.h), here in plain memory. */
static struct kvm_coalesced_mmio_ring *ring_attach(struct vm *vm)
{
	long page = sysconf(_SC_PAGESIZE);
	struct kvm_coalesced_mmio_ring *ring = calloc(1, page);

	vm->coalesced.ring = ring;
	vm->coalesced.max = (page - sizeof(*ring)) / sizeof(ring->coalesced_mmio[0]);
	return ring;
}

/* A guest OUT that KVM put in the ring instead of exiting. */
static void ring_push(struct vm *vm, uint16_t port, const void *data, unsigned len)
{
	struct kvm_coalesced_mmio_ring *ring = vm->coalesced.ring;
	struct kvm_coalesced_mmio *e = &ring->coalesced_mmio[ring->last];

	*e = (struct kvm_coalesced_mmio){ .phys_addr = port, .len = len, .pio = 1 };
	memcpy(e->data, data, len);
	__atomic_store_n(&ring->last, (ring->last + 1) % vm->coalesced.max, __ATOMIC_RELEASE);
}

static void *main_thread_flushes(void *opaque)
{
	coalesced_pio__flush(opaque); /* vm__run's, every COALESCED_PIO_FLUSH_MS */
	return NULL;
}

TEST(coalesced_cf8_and_cf9_writes_replay_while_a_vcpu_holds_the_host_lock)
{
	static struct machine m;
	struct kvm_coalesced_mmio_ring *ring;
	struct pci_device dev;
	uint32_t select = 0x80000000u | 4 << 11, id = 0;
	uint8_t reset = 0x06; /* 0xcf9: full reset, reset CPU */
	struct bounded flush;
	uint32_t consumed;

	EXPECT(machine_init(&m));
	pci_device__init(&dev, NULL, 0x1234, 0x11e8, 0xff00, 0, 1);
	pci_host__add(&m.host, &dev, 4);
	ring = ring_attach(&m.vm);
	ring_push(&m.vm, PCI_HOST_CF8_PORT, &select, 4);
	ring_push(&m.vm, PCI_HOST_CF8_PORT + 1, &reset, 1);

	pthread_mutex_lock(&m.host.lock); /* the vCPU waiting for the DMA mapping */
	bounded_run(&flush, main_thread_flushes, &m.vm);
	pthread_mutex_unlock(&m.host.lock);
	bounded_finish(&flush);

	/* The replayed CONFIG_ADDRESS selects what the next 0xcfc read reaches. */
	bus__access(&m.vm.pio, PCI_HOST_CFC_PORT, (uint8_t *)&id, 4, false);
	consumed = ring->first;
	m.vm.coalesced.ring = NULL;
	free(ring);
	vm__destroy(&m.vm);
	EXPECT(flush.ended);
	EXPECT_EQ(consumed, 2);
	EXPECT_EQ(m.vm.coalesced.replayed, 2);
	EXPECT_EQ(m.resets, 1);
	EXPECT_EQ(id, 0x11e81234);
}

/* A vCPU setting BUS_MASTER (pt_command.c): the wait, under the host lock. */
struct dma_waiter {
	struct machine *m;
	struct vfio_dma dma;
	sem_t holding;
	_Atomic pid_t tid;
	int ret;
};

static void *vcpu_waits_for_dma(void *opaque)
{
	struct dma_waiter *w = opaque;

	w->tid = syscall(SYS_gettid);
	pthread_mutex_lock(&w->m->host.lock);
	sem_post(&w->holding);
	w->ret = vfio_dma__wait(&w->dma);
	pthread_mutex_unlock(&w->m->host.lock);
	return NULL;
}

TEST(a_vcpu_waiting_for_dma_under_the_host_lock_gives_up_when_the_vm_exits)
{
	static struct machine m;
	static struct dma_waiter w;
	uint32_t select = 0x80000000u | 4 << 11;
	struct kvm_coalesced_mmio_ring *ring;
	struct bounded vcpu, flush;
	bool waiting;

	EXPECT(machine_init(&m));
	ring = ring_attach(&m.vm);
	ring_push(&m.vm, PCI_HOST_CF8_PORT, &select, 4);
	/* A mapping that never completes: its thread starved (SCHED_IDLE). */
	w = (struct dma_waiter){ .m = &m, .dma = { .vm = &m.vm, .started = true } };
	pthread_mutex_init(&w.dma.lock, NULL);
	pthread_cond_init(&w.dma.cond, NULL);
	sem_init(&w.holding, 0, 0);

	bounded_start(&vcpu, vcpu_waits_for_dma, &w);
	if (vcpu.started)
		sem_wait(&w.holding);
	/* In the condition wait (its mutex is free: the only futex it can wait on). */
	waiting = vcpu.started && thread_probe__wait_in_syscall(&w.tid, SYS_futex, -1, BOUND_S);
	/* Meanwhile the main thread replays 0xcf8, then takes SIGTERM. */
	bounded_run(&flush, main_thread_flushes, &m.vm);
	vm__request_exit(&m.vm, EXIT_SIGNAL);
	/* vcpus__stop's join. */
	bounded_wait(&vcpu);
	if (vcpu.started && !vcpu.ended) {
		/* Let it go: the mapping completes at last. */
		pthread_mutex_lock(&w.dma.lock);
		w.dma.done = true;
		pthread_cond_broadcast(&w.dma.cond);
		pthread_mutex_unlock(&w.dma.lock);
	}
	bounded_finish(&vcpu);
	bounded_finish(&flush);
	pthread_mutex_destroy(&w.dma.lock);
	pthread_cond_destroy(&w.dma.cond);
	sem_destroy(&w.holding);
	m.vm.coalesced.ring = NULL;
	free(ring);
	vm__destroy(&m.vm);
	EXPECT(waiting);
	EXPECT(flush.ended);
	EXPECT(vcpu.ended);
	EXPECT_EQ(w.ret, -ECANCELED);
}

/* vm.info on the main thread; irq_mode of its first device. */
struct info_call {
	struct vm_control *ctl;
	char irq_mode[16];
};

static void *main_thread_answers_info(void *opaque)
{
	struct info_call *c = opaque;
	json_t *info = c->ctl->ops.info(c->ctl->ops.ctx);
	json_t *dev = json_array_get(json_object_get(info, "devices"), 0);

	snprintf(c->irq_mode, sizeof(c->irq_mode), "%s",
		 json_string_value(json_object_get(dev, "irq_mode")) ?: "(none)");
	json_decref(info);
	return NULL;
}

TEST(vm_info_reports_irq_mode_unknown_rather_than_wait_for_the_host_lock)
{
	static struct machine m;
	static struct vm_control ctl;
	struct vm_control_machine desc = { .kernel = "vmlinux", .mem_size = 16 << 20 };
	struct info_call busy = { .ctl = &ctl }, free_ = { .ctl = &ctl };
	struct bounded info;

	EXPECT(machine_with_testdev(&m));
	vm_control__init(&ctl, &m.vm, NULL, NULL, &desc);

	pthread_mutex_lock(&m.host.lock);
	bounded_run(&info, main_thread_answers_info, &busy);
	pthread_mutex_unlock(&m.host.lock);
	bounded_finish(&info);
	main_thread_answers_info(&free_);

	vm_control__exit(&ctl);
	vm__destroy(&m.vm);
	EXPECT(info.ended);
	EXPECT(!strcmp(busy.irq_mode, "unknown"));
	EXPECT(!strcmp(free_.irq_mode, "INTx"));
}

/* The main thread's event loop, long enough for the testdev's factorial to finish. */
static void *main_thread_serves_events(void *opaque)
{
	struct vm *vm = opaque;

	event_loop__run_once(&vm->loop, TESTDEV_FACTORIAL_MS + 2000);
	return NULL;
}

static void bar_write(struct vm *vm, uint64_t addr, uint32_t v)
{
	bus__access(&vm->mmio, addr, (uint8_t *)&v, 4, true);
}

TEST(testdev_factorial_interrupt_is_raised_while_a_vcpu_holds_the_host_lock)
{
	static struct machine m;
	struct pci_device *dev;
	struct bounded events;
	uint64_t bar0;
	int asserted;

	dev = machine_with_testdev(&m);
	EXPECT(dev);
	bar0 = pci_device__bar_addr(dev, 0);
	bar_write(&m.vm, bar0 + 0x20, 0x80); /* edu: interrupt when the factorial is done */
	bar_write(&m.vm, bar0 + 0x08, 5);

	pthread_mutex_lock(&m.host.lock);
	bounded_run(&events, main_thread_serves_events, &m.vm);
	pthread_mutex_unlock(&m.host.lock);
	bounded_finish(&events);

	asserted = m.gsi_level[dev->gsi]; /* before the teardown releases it */
	vm__destroy(&m.vm);
	EXPECT(events.ended);
	EXPECT_EQ(asserted, 1);
}

/* A guest's one-byte config write through CONFIG_ADDRESS and CONFIG_DATA. */
static void cfg_write_byte(struct vm *vm, unsigned slot, unsigned off, uint8_t v)
{
	uint32_t select = 0x80000000u | slot << 11 | (off & 0xfc);

	bus__access(&vm->pio, PCI_HOST_CF8_PORT, (uint8_t *)&select, 4, true);
	bus__access(&vm->pio, PCI_HOST_CFC_PORT + (off & 3), &v, 1, true);
}

TEST(testdev_raise_follows_the_guests_msi_enable_in_its_own_copy)
{
	static struct machine m;
	struct pci_device *dev;
	int with_msi, after_msi_off;
	unsigned msi;
	uint64_t bar0;

	dev = machine_with_testdev(&m);
	EXPECT(dev);
	bar0 = pci_device__bar_addr(dev, 0);
	msi = pci_host__cfg_read(&m.host, 4, 0, PCI_CAPABILITY_LIST, 1);
	/* MSI on: a raise is a message, the INTx line stays low. */
	cfg_write_byte(&m.vm, 4, msi + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE);
	bar_write(&m.vm, bar0 + 0x60, 1);
	with_msi = m.gsi_level[dev->gsi];
	bar_write(&m.vm, bar0 + 0x64, 1);
	/* MSI off again: INTx. */
	cfg_write_byte(&m.vm, 4, msi + PCI_MSI_FLAGS, 0);
	bar_write(&m.vm, bar0 + 0x60, 1);
	after_msi_off = m.gsi_level[dev->gsi];
	vm__destroy(&m.vm);
	EXPECT_EQ(with_msi, 0);
	EXPECT_EQ(after_msi_off, 1);
}
