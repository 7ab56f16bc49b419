// SPDX-License-Identifier: GPL-2.0
#include "testdev.h"
#include "intx.h"
#include "pci.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_CLASS  0x00ff00 /* "unclassified, other", as QEMU's edu */
#define EDU_ID     0x010000ed
#define EDU_BAR0_SIZE (1u << 20)

#define EDU_REG_ID       0x00
#define EDU_REG_LIVENESS 0x04
#define EDU_REG_FACTORIAL 0x08
#define EDU_REG_STATUS     0x20
#define EDU_STATUS_COMPUTING 0x01 /* read-only: a factorial is under way */
#define EDU_STATUS_IRQ_FACT  0x80 /* raise interrupt 0x1 when it is done */
#define EDU_IRQ_FACT_DONE    0x01
#define EDU_REG_IRQ_STATUS 0x24
#define EDU_REG_IRQ_RAISE  0x60
#define EDU_REG_IRQ_ACK    0x64

struct testdev {
	struct pci_device pci;
	struct vm *vm;
	struct intx intx;
	pthread_mutex_t lock; /* irq_status, liveness, msi, the factorial */
	uint32_t irq_status;
	uint32_t liveness;
	enum testdev_fault fault;
	bool stale_status_intr; /* the stale-status fault's copy */
	uint8_t msi_cap;
	/*
	 * The guest's MSI, copied at each write of the capability (host lock
	 * held) for testdev_raise, which the main thread calls too (the
	 * factorial's interrupt): it must not wait for the host lock, which a
	 * vCPU may hold for long (pci.h).
	 */
	struct {
		bool on;
		uint64_t addr;
		uint32_t data;
	} msi;
	/* edu's factorial (0x08, 0x20), finished by the main thread after TESTDEV_FACTORIAL_MS. */
	uint32_t fact, fact_status;
	int fact_timer; /* timerfd in the VM's event loop, -1 when none */
};

static struct testdev *to_testdev(struct pci_device *pci)
{
	return (struct testdev *)((char *)pci - offsetof(struct testdev, pci));
}

/* MSI as programmed by the guest, or false when MSI is off. Host lock held. */
static bool testdev_msi(struct testdev *t, uint64_t *addr, uint32_t *data)
{
	struct pci_config *c = &t->pci.cfg;
	unsigned cap = t->msi_cap;

	if (!(pci_config__read(c, cap + PCI_MSI_FLAGS, 2) & PCI_MSI_FLAGS_ENABLE))
		return false;
	*addr = pci_config__read(c, cap + PCI_MSI_ADDRESS_LO, 4) |
		(uint64_t)pci_config__read(c, cap + PCI_MSI_ADDRESS_HI, 4) << 32;
	*data = pci_config__read(c, cap + PCI_MSI_DATA_64, 2);
	return true;
}

/* A write to the MSI capability's flags, address or data: the model, then t->msi. */
static void testdev_msi_write(struct pci_device *pci, unsigned reg, uint32_t val, uint32_t bytes)
{
	struct testdev *t = to_testdev(pci);

	for (unsigned i = 0; i < 4; i++)
		if ((bytes >> (8 * i)) & 0xff)
			pci_config__write(&pci->cfg, reg + i, 1, (val >> (8 * i)) & 0xff);
	pthread_mutex_lock(&t->lock);
	t->msi.on = testdev_msi(t, &t->msi.addr, &t->msi.data);
	pthread_mutex_unlock(&t->lock);
}

/* vCPUs (the raise register) and the main thread (the factorial): no host lock. */
static void testdev_raise(struct testdev *t, uint32_t bits)
{
	uint64_t msi_addr;
	uint32_t msi_data;
	bool msi;

	pthread_mutex_lock(&t->lock);
	msi = t->msi.on;
	msi_addr = t->msi.addr;
	msi_data = t->msi.data;
	t->irq_status |= bits;
	if (!msi)
		intx__set_pending(&t->intx, t->irq_status != 0);
	pthread_mutex_unlock(&t->lock);
	if (msi)
		vm__signal_msi(t->vm, msi_addr, msi_data);
}

