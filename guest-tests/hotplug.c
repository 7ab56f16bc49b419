// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug: the guest half of the kvm suite's hot-plug test (tests/kvm/
 * api.sh, case hotplug), as an OS's ACPI PCI hot-plug driver would see it
 * (vmm/boot/acpi_pcihp.h): GPE0 bit 1 enabled, the SCI (GSI 9) routed;
 * on each SCI the GPE status is cleared and PCIU/PCID read; a slot in PCIU
 * is scanned and its device used; a slot in PCID is released and ejected
 * (B0EJ). The edu in slot 4 (testdev, GSI 16) raises and is counted the
 * whole time; the one plugged into slot 8 shares its GSI, and both counts
 * must stay exact through plug, use, eject and a second plug.
 * eject=0: the guest ignores the eject request (the API's timeout path).
 */
#include "guest.h"

const char test_name[] = "hotplug";

#define GPE0_STS 0x620
#define GPE0_EN 0x622
#define GPE_PCI_HOTPLUG (1u << 1)
#define PCIU 0xae00
#define PCID 0xae04
#define B0EJ 0xae08
#define SCI_GSI 9
#define SCI_VECTOR 0x44
#define EDU_VECTOR 0x45
#define SLOT 8

static struct edu resident, plugged;
static volatile bool have_plugged;
static volatile uint32_t up, down;

static void sci_handler(void *arg)
{
	(void)arg;
	if (!(inw(GPE0_STS) & GPE_PCI_HOTPLUG))
		return;
	outw(GPE0_STS, GPE_PCI_HOTPLUG); /* write 1 to clear, as ACPICA does before _E01 */
	up |= inl(PCIU);
	down |= inl(PCID);
}

static bool service(struct edu *e)
{
	uint32_t st = edu_status(e);

	if (!st)
		return false;
	edu_ack(e, st);
	e->irqs++;
	return true;
}

/* GSI 16 is shared: poll both functions, as a shared-line driver must. */
static void edu_handler(void *arg)
{
	bool any;

	(void)arg;
	any = service(&resident);
	if (have_plugged)
		any |= service(&plugged);
	if (!any)
		resident.spurious++;
}

/* The function in slot: what an OS's scan of a hot-added slot finds. */
static bool probe_slot(unsigned slot, struct edu *e)
{
	uint32_t id = pci_cf8_read(0, slot, 0, PCI_VENDOR_ID, 4);

	if (id != ((uint32_t)EDU_DEVICE << 16 | EDU_VENDOR))
		return false;
	*e = (struct edu){ .pci = { .bus = 0, .dev = (uint8_t)slot, .vendor = EDU_VENDOR,
				    .device = EDU_DEVICE } };
	e->pci.pin = (uint8_t)pci_cf8_read(0, slot, 0, PCI_INTERRUPT_PIN, 1);
	e->pci.gsi = pci_cf8_read(0, slot, 0, PCI_INTERRUPT_LINE, 1);
	e->bar0 = pci_bar_addr(&e->pci, 0);
	return e->bar0 && (pci_cf8_read(0, slot, 0, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY);
}

/* rounds raises on each device, each waited for; false when one never came. */
static bool raise_rounds(unsigned rounds, bool both)
{
	uint64_t a0 = resident.irqs, b0 = plugged.irqs;

	for (unsigned i = 0; i < rounds; i++) {
		edu_raise(&resident, 1u << (i % 8));
		if (!wait_count(&resident.irqs, a0 + i + 1, 2000))
			return false;
		if (!both)
			continue;
		edu_raise(&plugged, 1u << (i % 8));
		if (!wait_count(&plugged.irqs, b0 + i + 1, 2000))
			return false;
	}
	return true;
}

/* raise_rounds, then per-device counts exact and no interrupt that nobody raised. */
static bool storm(unsigned rounds, bool both)
{
	uint64_t a0 = resident.irqs, b0 = plugged.irqs, s0 = resident.spurious;

	if (!raise_rounds(rounds, both))
		return false;
	delay_ms(20);
	return resident.irqs == a0 + rounds && plugged.irqs == b0 + (both ? rounds : 0) &&
	       resident.spurious == s0;
}

/*
 * Raises on the resident device until the hot-plug event sets SLOT's bit
 * in *map; false on a timeout or a lost interrupt. Its exactness over the
 * whole wait is the caller's check.
 */
static bool storm_until(volatile uint32_t *map, unsigned timeout_ms)
{
	uint64_t start = rdtsc();

	while (!(*map & (1u << SLOT))) {
		if (!raise_rounds(10, false) || ms_since(start) > timeout_ms)
			return false;
	}
	return true;
}

static void plug_and_use(const char *which)
{
	uint64_t spurious = resident.spurious;
	bool found;

	check(storm_until(&up, 30000), "%s: the plug's SCI came with PCIU bit %d", which, SLOT);
	check(resident.spurious == spurious, "%s: the resident device stayed exact meanwhile (%lu interrupts, %lu spurious)",
	      which, resident.irqs, resident.spurious - spurious);
	up = 0;
	found = probe_slot(SLOT, &plugged);
	check(found, "%s: slot %d holds an edu with BAR0 decoding (0x%lx)", which, SLOT, plugged.bar0);
	if (!found)
		return;
	check(plugged.pci.gsi == resident.pci.gsi, "%s: it shares GSI %u with the resident device (%u)",
	      which, resident.pci.gsi, plugged.pci.gsi);
	have_plugged = true;
	found = storm(200, true);
	check(found, "%s: 200 raises on each, counts exact (resident %lu, plugged %lu, %lu spurious)",
	      which, resident.irqs, plugged.irqs, resident.spurious);
}

void test_main(void)
{
	bool eject = cmdline_u64("eject", 1), exact;

	if (!edu_find(0, &resident)) {
		check(false, "the resident edu (slot 4) is present");
		return;
	}
	edu_setup_irq(&resident, EDU_VECTOR, edu_handler, NULL);
	irq_set_handler(SCI_VECTOR, sci_handler, NULL);
	ioapic_route_level(SCI_GSI, SCI_VECTOR);
	outw(GPE0_EN, GPE_PCI_HOTPLUG);
	irq_enable();
	check(storm(100, false), "the resident device alone: 100 raises, 100 interrupts");

	printf("# hotplug: ready for a device in slot %d\n", SLOT);
	plug_and_use("first plug");
	printf("# hotplug: done with slot %d; eject it\n", SLOT);
	check(storm_until(&down, 30000), "the eject request's SCI came with PCID bit %d", SLOT);
	check(resident.spurious == 0 && plugged.irqs == 200,
	      "both exact while the eject was asked for (resident %lu interrupts, %lu spurious; plugged %lu)",
	      resident.irqs, resident.spurious, plugged.irqs);
	if (!eject) {
		uint64_t start = rdtsc();

		printf("# hotplug: not ejecting, as asked\n");
		while ((inl(PCID) & (1u << SLOT)) && ms_since(start) < 60000 && raise_rounds(10, true))
			;
		check(!(inl(PCID) & (1u << SLOT)), "the VMM withdrew its eject request (PCID clear)");
		exact = storm(200, true);
		check(exact, "kept: both still exact (resident %lu, plugged %lu, %lu spurious)",
		      resident.irqs, plugged.irqs, resident.spurious);
		irq_disable();
		return;
	}
	have_plugged = false;
	down = 0;
	outl(B0EJ, 1u << SLOT);
	exact = storm(200, false);
	check(exact, "after the eject the resident device is exact (%lu, %lu spurious)", resident.irqs,
	      resident.spurious);
	check(pci_cf8_read(0, SLOT, 0, PCI_VENDOR_ID, 2) == 0xffff, "slot %d is empty after the eject",
	      SLOT);

	printf("# hotplug: ready again for slot %d\n", SLOT);
	plug_and_use("second plug");
	irq_disable();
}
