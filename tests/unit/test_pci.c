// SPDX-License-Identifier: GPL-2.0
/*
 * Config-space model, host bridge (CF8/CFC and ECAM dispatch) and BAR
 * decoding, driven through the same buses the vCPUs use; no KVM involved.
 */
#include "unit.h"
#include "pci.h"
#include "guest_mem.h"
#include "layout.h"

#include <errno.h>
#include <string.h>

/* ---- the config model ---- */

TEST(header_ids_are_read_only_and_command_bits_writable)
{
	struct pci_config c;

	pci_config__init_header(&c, 0x1234, 0x11e8, 0x00ff00, 0x10, 1);
	pci_config__write(&c, PCI_VENDOR_ID, 4, 0);
	EXPECT_EQ(pci_config__read(&c, PCI_VENDOR_ID, 4), 0x11e81234);
	pci_config__write(&c, PCI_COMMAND, 2, 0xffff);
	EXPECT_EQ(pci_config__read(&c, PCI_COMMAND, 2), 0x0507);
	EXPECT_EQ(pci_config__read(&c, PCI_INTERRUPT_PIN, 1), 1);
	pci_config__write(&c, PCI_INTERRUPT_PIN, 1, 3);
	EXPECT_EQ(pci_config__read(&c, PCI_INTERRUPT_PIN, 1), 1);
}

TEST(status_interrupt_is_read_only_and_errors_are_write_one_to_clear)
{
	struct pci_config c;

	pci_config__init_header(&c, 1, 2, 0, 0, 1);
	pci_config__set(&c, PCI_STATUS, 2, PCI_STATUS_INTERRUPT | 0x8000);
	pci_config__write(&c, PCI_STATUS, 2, 0xffff);
	EXPECT_EQ(pci_config__read(&c, PCI_STATUS, 2), PCI_STATUS_INTERRUPT);
}

/* ---- register handlers ---- */

static unsigned handler_reads, handler_writes;
static uint32_t handler_val, handler_bytes;

static uint32_t line_read(struct pci_device *dev, unsigned reg)
{
	(void)dev;
	(void)reg;
	handler_reads++;
	return 0xab;
}

static void command_write(struct pci_device *dev, unsigned reg, uint32_t val, uint32_t bytes)
{
	handler_writes++;
	handler_val = val;
	handler_bytes = bytes;
	pci_config__write_bytes(&dev->cfg, reg, 2, val, bytes);
}

TEST(a_register_handler_sees_every_access_shape_once_with_its_bytes)
{
	static struct pci_device dev;
	const struct pci_reg_handler cmd = { .write = command_write };

	pci_device__init(&dev, NULL, 0x1234, 0x11e8, 0, 0, 1);
	EXPECT_EQ(pci_device__set_reg_handler(&dev, PCI_COMMAND, 2, &cmd), 0);
	pci_device__cfg_write(&dev, PCI_COMMAND + 1, 1, 0x04);
	EXPECT_EQ(handler_writes, 1);
	EXPECT_EQ(handler_val, 0x0400);
	EXPECT_EQ(handler_bytes, 0xff00);
	pci_device__cfg_write(&dev, PCI_COMMAND, 4, 0xffff0002);
	EXPECT_EQ(handler_writes, 2);
	EXPECT_EQ(handler_val, 0x0002);
	EXPECT_EQ(handler_bytes, 0xffff);
	/* STATUS, the other half of that dword, took the default path: W1C, nothing set. */
	EXPECT_EQ(pci_device__cfg_read(&dev, PCI_COMMAND, 4), 0x00000002);
	/* Reads have no handler here: the model answers. */
	EXPECT_EQ(pci_device__cfg_read(&dev, PCI_COMMAND + 1, 1), 0);
}

TEST(a_one_byte_handler_inside_a_dword_leaves_the_other_bytes_to_the_model)
{
	static struct pci_device dev;
	const struct pci_reg_handler line = { .read = line_read };

	pci_device__init(&dev, NULL, 0x1234, 0x11e8, 0, 0, 2);
	EXPECT_EQ(pci_device__set_reg_handler(&dev, PCI_INTERRUPT_LINE, 1, &line), 0);
	handler_reads = 0;
	EXPECT_EQ(pci_device__cfg_read(&dev, PCI_INTERRUPT_LINE, 4), 0x000002ab);
	EXPECT_EQ(handler_reads, 1);
	EXPECT_EQ(pci_device__cfg_read(&dev, PCI_INTERRUPT_PIN, 1), 2);
	EXPECT_EQ(handler_reads, 1);
	/* Overlapping or misaligned registrations are refused. */
	EXPECT_EQ(pci_device__set_reg_handler(&dev, PCI_INTERRUPT_LINE, 2, &line), -EINVAL);
	EXPECT_EQ(pci_device__set_reg_handler(&dev, PCI_COMMAND + 1, 2, &line), -EINVAL);
	/* The same register again replaces its handler. */
	EXPECT_EQ(pci_device__set_reg_handler(&dev, PCI_INTERRUPT_LINE, 1, &line), 0);
}