/* The guest's write to the acknowledge register. */
static void testdev_ack(struct testdev *t, uint32_t bits)
{
	bool cleared;

	pthread_mutex_lock(&t->lock);
	cleared = t->irq_status & bits;
	t->irq_status &= ~bits;
	if (cleared)
		intx__acknowledge(&t->intx, t->irq_status != 0);
	else
		intx__set_pending(&t->intx, t->irq_status != 0);
	pthread_mutex_unlock(&t->lock);
}

/*
 * A factorial write starts the computation (ignored while one runs, as
 * edu's "computing" bit says); the device's own clock ends it.
 */
static void testdev_fact_start(struct testdev *t, uint32_t n)
{
	struct itimerspec when = {
		.it_value = { TESTDEV_FACTORIAL_MS / 1000, (TESTDEV_FACTORIAL_MS % 1000) * 1000000L },
	};

	pthread_mutex_lock(&t->lock);
	if (!(t->fact_status & EDU_STATUS_COMPUTING) && t->fact_timer >= 0) {
		t->fact = n;
		t->fact_status |= EDU_STATUS_COMPUTING;
		timerfd_settime(t->fact_timer, 0, &when, NULL);
	}
	pthread_mutex_unlock(&t->lock);
}

/* The main thread, when the computation's time is up: the result, and interrupt 0x1 if asked. */
static void testdev_fact_done(void *opaque, uint32_t events)
{
	struct testdev *t = opaque;
	uint64_t ticks;
	uint32_t result = 1;
	bool raise;

	(void)events;
	if (read(t->fact_timer, &ticks, sizeof(ticks)) != sizeof(ticks))
		return;
	pthread_mutex_lock(&t->lock);
	for (uint32_t i = 2; i <= t->fact && i <= 34; i++)
		result *= i; /* modulo 2^32, as edu; 34! and up are 0 */
	t->fact = t->fact > 34 ? 0 : result;
	t->fact_status &= ~EDU_STATUS_COMPUTING;
	raise = t->fact_status & EDU_STATUS_IRQ_FACT;
	pthread_mutex_unlock(&t->lock);
	if (raise)
		testdev_raise(t, EDU_IRQ_FACT_DONE);
}

static void testdev_bar0_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
				bool is_write)
{
	struct testdev *t = opaque;
	uint32_t v = 0xffffffff;

	if (len != 4) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (is_write) {
		memcpy(&v, data, 4);
		switch (off) {
		case EDU_REG_LIVENESS:
			pthread_mutex_lock(&t->lock);
			t->liveness = ~v;
			pthread_mutex_unlock(&t->lock);
			break;
		case EDU_REG_IRQ_RAISE:
			testdev_raise(t, v);
			break;
		case EDU_REG_IRQ_ACK:
			testdev_ack(t, v);
			break;
		case EDU_REG_FACTORIAL:
			testdev_fact_start(t, v);
			break;
		case EDU_REG_STATUS:
			pthread_mutex_lock(&t->lock);
			t->fact_status = (t->fact_status & EDU_STATUS_COMPUTING) |
					 (v & EDU_STATUS_IRQ_FACT);
			pthread_mutex_unlock(&t->lock);
			break;
		default:
			break;
		}
		return;
	}
	pthread_mutex_lock(&t->lock);
	switch (off) {
	case EDU_REG_ID:
		v = EDU_ID;
		break;
	case EDU_REG_LIVENESS:
		v = t->liveness;
		break;
	case EDU_REG_IRQ_STATUS:
		v = t->irq_status;
		break;
	case EDU_REG_FACTORIAL:
		v = t->fact;
		break;
	case EDU_REG_STATUS:
		v = t->fact_status;
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&t->lock);
	memcpy(data, &v, 4);
}

