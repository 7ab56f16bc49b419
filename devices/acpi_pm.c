// SPDX-License-Identifier: GPL-2.0
#include "acpi_pm.h"
#include "exit_codes.h"
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

struct acpi_pm {
	struct vm *vm;
	pthread_mutex_t lock; /* a vCPU's accesses against the API's button press */
	uint16_t status; /* PM1_STS: PWRBTN_STS only, set by a press, write-1-to-clear */
	uint16_t enable; /* PM1_EN */
	uint16_t control; /* PM1_CNT, SLP_EN never kept */
	uint16_t gpe_status, gpe_enable; /* GPE0_STS (write-1-to-clear), GPE0_EN */
	bool sci; /* the SCI's level as last set */
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
 * enable. pm->lock held.
 */
static void acpi_pm_update_sci(struct acpi_pm *pm)
{
	bool level = (pm->status & pm->enable & PM1_PWRBTN) || (pm->gpe_status & pm->gpe_enable);

	if (level == pm->sci)
		return;
	pm->sci = level;
	if (!vm__described_only(pm->vm) && vm__irq_line(pm->vm, ACPI_SCI_GSI, level))
		pr_warn("ACPI SCI (GSI %u): KVM_IRQ_LINE failed", ACPI_SCI_GSI);
}

/*
 * A status/enable pair, 16 bits each (PM1_STS/PM1_EN, GPE0_STS/GPE0_EN:
 * ACPI 6.5 4.8.3.1, 4.8.4.1): status is write-1-to-clear, the bytes
 * written are the bits cleared; enable is kept as written. Any change
 * re-evaluates the SCI.
 */
static void status_enable_access(struct acpi_pm *pm, uint16_t *status, uint16_t *enable,
				 uint64_t off, uint8_t *data, unsigned len, bool is_write)
{
	uint8_t regs[4];

	pthread_mutex_lock(&pm->lock);
	regs[0] = (uint8_t)*status;
	regs[1] = (uint8_t)(*status >> 8);
	regs[2] = (uint8_t)*enable;
	regs[3] = (uint8_t)(*enable >> 8);
	reg_access(regs, sizeof(regs), off, data, len, is_write);
	if (is_write) {
		for (unsigned i = 0; i < len; i++)
			if (off + i < 2)
				*status &= (uint16_t)~(data[i] << (8 * (off + i)));
		*enable = (uint16_t)(regs[2] | regs[3] << 8);
		acpi_pm_update_sci(pm);
	}
	pthread_mutex_unlock(&pm->lock);
}

static void pm1_evt_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
			   bool is_write)
{
	struct acpi_pm *pm = opaque;

	status_enable_access(pm, &pm->status, &pm->enable, off, data, len, is_write);
}

static void gpe0_access(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool is_write)
{
	struct acpi_pm *pm = opaque;

	status_enable_access(pm, &pm->gpe_status, &pm->gpe_enable, off, data, len, is_write);
}

bool acpi_pm__gpe_enabled(struct acpi_pm *pm, unsigned bit)
{
	bool on;

	pthread_mutex_lock(&pm->lock);
	on = pm->gpe_enable & (1u << bit);
	pthread_mutex_unlock(&pm->lock);
	return on;
}

void acpi_pm__raise_gpe(struct acpi_pm *pm, unsigned bit)
{
	pthread_mutex_lock(&pm->lock);
	pm->gpe_status |= (uint16_t)(1u << bit);
	acpi_pm_update_sci(pm);
	pthread_mutex_unlock(&pm->lock);
}

int acpi_pm__press_power_button(struct acpi_pm *pm)
{
	int ret = 0;

	pthread_mutex_lock(&pm->lock);
	pm->status |= PM1_PWRBTN;
	if (!(pm->enable & PM1_PWRBTN))
		ret = -EAGAIN; /* latched; the guest sees it once it enables the event */
	acpi_pm_update_sci(pm);
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
		vm__event(pm->vm, "guest-power-off", NULL);
		vm__request_exit_for(pm->vm, EXIT_GUEST_POWEROFF, "guest-power-off");
	}
}

static void acpi_pm_destroy(struct vm *vm, void *opaque)
{
	struct acpi_pm *pm = opaque;

	(void)vm;
	pthread_mutex_destroy(&pm->lock);
	free(pm);
}

int acpi_pm__create(struct vm *vm, struct acpi_pm **out)
{
	struct acpi_pm *pm = calloc(1, sizeof(*pm));
	int ret;

	if (!pm)
		return -ENOMEM;
	pm->vm = vm;
	pthread_mutex_init(&pm->lock, NULL);
	ret = bus__register(&vm->pio, ACPI_PM1A_EVT_PORT, 4, pm1_evt_access, pm);
	if (!ret)
		ret = bus__register(&vm->pio, ACPI_PM1A_CNT_PORT, 2, pm1_cnt_access, pm);
	if (!ret)
		ret = bus__register(&vm->pio, ACPI_GPE0_PORT, ACPI_GPE0_LEN, gpe0_access, pm);
	if (ret) {
		free(pm);
		return ret;
	}
	vm__add_teardown(vm, acpi_pm_destroy, pm);
	if (out)
		*out = pm;
	return 0;
}
