// SPDX-License-Identifier: GPL-2.0
#include "acpi_pm.h"
#include "exit_codes.h"
#include "intx.h"
#include "layout.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* PM1_STS/PM1_EN bit 8: the fixed-feature power button (ACPI 6.5 4.8.3.1.1, table 4.15). */
#define PM1_PWRBTN (1u << 8)
#define PM1_CNT_SCI_EN (1u << 0)
#define PM1_CNT_SLP_TYP(v) (((v) >> 10) & 7)
#define PM1_CNT_SLP_EN (1u << 13) /* write-only: starts the sleep */
#define PM1_SLP_TYP_S5 0          /* QEMU's S5 encoding, the DSDT's \_S5 */

/*
 * A status/enable pair whose pending enabled events raise the SCI:
 * PM1_STS/PM1_EN (the power button only) and GPE0_STS/GPE0_EN. Each is one
 * source of the SCI, with the line discipline of a PCI function's INTx
 * (devices/intx.h): a level, or pulses on a host whose KVM EOIs at
 * injection. Two sources, so that clearing one event while the other is
 * pending is no "acknowledge with work left" (ACPICA's handler clears the
 * fixed events and then the GPEs in one pass).
 */
struct acpi_pm_events {
	struct acpi_pm *pm;
	uint16_t status; /* write-1-to-clear */
	uint16_t enable;
	uint16_t wired;  /* the status bits that exist */
	unsigned source; /* its bit in acpi_pm.sci_sources */
	struct intx sci;
};

struct acpi_pm {
	struct vm *vm;
	pthread_mutex_t lock; /* a vCPU's accesses against the API's button press */
	struct acpi_pm_events pm1; /* PWRBTN_STS only, set by a press */
	struct acpi_pm_events gpe0;
	uint16_t control; /* PM1_CNT, SLP_EN never kept */
	unsigned sci_sources; /* the sources driving the SCI now */
};

/* Reads and writes of any width and offset within a register block, little-endian. */
static void reg_access(uint8_t *reg, unsigned size, uint64_t off, uint8_t *data, unsigned len,
		       bool is_write)
{
	for (unsigned i = 0; i < len; i++) {
		bool in = off + i < size;

		if (is_write && in)
			reg[off + i] = data[i];
		else if (!is_write)
			data[i] = in ? reg[off + i] : 0;
	}
}

/*
 * The SCI (GSI 9, level, active high: the MADT's override) is asserted
 * while an enabled fixed event or general-purpose event is pending (ACPI
 * 6.5 4.8.3.1, 4.8.4.1), and drops when the guest clears the status or the
 * enable: the OR of the two sources' lines (intx sink). pm->lock held.
 */
static void acpi_pm_drive_sci(void *opaque, bool level)
{
	struct acpi_pm_events *e = opaque;
	struct acpi_pm *pm = e->pm;
	bool was = pm->sci_sources;

	pm->sci_sources = level ? pm->sci_sources | e->source : pm->sci_sources & ~e->source;
	if (was == !!pm->sci_sources)
		return;
	if (!vm__described_only(pm->vm) && vm__irq_line(pm->vm, ACPI_SCI_GSI, !was))
		pr_warn_ratelimited("ACPI SCI (GSI %u): KVM_IRQ_LINE failed", ACPI_SCI_GSI);
}

static uint16_t acpi_pm_asserting(const struct acpi_pm_events *e)
{
	return e->status & e->enable & e->wired;
}

/*
 * After a write to e's status or enable: an event that was asserting and is
 * no more was the guest's acknowledge (cleared or disabled), with or
 * without others left (intx__acknowledge); else the SCI follows what is
 * asserting now. pm->lock held.
 */
static void acpi_pm_guest_wrote(struct acpi_pm_events *e, uint16_t before)
{
	uint16_t now = acpi_pm_asserting(e);

	if (before & ~now)
		intx__acknowledge(&e->sci, now != 0);
	else
		intx__set_pending(&e->sci, now != 0);
}

/*
 * A status/enable pair, 16 bits each (PM1_STS/PM1_EN, GPE0_STS/GPE0_EN:
 * ACPI 6.5 4.8.3.1, 4.8.4.1): status is write-1-to-clear, the bytes
 * written are the bits cleared; enable is kept as written. Any change
 * re-evaluates the SCI.
 */
static void status_enable_access(struct acpi_pm *pm, struct acpi_pm_events *e, uint64_t off,
				 uint8_t *data, unsigned len, bool is_write)
{
	uint16_t before;
	uint8_t regs[4];

	pthread_mutex_lock(&pm->lock);
	before = acpi_pm_asserting(e);
	regs[0] = (uint8_t)e->status;
	regs[1] = (uint8_t)(e->status >> 8);
	regs[2] = (uint8_t)e->enable;
	regs[3] = (uint8_t)(e->enable >> 8);
	reg_access(regs, sizeof(regs), off, data, len, is_write);
	if (is_write) {
		for (unsigned i = 0; i < len; i++)
			if (off + i < 2)
				e->status &= (uint16_t)~(data[i] << (8 * (off + i)));
		e->enable = (uint16_t)(regs[2] | regs[3] << 8);
		acpi_pm_guest_wrote(e, before);
	}
	pthread_mutex_unlock(&pm->lock);
}

