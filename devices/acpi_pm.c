// SPDX-License-Identifier: GPL-2.0
#include "acpi_pm.h"
#include "exit_codes.h"
#include "layout.h"
#include "vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PM1_EN_OFF 2 /* after PM1_STS at 0 */
#define PM1_CNT_SCI_EN (1u << 0)
#define PM1_CNT_SLP_TYP(v) (((v) >> 10) & 7)
#define PM1_CNT_SLP_EN (1u << 13) /* write-only: starts the sleep */
#define PM1_SLP_TYP_S5 0          /* QEMU's S5 encoding, the DSDT's \_S5 */

struct acpi_pm {
	struct vm *vm;
	uint16_t enable; /* PM1_EN */
	uint16_t control; /* PM1_CNT, SLP_EN never kept */
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

static void pm1_evt_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
			   bool is_write)
{
	struct acpi_pm *pm = opaque;
	uint8_t regs[4] = { 0, 0, (uint8_t)pm->enable, (uint8_t)(pm->enable >> 8) };

	reg_access(regs, sizeof(regs), off, data, len, is_write);
	if (is_write)
		pm->enable = (uint16_t)(regs[PM1_EN_OFF] | regs[PM1_EN_OFF + 1] << 8);
}

static void pm1_cnt_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
			   bool is_write)
{
	struct acpi_pm *pm = opaque;
	uint16_t v = pm->control | PM1_CNT_SCI_EN;
	uint8_t regs[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	reg_access(regs, sizeof(regs), off, data, len, is_write);
	if (!is_write)
		return;
	v = (uint16_t)(regs[0] | regs[1] << 8);
	pm->control = v & ~PM1_CNT_SLP_EN;
	if ((v & PM1_CNT_SLP_EN) && PM1_CNT_SLP_TYP(v) == PM1_SLP_TYP_S5)
		vm__request_exit(pm->vm, EXIT_GUEST_POWEROFF);
}

static void acpi_pm_destroy(struct vm *vm, void *opaque)
{
	(void)vm;
	free(opaque);
}

int acpi_pm__create(struct vm *vm)
{
	struct acpi_pm *pm = calloc(1, sizeof(*pm));
	int ret;

	if (!pm)
		return -ENOMEM;
	pm->vm = vm;
	ret = bus__register(&vm->pio, ACPI_PM1A_EVT_PORT, 4, pm1_evt_access, pm);
	if (!ret)
		ret = bus__register(&vm->pio, ACPI_PM1A_CNT_PORT, 2, pm1_cnt_access, pm);
	if (ret) {
		free(pm);
		return ret;
	}
	vm__add_teardown(vm, acpi_pm_destroy, pm);
	return 0;
}
