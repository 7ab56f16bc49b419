// SPDX-License-Identifier: GPL-2.0
/*
 * adversary: a hostile guest. Against an edu-compatible device (emulated or
 * passed through) and the host bridge it
 *  - writes every config offset with boundary and random values at every
 *    width (seed=N picks the random ones), through ECAM and CF8/CFC;
 *  - moves BAR0 onto its own RAM, onto the IOAPIC, the LAPIC, the ECAM
 *    window and (with two devices) onto the other device's BAR, checking
 *    that none of those stops working, then back;
 *  - reads and writes past the end of BAR0;
 *  - toggles INTX_DISABLE at full speed, in every access shape, while the
 *    device raises and the handler acknowledges;
 * then restores the device as it found it and checks that it works
 * normally: identification, one interrupt per raise. The VMM must stay up
 * through all of it; a later normal test on the same device must pass.
 */
#include "guest.h"

const char test_name[] = "adversary";

#define VECTOR 0x46
#define LAPIC_BASE 0xfee00000ULL
#define LAPIC_VERSION 0x30
#define IOAPIC_BASE 0xfec00000ULL
#define EDU_ID 0x010000ed
#define EDU_BAR0_SIZE 0x100000ULL

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64: reproducible from seed= */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void save_config(const struct pci_dev *d, uint32_t *saved)
{
	for (unsigned off = 0; off < 256; off += 4)
		saved[off / 4] = pci_cfg_read(d, off, 4);
}

/* Writes back what was read: BARs, COMMAND, the capabilities' control words. */
static void restore_config(const struct pci_dev *d, const uint32_t *saved)
{
	/* Decode off while BARs go back, COMMAND last. */
	pci_cfg_write(d, PCI_COMMAND, 2, 0);
	for (unsigned off = 0x08; off < 256; off += 4)
		pci_cfg_write(d, off, 4, saved[off / 4]);
	pci_cfg_write(d, PCI_COMMAND, 2, saved[1] & 0xffff);
}

/* Every offset, every width, boundary and random values, both mechanisms. */
static unsigned config_storm(const struct pci_dev *d)
{
	static const uint32_t values[] = { 0, 0xffffffff, 0x55555555, 0xaaaaaaaa, 0x80000001 };
	unsigned writes = 0;

	for (int path = 0; path < 2; path++) {
		pci_use_cf8 = path == 1 || !pci_ecam_base;
		for (unsigned len = 1; len <= 4; len *= 2) {
			for (unsigned off = 0; off < 256; off += len) {
				for (unsigned v = 0; v < sizeof(values) / sizeof(values[0]) + 1; v++) {
					uint32_t val = v < sizeof(values) / sizeof(values[0]) ?
						       values[v] : (uint32_t)rng();

					pci_cfg_write(d, off, len, val);
					(void)pci_cfg_read(d, off, len);
					writes++;
				}
			}
		}
	}
	pci_use_cf8 = false;
	return writes;
}

static bool device_answers(struct edu *e)
{
	return mmio_read32(e->bar0) == EDU_ID;
}

static void move_bar0(struct edu *e, uint64_t addr)
{
	pci_cfg_write(&e->pci, PCI_BASE_ADDRESS_0, 4, (uint32_t)addr);
}

static void bar_moves(struct edu *e, struct edu *other)
{
	static volatile uint32_t ram_probe[1024] __attribute__((aligned(4096)));
	uint64_t home = e->bar0;
	uint32_t lapic_version = mmio_read32(LAPIC_BASE + LAPIC_VERSION);
	uint32_t ecam_id = pci_ecam_base ? pci_ecam_read(0, 0, 0, 0, 4) : 0;

	for (unsigned i = 0; i < 1024; i++)
		ram_probe[i] = 0x5a5a0000 + i;
	/* Onto our own RAM (a BAR is 1 MiB aligned: the MiB holding the probe). */
	move_bar0(e, (uint64_t)(uintptr_t)ram_probe & ~(EDU_BAR0_SIZE - 1));
	check(ram_probe[7] == 0x5a5a0007 && ram_probe[1023] == 0x5a5a03ff,
	      "BAR0 moved over guest RAM: the RAM still reads as RAM");
	move_bar0(e, LAPIC_BASE);
	check(mmio_read32(LAPIC_BASE + LAPIC_VERSION) == lapic_version,
	      "BAR0 moved onto the LAPIC: the LAPIC still answers (version 0x%x)", lapic_version);
	move_bar0(e, IOAPIC_BASE);
	mmio_write32(IOAPIC_BASE, 1); /* IOREGSEL: version register */
	check((mmio_read32(IOAPIC_BASE + 0x10) & 0xff) == 0x11 ||
	      (mmio_read32(IOAPIC_BASE + 0x10) & 0xff) == 0x20,
	      "BAR0 moved onto the IOAPIC: the IOAPIC still answers (version 0x%x)",
	      mmio_read32(IOAPIC_BASE + 0x10) & 0xff);
	if (pci_ecam_base) {
		move_bar0(e, pci_ecam_base);
		check(pci_ecam_read(0, 0, 0, 0, 4) == ecam_id,
		      "BAR0 moved onto the ECAM window: config space still reads there");
	}
	if (other) {
		move_bar0(e, other->bar0);
		check(device_answers(other),
		      "BAR0 moved onto the other device's BAR0: that device still answers");
	}
	move_bar0(e, home);
	check(device_answers(e), "BAR0 moved back home: the device answers again");
}

