// SPDX-License-Identifier: GPL-2.0
/*
 * msi-basic: the edu's MSI capability used as a driver uses it (PCI 3.0
 * 6.8.1; Linux's __pci_enable_msi_range): message address (the LAPIC
 * window 0xfee00000, destination APIC 0) and data (vector, fixed delivery,
 * edge) programmed, bus mastering on, INTX_DISABLE set (pci_intx_for_msi),
 * then MSI enabled. Each raise must give exactly one interrupt on the MSI
 * vector and none on the INTx GSI. The data re-programmed to another vector
 * while MSI stays enabled (as irq affinity changes do): the next interrupt
 * arrives there. MSI disabled and INTX_DISABLE cleared: INTx works again,
 * exactly one interrupt per raise, none left behind.
 */
#include "guest.h"

const char test_name[] = "msi-basic";

#define INTX_VECTOR 0x40
#define MSI_VECTOR 0x51
#define MSI_VECTOR_2 0x62
#define ROUNDS 100

static struct edu dev;
static volatile uint64_t msi_irqs, msi2_irqs, msi_empty;

/* An MSI is edge: the handler acknowledges the device; no line to drop. */
static void msi_handler(void *arg)
{
	volatile uint64_t *count = arg;
	uint32_t st = edu_status(&dev);

	if (!st) {
		msi_empty++;
		return;
	}
	edu_ack(&dev, st);
	(*count)++;
}

