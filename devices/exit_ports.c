// SPDX-License-Identifier: GPL-2.0
#include "exit_ports.h"
#include "exit_codes.h"
#include "layout.h"
#include "vm.h"

#include <string.h>

#define KBD_CMD_RESET 0xfe
#define KBD_STATUS_INPUT_FULL 0x02 /* i8042 status bit 1: a command is still being taken */

static void debug_exit_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
			      bool is_write)
{
	uint32_t v = 0;

	(void)off;
	if (!is_write) {
		memset(data, 0xff, len);
		return;
	}
	memcpy(&v, data, len);
	vm__request_exit(opaque, (int)((v << 1) | 1) & 0xff);
}

/* pcivmm does not reboot a guest: a reset ends the VM (exit 0), announced as such. */
void exit_ports__reset(void *vm)
{
	if (vm__request_exit_for(vm, EXIT_GUEST_POWEROFF, "guest-reset"))
		vm__event(vm, "guest-reset", NULL);
}

/*
 * Port 0x64: no keyboard controller, only its reset line. A read floats
 * high (0xff: Linux's i8042 probe finds the output buffer never empties,
 * gives up after 16 reads and says "No controller found"), except bit 1,
 * input buffer full, which reads 0: Linux's kb_wait() polls it, up to
 * 0x10000 times with udelay(2), before each 0xfe reset pulse of a
 * keyboard-controller reboot (reboot=k, and the default without ACPI's
 * reset register); 0xff there made every such reboot spend 65536 port
 * exits, about 4 s in the nested L1.
 */
static void kbd_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
		       bool is_write)
{
	(void)off;
	if (!is_write) {
		memset(data, 0xff, len);
		data[0] &= ~KBD_STATUS_INPUT_FULL;
		return;
	}
	if (data[0] == KBD_CMD_RESET)
		exit_ports__reset(opaque);
}

int exit_ports__create(struct vm *vm)
{
	int ret = bus__register(&vm->pio, DEBUG_EXIT_PORT, 4, debug_exit_access, vm);

	if (!ret)
		ret = bus__register(&vm->pio, KBD_CONTROLLER_PORT, 1, kbd_access, vm);
	return ret;
}