static void past_the_end(struct edu *e)
{
	uint32_t last = mmio_read32(e->bar0 + EDU_BAR0_SIZE - 4);

	(void)last;
	/* The MMIO window has nothing right after BAR0 here: all ones, writes go nowhere. */
	mmio_write32(e->bar0 + EDU_BAR0_SIZE, 0xdeadbeef);
	mmio_write32(e->bar0 + EDU_BAR0_SIZE + 0x60, 1);
	check(mmio_read32(e->bar0 + EDU_BAR0_SIZE) == 0xffffffff,
	      "a read just past BAR0's end reads all ones");
	check(device_answers(e) && edu_status(e) == 0,
	      "writes past BAR0's end (one at the raise offset) reached nothing");
}

static struct edu dev, other;
static volatile uint64_t toggles;

static void handler(void *arg)
{
	struct edu *e = arg;
	uint32_t st;

	if (edu_irq_claim(e, &st)) {
		edu_ack(e, st);
		e->irqs++;
	}
}

/* INTX_DISABLE flipped as fast as the guest can, in every shape, while raising. */
static void intx_toggle_storm(struct edu *e, unsigned rounds)
{
	for (unsigned i = 0; i < rounds; i++) {
		edu_cfg_shape = rng() % CFG_SHAPES;
		pci_use_cf8 = (rng() & 1) || !pci_ecam_base;
		if (i % 3 == 0)
			edu_raise(e, 1u << (i % 8));
		edu_set_intx_disable(e, rng() & 1);
		toggles++;
	}
	edu_cfg_shape = CFG_WORD_AT_4;
	pci_use_cf8 = false;
	edu_set_intx_disable(e, false);
	delay_ms(50);
	edu_ack(e, 0xffffffff);
	delay_ms(50);
}

void test_main(void)
{
	static uint32_t saved[64], saved_other[64], saved_bridge[64];
	struct pci_dev bridge = { 0 };
	bool two;
	unsigned writes;

	rng_state = cmdline_u64("seed", 1) | 1;
	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	two = edu_find(1, &other);
	save_config(&dev.pci, saved);
	if (two)
		save_config(&other.pci, saved_other);
	save_config(&bridge, saved_bridge);

	writes = config_storm(&dev.pci);
	writes += config_storm(&bridge);
	restore_config(&dev.pci, saved);
	restore_config(&bridge, saved_bridge);
	check(pci_cfg_read(&dev.pci, 0, 4) == saved[0] && pci_cfg_read(&bridge, 0, 4) == saved_bridge[0],
	      "%u config writes at every offset and width: IDs unchanged", writes);
	check(pci_cfg_read(&dev.pci, PCI_BASE_ADDRESS_0, 4) == saved[PCI_BASE_ADDRESS_0 / 4] && device_answers(&dev),
	      "after restoring its config the device answers at its BAR again");
	check(pci_cf8_read(0, 31, 7, 0, 4) == 0xffffffff,
	      "an absent function still reads all ones");

	bar_moves(&dev, two ? &other : NULL);
	/* Past the end of the highest BAR0: the other's may follow ours directly. */
	past_the_end(two && other.bar0 > dev.bar0 ? &other : &dev);

	edu_setup_irq(&dev, VECTOR, handler, &dev);
	irq_enable();
	intx_toggle_storm(&dev, cmdline_u64("toggles", 20000));
	check(!edu_status_interrupt(&dev), "after %lu INTX_DISABLE toggles the device is idle", toggles);

	/* Back to normal: exact. */
	dev.irqs = dev.spurious = 0;
	for (unsigned i = 0; i < 50; i++) {
		edu_raise(&dev, 1);
		if (!edu_wait_irqs(&dev, i + 1, 2000))
			break;
	}
	delay_ms(50);
	check(dev.irqs == 50 && dev.spurious == 0,
	      "afterwards 50 raises give exactly 50 interrupts (%lu, %lu spurious)", dev.irqs,
	      dev.spurious);
	irq_disable();
	if (two)
		restore_config(&other.pci, saved_other);
	edu_ack(&dev, 0xffffffff);
}