static void pm1_evt_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
			   bool is_write)
{
	struct acpi_pm *pm = opaque;

	status_enable_access(pm, &pm->pm1, off, data, len, is_write);
}

static void gpe0_access(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool is_write)
{
	struct acpi_pm *pm = opaque;

	status_enable_access(pm, &pm->gpe0, off, data, len, is_write);
}

bool acpi_pm__gpe_enabled(struct acpi_pm *pm, unsigned bit)
{
	bool on;

	pthread_mutex_lock(&pm->lock);
	on = pm->gpe0.enable & (1u << bit);
	pthread_mutex_unlock(&pm->lock);
	return on;
}

void acpi_pm__raise_gpe(struct acpi_pm *pm, unsigned bit)
{
	pthread_mutex_lock(&pm->lock);
	pm->gpe0.status |= (uint16_t)(1u << bit);
	intx__set_pending(&pm->gpe0.sci, acpi_pm_asserting(&pm->gpe0));
	pthread_mutex_unlock(&pm->lock);
}

int acpi_pm__press_power_button(struct acpi_pm *pm)
{
	int ret = 0;

	pthread_mutex_lock(&pm->lock);
	pm->pm1.status |= PM1_PWRBTN;
	if (!(pm->pm1.enable & PM1_PWRBTN))
		ret = -EAGAIN; /* latched; the guest sees it once it enables the event */
	intx__set_pending(&pm->pm1.sci, acpi_pm_asserting(&pm->pm1));
	pthread_mutex_unlock(&pm->lock);
	return ret;
}

static void pm1_cnt_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
			   bool is_write)
{
	struct acpi_pm *pm = opaque;
	uint16_t v;
	uint8_t regs[2];

	pthread_mutex_lock(&pm->lock);
	v = pm->control | PM1_CNT_SCI_EN;
	regs[0] = (uint8_t)v;
	regs[1] = (uint8_t)(v >> 8);
	reg_access(regs, sizeof(regs), off, data, len, is_write);
	v = (uint16_t)(regs[0] | regs[1] << 8);
	if (is_write)
		pm->control = v & ~PM1_CNT_SLP_EN;
	pthread_mutex_unlock(&pm->lock);
	if (is_write && (v & PM1_CNT_SLP_EN) && PM1_CNT_SLP_TYP(v) == PM1_SLP_TYP_S5) {
		if (vm__request_exit_for(pm->vm, EXIT_GUEST_POWEROFF, "guest-power-off"))
			vm__event(pm->vm, "guest-power-off", NULL);
	}
}

static void acpi_pm_destroy(struct vm *vm, void *opaque)
{
	struct acpi_pm *pm = opaque;

	(void)vm;
	intx__exit(&pm->pm1.sci);
	intx__exit(&pm->gpe0.sci);
	pthread_mutex_destroy(&pm->lock);
	free(pm);
}

static void acpi_pm_events_init(struct acpi_pm *pm, struct acpi_pm_events *e, uint16_t wired,
				unsigned source)
{
	struct intx_sink sink = { acpi_pm_drive_sci, e };

	e->pm = pm;
	e->wired = wired;
	e->source = source;
	intx__init(&e->sci, &sink, vm__eoi_at_injection(pm->vm) ? INTX_PULSE : INTX_LEVEL);
}

int acpi_pm__create(struct vm *vm, struct acpi_pm **out)
{
	struct acpi_pm *pm = calloc(1, sizeof(*pm));
	int ret;

	if (!pm)
		return -ENOMEM;
	pm->vm = vm;
	pthread_mutex_init(&pm->lock, NULL);
	acpi_pm_events_init(pm, &pm->pm1, PM1_PWRBTN, 1);
	acpi_pm_events_init(pm, &pm->gpe0, 0xffff, 2);
	ret = bus__register(&vm->pio, ACPI_PM1A_EVT_PORT, 4, pm1_evt_access, pm);
	if (!ret)
		ret = bus__register(&vm->pio, ACPI_PM1A_CNT_PORT, 2, pm1_cnt_access, pm);
	if (!ret)
		ret = bus__register(&vm->pio, ACPI_GPE0_PORT, ACPI_GPE0_LEN, gpe0_access, pm);
	if (ret) {
		acpi_pm_destroy(vm, pm);
		return ret;
	}
	vm__add_teardown(vm, acpi_pm_destroy, pm);
	if (out)
		*out = pm;
	return 0;
}