/* STATUS with INTERRUPT (PCI 2.3 6.2.3, read-only) read live from the INTx state. */
static uint32_t testdev_status_read(struct pci_device *pci, unsigned reg)
{
	struct testdev *t = to_testdev(pci);
	uint16_t status = pci_config__read(&pci->cfg, reg, 2) & ~PCI_STATUS_INTERRUPT;

	return status | (intx__pending(&t->intx) ? PCI_STATUS_INTERRUPT : 0);
}

/* COMMAND at any width: the model takes the guest's bytes; INTX_DISABLE drives the INTx mask. */
static void testdev_command_write(struct pci_device *pci, unsigned reg, uint32_t val,
				  uint32_t bytes)
{
	struct testdev *t = to_testdev(pci);
	uint16_t old = pci_config__read(&pci->cfg, reg, 2), new;

	pci_config__write_bytes(&pci->cfg, reg, 2, val, bytes);
	new = pci_config__read(&pci->cfg, reg, 2);
	if ((old ^ new) & PCI_COMMAND_INTX_DISABLE) {
		pci_intx_stats__guest_mask(&pci->stats, new & PCI_COMMAND_INTX_DISABLE);
		intx__set_guest_mask(&t->intx, new & PCI_COMMAND_INTX_DISABLE);
	}
}

static const struct pci_reg_handler testdev_command = { .write = testdev_command_write };
static const struct pci_reg_handler testdev_status = { .read = testdev_status_read };

/*
 * The faults, as wrappers around the handlers above (never installed
 * unless asked for):
 *   ignore-intx-disable  COMMAND reaches the model, never the INTx mask;
 *   stale-status         STATUS.INTERRUPT comes from a copy taken at each
 *                        COMMAND write (kvmtool's cached header).
 */
static void testdev_command_write_ignoring_intx(struct pci_device *pci, unsigned reg,
						uint32_t val, uint32_t bytes)
{
	pci_config__write_bytes(&pci->cfg, reg, 2, val, bytes);
}

static void testdev_command_write_snapshotting(struct pci_device *pci, unsigned reg,
					       uint32_t val, uint32_t bytes)
{
	struct testdev *t = to_testdev(pci);

	t->stale_status_intr = intx__pending(&t->intx);
	testdev_command_write(pci, reg, val, bytes);
}

static uint32_t testdev_status_read_stale(struct pci_device *pci, unsigned reg)
{
	struct testdev *t = to_testdev(pci);
	uint16_t status = pci_config__read(&pci->cfg, reg, 2) & ~PCI_STATUS_INTERRUPT;

	return status | (t->stale_status_intr ? PCI_STATUS_INTERRUPT : 0);
}

static void testdev_install_reg_handlers(struct testdev *t)
{
	struct pci_reg_handler command = testdev_command, status = testdev_status;

	if (t->fault == TESTDEV_FAULT_IGNORE_INTX_DISABLE)
		command.write = testdev_command_write_ignoring_intx;
	if (t->fault == TESTDEV_FAULT_STALE_STATUS) {
		command.write = testdev_command_write_snapshotting;
		status.read = testdev_status_read_stale;
	}
	pci_device__set_reg_handler(&t->pci, PCI_COMMAND, 2, &command);
	pci_device__set_reg_handler(&t->pci, PCI_STATUS, 2, &status);
}

/* The function's INTx# onto the shared guest GSI (intx.h). */
static void testdev_set_intx_level(void *opaque, bool level)
{
	struct testdev *t = opaque;

	if (level)
		t->pci.stats.asserted++;
	pci_host__set_intx(t->pci.host, &t->pci, level);
}

