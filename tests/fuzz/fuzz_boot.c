// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the boot loaders: whatever file a user (or an attacker
 * who controls one) gives as --kernel and --initrd. Input: byte 0 picks an
 * initrd size (bits 0-3, 4 KiB units; 0: no --initrd), the command line
 * (bits 4-5) and an empty initrd file instead (bit 6); the rest is the
 * kernel file.
 * kernel__probe must refuse what it cannot load; what it accepts must load
 * into a 64 MiB guest without touching anything outside guest RAM (ASan
 * watches the copies; guest_mem__ptr bounds every guest address).
 */
#include "fuzz_quiet.h"
#include "boot.h"
#include "guest_mem.h"
#include "vm.h" /* struct boot_regs */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_RAM (64ULL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guest_mem mem;
	static uint8_t initrd_data[1 << 16];
	static const char *const cmdlines[] = { NULL, "", "console=ttyS0 quiet", "count=5" };
	struct boot_file kernel, initrd = { .path = "initrd" };
	struct boot_setup setup = { .kernel = &kernel, .nr_cpus = 1 };
	struct boot_pci_irq irqs[] = { { 4, 1, 16 }, { 8, 1, 16 } };
	struct boot_regs regs;
	enum kernel_kind kind;

	fuzz_quiet_messages();
	if (!mem.base && guest_mem__init(&mem, FUZZ_RAM))
		abort();
	if (size < 1)
		return 0;
	/* A private copy: the loaders get exactly size bytes, as from a file. */
	kernel = (struct boot_file){ .path = "kernel", .size = size - 1,
				     .data = malloc(size > 1 ? size - 1 : 1) };
	if (!kernel.data)
		return 0;
	memcpy(kernel.data, data + 1, size - 1);
	if (kernel__probe(&kernel, &kind) == 0) {
		/* An empty file: boot_file__read reads nothing, data stays NULL. */
		bool empty = data[0] & 0x40;

		initrd.size = empty ? 0 : (size_t)(data[0] & 0x0f) << 12;
		initrd.data = empty ? NULL : initrd_data;
		setup.initrd = kind != KERNEL_ELF64 && (initrd.size || empty) ? &initrd : NULL;
		setup.cmdline = cmdlines[(data[0] >> 4) & 3];
		setup.pci_irqs = irqs;
		setup.nr_pci_irqs = 2;
		if (kind != KERNEL_BZIMAGE)
			boot_elf__load(&mem, &setup, &regs);
		else
			boot_linux__load(&mem, &setup, &regs);
	}
	free(kernel.data);
	return 0;
}