/* Offset of the MSI capability, or 0. */
static unsigned find_msi(const struct pci_dev *d)
{
	unsigned ptr, n = 0;

	if (!(pci_cfg_read(d, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	for (ptr = pci_cfg_read(d, PCI_CAPABILITY_LIST, 1) & ~3u; ptr >= 0x40 && n < 48;
	     ptr = pci_cfg_read(d, ptr + 1, 1) & ~3u, n++)
		if (pci_cfg_read(d, ptr, 1) == PCI_CAP_ID_MSI)
			return ptr;
	return 0;
}

static void msi_program(unsigned cap, bool is64, uint8_t vector)
{
	pci_cfg_write(&dev.pci, cap + PCI_MSI_ADDRESS_LO, 4, 0xfee00000); /* APIC ID 0 */
	if (is64) {
		pci_cfg_write(&dev.pci, cap + PCI_MSI_ADDRESS_HI, 4, 0);
		pci_cfg_write(&dev.pci, cap + PCI_MSI_DATA_64, 2, vector);
	} else {
		pci_cfg_write(&dev.pci, cap + PCI_MSI_DATA_32, 2, vector);
	}
}

/* n raises, each waited for on *count; true if every one arrived. */
static bool raise_rounds(unsigned n, volatile uint64_t *count)
{
	uint64_t start = *count;

	for (unsigned i = 0; i < n; i++) {
		edu_raise(&dev, 1u << (i % 8));
		if (!wait_count(count, start + i + 1, 2000))
			return false;
	}
	return true;
}

void test_main(void)
{
	unsigned quiet = cmdline_u64("quiet_ms", 100), cap;
	uint16_t flags, cmd;
	bool is64;

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	cap = find_msi(&dev.pci);
	check(cap != 0, "edu %02x:%02x.%x offers an MSI capability (at 0x%x)", dev.pci.bus,
	      dev.pci.dev, dev.pci.fn, cap);
	if (!cap)
		return;
	flags = pci_cfg_read(&dev.pci, cap + PCI_MSI_FLAGS, 2);
	is64 = flags & PCI_MSI_FLAGS_64BIT;
	check(!(flags & PCI_MSI_FLAGS_ENABLE), "MSI starts disabled (flags 0x%04x, %s addresses)",
	      flags, is64 ? "64-bit" : "32-bit");

	edu_setup_irq(&dev, INTX_VECTOR, edu_handler_ack, &dev);
	irq_set_handler(MSI_VECTOR, msi_handler, (void *)&msi_irqs);
	irq_set_handler(MSI_VECTOR_2, msi_handler, (void *)&msi2_irqs);

	msi_program(cap, is64, MSI_VECTOR);
	cmd = pci_cfg_read(&dev.pci, PCI_COMMAND, 2);
	pci_cfg_write(&dev.pci, PCI_COMMAND, 2,
		      cmd | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
	pci_cfg_write(&dev.pci, cap + PCI_MSI_FLAGS, 2, flags | PCI_MSI_FLAGS_ENABLE);
	check(pci_cfg_read(&dev.pci, cap + PCI_MSI_FLAGS, 2) & PCI_MSI_FLAGS_ENABLE,
	      "MSI enable reads back set");
	check(pci_cfg_read(&dev.pci, cap + PCI_MSI_ADDRESS_LO, 4) == 0xfee00000 &&
		      (pci_cfg_read(&dev.pci, cap + (is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32), 2) ==
		       MSI_VECTOR),
	      "the message address and data read back as written");
	irq_enable();
	delay_ms(quiet);
	check(msi_irqs == 0 && dev.irqs == 0, "no interrupt before the first raise");

	edu_raise(&dev, 1);
	check(wait_count(&msi_irqs, 1, 2000), "raise delivers an MSI on vector 0x%x", MSI_VECTOR);
	delay_ms(quiet);
	check(msi_irqs == 1 && dev.irqs == 0 && msi_empty == 0,
	      "exactly one MSI and nothing on the INTx GSI (MSI %lu, INTx %lu, empty %lu)", msi_irqs,
	      dev.irqs, msi_empty);
	check(raise_rounds(ROUNDS, &msi_irqs), "%u more raises each deliver their MSI", ROUNDS);
	delay_ms(quiet);
	check(msi_irqs == 1 + ROUNDS && dev.irqs == 0 && msi_empty == 0,
	      "exactly %u MSIs in all, none on INTx (MSI %lu, INTx %lu, empty %lu)", 1 + ROUNDS,
	      msi_irqs, dev.irqs, msi_empty);

	/* Another vector while enabled, as a change of affinity writes it. */
	pci_cfg_write(&dev.pci, cap + (is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32), 2, MSI_VECTOR_2);
	check(raise_rounds(10, &msi2_irqs), "after re-programming the data, raises arrive on vector 0x%x",
	      MSI_VECTOR_2);
	delay_ms(quiet);
	check(msi2_irqs == 10 && msi_irqs == 1 + ROUNDS && dev.irqs == 0,
	      "none on the old vector or INTx (new %lu, old %lu, INTx %lu)", msi2_irqs,
	      msi_irqs - 1 - ROUNDS, dev.irqs);

	/* Back to INTx, as pci_disable_msi() leaves it. */
	pci_cfg_write(&dev.pci, cap + PCI_MSI_FLAGS, 2, flags & ~PCI_MSI_FLAGS_ENABLE);
	pci_cfg_write(&dev.pci, PCI_COMMAND, 2,
		      (cmd | PCI_COMMAND_MASTER) & ~PCI_COMMAND_INTX_DISABLE);
	check(!(pci_cfg_read(&dev.pci, cap + PCI_MSI_FLAGS, 2) & PCI_MSI_FLAGS_ENABLE),
	      "MSI enable reads back clear");
	check(raise_rounds(ROUNDS, &dev.irqs), "with MSI off, %u raises each deliver an INTx",
	      ROUNDS);
	delay_ms(quiet);
	check(dev.irqs == ROUNDS && dev.spurious == 0 && msi_irqs + msi2_irqs == 1 + ROUNDS + 10,
	      "exactly %u INTx, no MSI (INTx %lu, spurious %lu)", ROUNDS, dev.irqs, dev.spurious);
	check(!ioapic_remote_irr(dev.pci.gsi), "remote IRR is clear after the last EOI");
	irq_disable();
}
