// SPDX-License-Identifier: GPL-2.0
/*
 * reset-cf9: CONFIG_ADDRESS writes are coalesced by the VMM (KVM buffers
 * them without an exit), so check what that must not change: a value
 * written to 0xcf8 reads back at once, and every config read through
 * 0xcfc uses the address written just before it. Then reset the machine
 * through 0xcf9 (PIIX/ICH reset control: bit 2 resets, bit 1 = hard) -
 * a byte inside the coalesced range - and halt with interrupts off: the
 * VMM must still see the write and end the VM (exit 0), not wait for an
 * exit that never comes.
 */
#include "guest.h"

const char test_name[] = "reset-cf9";

#define CF8 0xcf8
#define CFC 0xcfc
#define CF9 0xcf9

void test_main(void)
{
	unsigned readback_bad = 0, id_bad = 0;
	uint32_t bridge_id;

	outl(CF8, 0x80000000u);
	bridge_id = inl(CFC);
	check(bridge_id != 0xffffffffu && bridge_id != 0,
	      "the host bridge answers through CF8/CFC (ID %08x)", bridge_id);
	for (unsigned i = 0; i < 2000; i++) {
		/* Slot i % 32, register 0: present slots answer, absent ones read all ones. */
		uint32_t addr = 0x80000000u | (i % 32) << 11 | (i & 0x3c);

		outl(CF8, addr);
		if (inl(CF8) != addr)
			readback_bad++;
		outl(CF8, 0x80000000u);
		if (inl(CFC) != bridge_id)
			id_bad++;
	}
	check(readback_bad == 0, "2000 CONFIG_ADDRESS writes read back at once (%u did not)",
	      readback_bad);
	check(id_bad == 0, "2000 config reads used the address written just before (%u did not)",
	      id_bad);
	printf("PASS: %s: resetting through 0xcf9, then halting with interrupts off\n", test_name);
	outb(CF9, 0x06);
	irq_disable();
	for (;;)
		__asm__ volatile("hlt");
}