TEST(misaligned_or_oversized_accesses_are_rejected)
{
	struct pci_config c;

	pci_config__init_header(&c, 0x1234, 0x5678, 0, 0, 0);
	EXPECT(!pci_config__access_ok(1, 2));
	EXPECT(!pci_config__access_ok(2, 4));
	EXPECT(!pci_config__access_ok(0xfe, 4));
	EXPECT(!pci_config__access_ok(0x100, 1));
	EXPECT(!pci_config__access_ok(0, 3));
	EXPECT_EQ(pci_config__read(&c, 1, 2), 0xffff);
	pci_config__write(&c, 2, 4, 0); /* dropped */
	EXPECT_EQ(pci_config__read(&c, 0, 4), 0x56781234);
}

TEST(capabilities_chain_and_set_cap_list)
{
	struct pci_config c;
	uint8_t a, b;

	pci_config__init_header(&c, 1, 2, 0, 0, 0);
	a = pci_config__add_cap(&c, 0x05, 14);
	b = pci_config__add_cap(&c, 0x09, 8);
	EXPECT_EQ(a, 0x40);
	EXPECT_EQ(b, 0x50); /* 14 rounds up to 16 */
	EXPECT_EQ(pci_config__read(&c, PCI_CAPABILITY_LIST, 1), 0x40);
	EXPECT_EQ(pci_config__read(&c, 0x41, 1), 0x50);
	EXPECT_EQ(pci_config__read(&c, 0x51, 1), 0);
	EXPECT(pci_config__read(&c, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	EXPECT_EQ(pci_config__add_cap(&c, 0x10, 200), 0);
}

TEST(overlay_replaces_only_the_covered_bytes)
{
	/* STATUS (0x06, 2 bytes) inside a dword read at 0x04. */
	EXPECT_EQ(pci_config__overlay(4, 4, 0x00100407, 6, 2, 0x0018), 0x00180407);
	EXPECT_EQ(pci_config__overlay(7, 1, 0x00, 6, 2, 0xab18), 0xab);
	EXPECT_EQ(pci_config__overlay(0, 4, 0x12345678, 6, 2, 0xffff), 0x12345678);
}

/* ---- host bridge and BARs ---- */

struct fixture {
	struct bus pio, mmio;
	struct guest_mem mem;
	struct pci_host host;
	struct pci_device dev;
	unsigned bar_hits;
};

static void count_access(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool w)
{
	struct fixture *f = opaque;

	(void)off;
	if (!w)
		memset(data, 0xab, len);
	f->bar_hits++;
}

static void fixture_init(struct fixture *f, int slot)
{
	memset(f, 0, sizeof(*f));
	bus__init(&f->pio, "pio");
	bus__init(&f->mmio, "mmio");
	guest_mem__init(&f->mem, 64 << 20);
	pci_host__init(&f->host, &f->pio, &f->mmio, &f->mem);
	pci_device__init(&f->dev, NULL, 0x1234, 0x11e8, 0xff00, 0, 1);
	pci_device__add_bar(&f->dev, 0, PCI_BAR_MMIO32, 1 << 20, false, count_access, f);
	pci_device__add_bar(&f->dev, 2, PCI_BAR_IO, 32, false, count_access, f);
	pci_device__add_bar(&f->dev, 4, PCI_BAR_MMIO64, 1 << 16, true, count_access, f);
	pci_host__add(&f->host, &f->dev, slot);
}

static void fixture_exit(struct fixture *f)
{
	pci_host__exit(&f->host);
	guest_mem__exit(&f->mem);
	bus__exit(&f->pio);
	bus__exit(&f->mmio);
}

static uint32_t cf8_read(struct fixture *f, unsigned dev, unsigned off, unsigned len)
{
	uint32_t addr = 0x80000000u | dev << 11 | (off & 0xfc), v = 0;

	bus__access(&f->pio, 0xcf8, (uint8_t *)&addr, 4, true);
	bus__access(&f->pio, 0xcfc + (off & 3), (uint8_t *)&v, len, false);
	return v;
}

static void cf8_write(struct fixture *f, unsigned dev, unsigned off, unsigned len, uint32_t v)
{
	uint32_t addr = 0x80000000u | dev << 11 | (off & 0xfc);

	bus__access(&f->pio, 0xcf8, (uint8_t *)&addr, 4, true);
	bus__access(&f->pio, 0xcfc + (off & 3), (uint8_t *)&v, len, true);
}

static uint32_t ecam_read(struct fixture *f, unsigned dev, unsigned off, unsigned len)
{
	uint32_t v = 0;

	bus__access(&f->mmio, PCI_ECAM_BASE + (dev << 15) + off, (uint8_t *)&v, len, false);
	return v;
}

TEST(intx_swizzle_shares_gsis_between_slots_four_apart)
{
	EXPECT_EQ(pci_host__intx_gsi(4, 1), 16);
	EXPECT_EQ(pci_host__intx_gsi(8, 1), 16);
	EXPECT_EQ(pci_host__intx_gsi(1, 1), 17);
	EXPECT_EQ(pci_host__intx_gsi(1, 4), 16);
	EXPECT_EQ(pci_host__intx_gsi(31, 2), 16);
}

TEST(cf8_and_ecam_see_the_same_device_and_absent_slots_read_ones)
{
	struct fixture f;

	fixture_init(&f, 4);
	EXPECT_EQ(cf8_read(&f, 4, 0, 4), 0x11e81234);
	EXPECT_EQ(ecam_read(&f, 4, 0, 4), 0x11e81234);
	EXPECT_EQ(cf8_read(&f, 4, 2, 2), 0x11e8);
	EXPECT_EQ(cf8_read(&f, 4, PCI_INTERRUPT_LINE, 1), 16);
	EXPECT_EQ(cf8_read(&f, 5, 0, 4), 0xffffffff);
	EXPECT_EQ(ecam_read(&f, 5, 0, 4), 0xffffffff);
	EXPECT_EQ(ecam_read(&f, 4, 0x100, 4), 0); /* no extended config space */
	EXPECT_EQ(cf8_read(&f, 0, 0x0a, 2), 0x0600);
	fixture_exit(&f);
}

TEST(cf8_ignores_non_dword_address_writes_and_disabled_cycles)
{
	struct fixture f;
	uint8_t b = 0x12;
	uint32_t addr = 4 << 11, v = 0; /* enable bit clear */

	fixture_init(&f, 4);
	bus__access(&f.pio, 0xcf8, &b, 1, true);
	bus__access(&f.pio, 0xcf8, (uint8_t *)&addr, 4, true);
	bus__access(&f.pio, 0xcfc, (uint8_t *)&v, 4, false);
	EXPECT_EQ(v, 0xffffffff);
	fixture_exit(&f);
}

TEST(slot_taken_and_slot_zero_are_refused)
{
	struct fixture f;
	struct pci_device other;

	fixture_init(&f, 4);
	pci_device__init(&other, NULL, 1, 2, 0, 0, 1);
	EXPECT_EQ(pci_host__add(&f.host, &other, 4), -EBUSY);
	EXPECT_EQ(pci_host__add(&f.host, &other, 0), -EINVAL);
	EXPECT_EQ(pci_host__add(&f.host, &other, -1), 0);
	EXPECT_EQ(other.slot, 1);
	fixture_exit(&f);
}

TEST(bar_sizing_reports_size_and_keeps_type_bits)
{
	struct fixture f;

	fixture_init(&f, 4);
	cf8_write(&f, 4, 0x10, 4, 0xffffffff);
	EXPECT_EQ(cf8_read(&f, 4, 0x10, 4), 0xfff00000);
	cf8_write(&f, 4, 0x18, 4, 0xffffffff);
	EXPECT_EQ(cf8_read(&f, 4, 0x18, 4), 0xffffffe1);
	cf8_write(&f, 4, 0x20, 4, 0xffffffff);
	cf8_write(&f, 4, 0x24, 4, 0xffffffff);
	EXPECT_EQ(cf8_read(&f, 4, 0x20, 4), 0xffff000c); /* 64-bit, prefetchable */
	EXPECT_EQ(cf8_read(&f, 4, 0x24, 4), 0xffffffff);
	fixture_exit(&f);
}

TEST(firmware_assignment_maps_bars_and_decode_bits_gate_them)
{
	struct fixture f;
	uint32_t v = 0;

	fixture_init(&f, 4);
	EXPECT_EQ(pci_host__assign_bars(&f.host), 0);
	EXPECT_EQ(pci_device__bar_addr(&f.dev, 0), PCI_MMIO_BASE);
	EXPECT(bus__access(&f.mmio, PCI_MMIO_BASE + 0x24, (uint8_t *)&v, 4, false));
	EXPECT_EQ(v, 0xabababab);
	EXPECT(bus__access(&f.pio, pci_device__bar_addr(&f.dev, 2), (uint8_t *)&v, 1, false));
	cf8_write(&f, 4, PCI_COMMAND, 2, 0); /* decode off */
	EXPECT(!bus__access(&f.mmio, PCI_MMIO_BASE + 0x24, (uint8_t *)&v, 4, false));
	EXPECT_EQ(v, 0xffffffff);
	cf8_write(&f, 4, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	EXPECT(bus__access(&f.mmio, PCI_MMIO_BASE + 0x24, (uint8_t *)&v, 4, false));
	fixture_exit(&f);
}

TEST(sixty_four_bit_bars_go_above_4g_and_above_ram_naturally_aligned)
{
	struct fixture f;
	struct pci_device big;
	uint32_t v = 0;

	fixture_init(&f, 4);
	/* A 1 GiB prefetchable 64-bit BAR (a GPU's aperture, ivshmem's memory). */
	pci_device__init(&big, NULL, 0x1af4, 0x1110, 0x0500, 0, 1);
	pci_device__add_bar(&big, 2, PCI_BAR_MMIO64, 1ULL << 30, true, count_access, &f);
	pci_host__add(&f.host, &big, 5);
	EXPECT_EQ(pci_host__assign_bars(&f.host), 0);
	/* 64 MiB of RAM: the window starts at 4 GiB; the first BAR at 4 GiB, the next aligned. */
	EXPECT_EQ(pci_device__bar_addr(&f.dev, 4), 0x100000000ULL);
	EXPECT_EQ(pci_device__bar_addr(&big, 2), 0x140000000ULL);
	EXPECT_EQ(cf8_read(&f, 5, PCI_BASE_ADDRESS_2, 4), 0x4000000c); /* 64-bit, prefetchable */
	EXPECT_EQ(cf8_read(&f, 5, PCI_BASE_ADDRESS_3, 4), 1);
	EXPECT(bus__access(&f.mmio, 0x140000000ULL + (1ULL << 30) - 4, (uint8_t *)&v, 4, false));
	EXPECT_EQ(v, 0xabababab);
	EXPECT_EQ(pci_device__bar_addr(&f.dev, 0), PCI_MMIO_BASE); /* 32-bit ones stay low */
	pci_host__remove(&f.host, &big);
	fixture_exit(&f);
}

TEST(the_64_bit_window_starts_above_ram_that_reaches_past_4g)
{
	struct bus pio, mmio;
	struct guest_mem mem;
	struct pci_host host;

	bus__init(&pio, "pio");
	bus__init(&mmio, "mmio");
	EXPECT_EQ(guest_mem__init(&mem, 5ULL << 30), 0); /* 3 GiB low + 2 GiB from 4 GiB */
	EXPECT_EQ(pci_host__init(&host, &pio, &mmio, &mem), 0);
	EXPECT_EQ(host.mmio64_base, 6ULL << 30);
	pci_host__exit(&host);
	guest_mem__exit(&mem);
	bus__exit(&pio);
	bus__exit(&mmio);
}

TEST(the_expansion_rom_sizes_and_decodes_only_when_enabled)
{
	struct fixture f;
	uint32_t v = 0;
	uint64_t rom;

	fixture_init(&f, 4);
	EXPECT_EQ(pci_device__add_rom(&f.dev, 64 << 10, count_access, &f), 0);
	EXPECT_EQ(pci_device__add_rom(&f.dev, 64 << 10, count_access, &f), -EINVAL); /* once */
	EXPECT_EQ(pci_host__assign_bars(&f.host), 0);
	rom = pci_device__bar_addr(&f.dev, PCI_ROM_BAR);
	EXPECT(rom >= PCI_MMIO_BASE && rom < PCI_MMIO_BASE + PCI_MMIO_SIZE && !(rom & 0xffff));
	EXPECT_EQ(cf8_read(&f, 4, PCI_ROM_ADDRESS, 4), (uint32_t)rom); /* placed, not enabled */
	EXPECT(!bus__access(&f.mmio, rom, (uint8_t *)&v, 4, false));
	/* Sizing, as Linux's __pci_read_base does for the ROM. */
	cf8_write(&f, 4, PCI_ROM_ADDRESS, 4, PCI_ROM_ADDRESS_MASK);
	EXPECT_EQ(cf8_read(&f, 4, PCI_ROM_ADDRESS, 4), 0xffff0000);
	cf8_write(&f, 4, PCI_ROM_ADDRESS, 4, (uint32_t)rom | PCI_ROM_ADDRESS_ENABLE);
	EXPECT(bus__access(&f.mmio, rom + 0x10, (uint8_t *)&v, 4, false));
	EXPECT_EQ(v, 0xabababab);
	cf8_write(&f, 4, PCI_COMMAND, 2, 0); /* memory decode off gates the ROM too */
	EXPECT(!bus__access(&f.mmio, rom + 0x10, (uint8_t *)&v, 4, false));
	cf8_write(&f, 4, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	cf8_write(&f, 4, PCI_ROM_ADDRESS, 4, (uint32_t)rom); /* enable off */
	EXPECT(!bus__access(&f.mmio, rom + 0x10, (uint8_t *)&v, 4, false));
	fixture_exit(&f);
}

TEST(guest_relocates_a_bar_and_the_old_address_stops_decoding)
{
	struct fixture f;
	uint32_t v;

	fixture_init(&f, 4);
	pci_host__assign_bars(&f.host);
	cf8_write(&f, 4, 0x10, 4, 0xd0000000);
	EXPECT_EQ(pci_device__bar_addr(&f.dev, 0), 0xd0000000);
	EXPECT(!bus__access(&f.mmio, PCI_MMIO_BASE, (uint8_t *)&v, 4, false));
	EXPECT(bus__access(&f.mmio, 0xd0000000, (uint8_t *)&v, 4, false));
	fixture_exit(&f);
}

TEST(bar_placed_over_ram_or_another_device_does_not_decode)
{
	struct fixture f;
	struct pci_device other;
	uint32_t v;

	fixture_init(&f, 4);
	pci_device__init(&other, NULL, 1, 2, 0, 0, 1);
	pci_device__add_bar(&other, 0, PCI_BAR_MMIO32, 1 << 20, false, count_access, &f);
	pci_host__add(&f.host, &other, 5);
	pci_host__assign_bars(&f.host);

	cf8_write(&f, 4, 0x10, 4, 0x00100000); /* over guest RAM */
	EXPECT(!f.dev.bars[0].mapped);
	cf8_write(&f, 4, 0x10, 4, (uint32_t)pci_device__bar_addr(&other, 0)); /* on top of other */
	EXPECT(!f.dev.bars[0].mapped);
	EXPECT(bus__access(&f.mmio, pci_device__bar_addr(&other, 0), (uint8_t *)&v, 4, false));
	cf8_write(&f, 4, 0x10, 4, PCI_ECAM_BASE); /* over the ECAM window */
	EXPECT(!f.dev.bars[0].mapped);
	EXPECT_EQ(ecam_read(&f, 4, 0, 4), 0x11e81234);
	/* KVM's own ranges: the IOAPIC, the LAPIC/MSI window, the VMX TSS pages. */
	cf8_write(&f, 4, 0x10, 4, IOAPIC_BASE);
	EXPECT(!f.dev.bars[0].mapped);
	cf8_write(&f, 4, 0x10, 4, LAPIC_BASE);
	EXPECT(!f.dev.bars[0].mapped);
	cf8_write(&f, 4, 0x10, 4, 0xfff00000); /* 1 MiB BAR covering 0xfffbc000-0xfffc0000 */
	EXPECT(!f.dev.bars[0].mapped);
	cf8_write(&f, 4, 0x10, 4, 0xd0000000); /* and back to a good place */
	EXPECT(f.dev.bars[0].mapped);
	fixture_exit(&f);
}

static void other_access(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool w)
{
	(void)opaque, (void)off;
	if (!w)
		memset(data, 0xcd, len);
}

/* Who answers a 4-byte read at addr: 0xab.. A (f.dev), 0xcd.. B, all ones nobody. */
static uint32_t mmio_read(struct fixture *f, uint64_t addr)
{
	uint32_t v = 0;

	bus__access(&f->mmio, addr, (uint8_t *)&v, 4, false);
	return v;
}

/* A second device, B, at slot 5 with one 1 MiB BAR as big as A's BAR0; both placed. */
static void fixture_add_b(struct fixture *f, struct pci_device *b)
{
	pci_device__init(b, NULL, 1, 2, 0, 0, 1);
	pci_device__add_bar(b, 0, PCI_BAR_MMIO32, 1 << 20, false, other_access, NULL);
	pci_host__add(&f->host, b, 5);
	pci_host__assign_bars(&f->host);
}

/*
 * A guest swapping two BARs (an OS reassigning resources) moves one onto
 * the other's range first: that one waits, undecoded, until the range is
 * free, and decodes then, without another write to it.
 */
TEST(two_bars_swapped_both_decode_at_their_new_addresses)
{
	struct fixture f;
	struct pci_device b;
	uint64_t x, y;

	fixture_init(&f, 4);
	fixture_add_b(&f, &b);
	x = pci_device__bar_addr(&f.dev, 0);
	y = pci_device__bar_addr(&b, 0);
	EXPECT(x != y);
	cf8_write(&f, 4, PCI_BASE_ADDRESS_0, 4, (uint32_t)y); /* A onto B: A waits */
	EXPECT(!f.dev.bars[0].mapped);
	EXPECT_EQ(mmio_read(&f, y), 0xcdcdcdcd);
	cf8_write(&f, 5, PCI_BASE_ADDRESS_0, 4, (uint32_t)x); /* B to A's old range: y frees */
	EXPECT_EQ(mmio_read(&f, x), 0xcdcdcdcd);
	EXPECT(f.dev.bars[0].mapped);
	EXPECT_EQ(f.dev.bars[0].mapped_at, y);
	EXPECT_EQ(mmio_read(&f, y), 0xabababab);
	pci_host__remove(&f.host, &b);
	fixture_exit(&f);
}

TEST(a_bar_waiting_on_a_taken_range_decodes_once_its_owner_stops_decoding_or_goes)
{
	struct fixture f;
	struct pci_device b;
	uint64_t y;

	fixture_init(&f, 4);
	fixture_add_b(&f, &b);
	y = pci_device__bar_addr(&b, 0);
	cf8_write(&f, 4, PCI_BASE_ADDRESS_0, 4, (uint32_t)y);
	EXPECT(!f.dev.bars[0].mapped);
	cf8_write(&f, 5, PCI_COMMAND, 2, 0); /* B's memory decode off */
	EXPECT_EQ(mmio_read(&f, y), 0xabababab);
	/* B decodes again: its range is A's now, so B waits in turn. */
	cf8_write(&f, 5, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	EXPECT(!b.bars[0].mapped);
	/* A moves away and B takes its range back; then B goes and A returns to y. */
	cf8_write(&f, 4, PCI_BASE_ADDRESS_0, 4, 0xd0000000);
	EXPECT(b.bars[0].mapped);
	EXPECT_EQ(mmio_read(&f, y), 0xcdcdcdcd);
	cf8_write(&f, 4, PCI_BASE_ADDRESS_0, 4, (uint32_t)y);
	EXPECT(!f.dev.bars[0].mapped);
	pci_host__remove(&f.host, &b);
	EXPECT_EQ(mmio_read(&f, y), 0xabababab);
	fixture_exit(&f);
}

/* ---- bus ---- */

TEST(bus_rejects_overlaps_and_accesses_straddling_a_range)
{
	struct bus b;
	uint8_t d[4] = { 0 };

	bus__init(&b, "t");
	EXPECT_EQ(bus__register(&b, 0x100, 0x10, count_access, NULL), 0);
	EXPECT_EQ(bus__register(&b, 0x108, 0x10, count_access, NULL), -EEXIST);
	EXPECT_EQ(bus__register(&b, 0xf8, 0x10, count_access, NULL), -EEXIST);
	EXPECT_EQ(bus__register(&b, UINT64_MAX - 4, 0x10, count_access, NULL), -EINVAL);
	EXPECT_EQ(bus__register(&b, 0x110, 0x10, count_access, NULL), 0);
	EXPECT(!bus__access(&b, 0x10e, d, 4, false)); /* straddles two ranges */
	EXPECT_EQ(d[0], 0xff);
	EXPECT_EQ(bus__unregister(&b, 0x100, NULL), 0);
	EXPECT_EQ(bus__unregister(&b, 0x100, NULL), -ENOENT);
	bus__exit(&b);
}