static void testdev_destroy(struct vm *vm, void *opaque)
{
	struct testdev *t = opaque;

	if (t->fact_timer >= 0) {
		event_loop__remove(&vm->loop, t->fact_timer);
		close(t->fact_timer);
	}
	/* Unplugged while asserting: its share of the GSI goes (pci_host__set_intx). */
	intx__set_pending(&t->intx, false);
	if (t->pci.host)
		pci_host__remove(t->pci.host, &t->pci);
	intx__exit(&t->intx);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static void testdev_add_caps(struct testdev *t)
{
	static const struct pci_reg_handler msi = { .write = testdev_msi_write };
	struct pci_config *c = &t->pci.cfg;
	uint8_t vndr;

	/* MSI, 64-bit capable, one vector: enable, address and data writable. */
	t->msi_cap = pci_config__add_cap(c, PCI_CAP_ID_MSI, 16);
	pci_config__set(c, t->msi_cap + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_64BIT);
	pci_config__set_wmask(c, t->msi_cap + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	pci_config__set_wmask(c, t->msi_cap + PCI_MSI_ADDRESS_LO, 4, 0xfffffffc);
	pci_config__set_wmask(c, t->msi_cap + PCI_MSI_ADDRESS_HI, 4, 0xffffffff);
	pci_config__set_wmask(c, t->msi_cap + PCI_MSI_DATA_64, 2, 0xffff);
	pci_device__set_reg_handler(&t->pci, t->msi_cap + PCI_MSI_FLAGS, 2, &msi);
	pci_device__set_reg_handler(&t->pci, t->msi_cap + PCI_MSI_ADDRESS_LO, 4, &msi);
	pci_device__set_reg_handler(&t->pci, t->msi_cap + PCI_MSI_ADDRESS_HI, 4, &msi);
	pci_device__set_reg_handler(&t->pci, t->msi_cap + PCI_MSI_DATA_64, 2, &msi);
	/* A vendor-specific capability (length byte at +2) ends the list. */
	vndr = pci_config__add_cap(c, PCI_CAP_ID_VNDR, 8);
	pci_config__set(c, vndr + 2, 1, 8);
}

void testdev__unplug(struct vm *vm, struct pci_device *pci)
{
	vm__run_teardown_now(vm, testdev_destroy, to_testdev(pci));
}

int testdev__create(struct vm *vm, struct pci_host *host, int slot,
		    enum testdev_fault fault, struct pci_device **out)
{
	struct testdev *t = calloc(1, sizeof(*t));
	struct intx_sink sink;
	int ret;

	if (!t)
		return -ENOMEM;
	t->vm = vm;
	t->fault = fault;
	pthread_mutex_init(&t->lock, NULL);
	t->fact_timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (t->fact_timer >= 0 && event_loop__add(&vm->loop, t->fact_timer, testdev_fact_done, t)) {
		close(t->fact_timer);
		t->fact_timer = -1; /* no factorials: the other registers work */
	}
	sink = (struct intx_sink){ testdev_set_intx_level, t };
	intx__init(&t->intx, &sink, vm__eoi_at_injection(vm) ? INTX_PULSE : INTX_LEVEL);
	pci_device__init(&t->pci, NULL, EDU_VENDOR, EDU_DEVICE, EDU_CLASS, 0x10, 1);
	testdev_install_reg_handlers(t);
	testdev_add_caps(t);
	pci_device__add_bar(&t->pci, 0, PCI_BAR_MMIO32, EDU_BAR0_SIZE, false,
			    testdev_bar0_access, t);

	ret = pci_host__add(host, &t->pci, slot);
	if (ret) {
		pr_err("--testdev=%d: %s; pick a free slot from 1 to 31",
		       slot, ret == -EBUSY ? "slot already taken" : "no such slot");
		testdev_destroy(vm, t);
		return ret;
	}
	snprintf(t->pci.name, sizeof(t->pci.name), "testdev 00:%02x.0", t->pci.slot);
	vm__add_teardown(vm, testdev_destroy, t);
	if (out)
		*out = &t->pci;
	return 0;
}
