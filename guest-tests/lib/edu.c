// SPDX-License-Identifier: GPL-2.0
/* The edu-compatible test device (QEMU edu or pcivmm --testdev). */
#include "guest.h"

#define EDU_REG_STATUS 0x24
#define EDU_REG_RAISE 0x60
#define EDU_REG_ACK 0x64

bool edu_find(int n, struct edu *e)
{
	struct pci_dev devs[PCI_MAX_DEVS];
	int count = pci_discover(devs, PCI_MAX_DEVS);

	for (int i = 0; i < count; i++) {
		if (devs[i].vendor != EDU_VENDOR || devs[i].device != EDU_DEVICE || n--)
			continue;
		*e = (struct edu){ .pci = devs[i] };
		e->bar0 = pci_bar_addr(&e->pci, 0);
		/* Firmware (pcivmm, SeaBIOS) assigned BAR0; make sure it decodes. */
		pci_cfg_write(&e->pci, PCI_COMMAND, 2,
			      pci_cfg_read(&e->pci, PCI_COMMAND, 2) | PCI_COMMAND_MEMORY);
		if (!e->bar0)
			return false;
		e->was_asserting = edu_status(e) != 0;
		if (e->was_asserting) {
			printf("edu %02x:%02x.%x: raised (0x%x) before we started: acknowledged\n",
			       e->pci.bus, e->pci.dev, e->pci.fn, edu_status(e));
			edu_ack(e, 0xffffffff);
		}
		return true;
	}
	return false;
}

uint32_t edu_status(struct edu *e)
{
	return mmio_read32(e->bar0 + EDU_REG_STATUS);
}

void edu_raise(struct edu *e, uint32_t bits)
{
	mmio_write32(e->bar0 + EDU_REG_RAISE, bits);
}

void edu_ack(struct edu *e, uint32_t bits)
{
	mmio_write32(e->bar0 + EDU_REG_ACK, bits);
}

enum cfg_shape edu_cfg_shape = CFG_WORD_AT_4;

const char *cfg_shape_name(enum cfg_shape s)
{
	static const char *const names[CFG_SHAPES] = { "word-at-4", "byte-at-5", "dword-at-4" };

	return s < CFG_SHAPES ? names[s] : "?";
}

void edu_set_intx_disable(struct edu *e, bool disable)
{
	uint32_t v;

	switch (edu_cfg_shape) {
	case CFG_BYTE_AT_5: /* COMMAND bit 10 is bit 2 of byte 5 */
		v = pci_cfg_read(&e->pci, PCI_COMMAND + 1, 1);
		v = disable ? v | (PCI_COMMAND_INTX_DISABLE >> 8) : v & ~(PCI_COMMAND_INTX_DISABLE >> 8);
		pci_cfg_write(&e->pci, PCI_COMMAND + 1, 1, v);
		break;
	case CFG_DWORD_AT_4: /* STATUS goes back as read: INTERRUPT is read-only, W1C bits were 0 */
		v = pci_cfg_read(&e->pci, PCI_COMMAND, 4);
		v = disable ? v | PCI_COMMAND_INTX_DISABLE : v & ~PCI_COMMAND_INTX_DISABLE;
		pci_cfg_write(&e->pci, PCI_COMMAND, 4, v);
		break;
	default:
		v = pci_cfg_read(&e->pci, PCI_COMMAND, 2);
		v = disable ? v | PCI_COMMAND_INTX_DISABLE : v & ~PCI_COMMAND_INTX_DISABLE;
		pci_cfg_write(&e->pci, PCI_COMMAND, 2, v);
		break;
	}
}

bool edu_status_interrupt(struct edu *e)
{
	switch (edu_cfg_shape) {
	case CFG_BYTE_AT_5:
		return pci_cfg_read(&e->pci, PCI_STATUS, 1) & PCI_STATUS_INTERRUPT;
	case CFG_DWORD_AT_4:
		return (pci_cfg_read(&e->pci, PCI_COMMAND, 4) >> 16) & PCI_STATUS_INTERRUPT;
	default:
		return pci_cfg_read(&e->pci, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT;
	}
}

bool edu_irq_claim(struct edu *e, uint32_t *status)
{
	*status = edu_status(e);
	if (!*status) {
		e->spurious++;
		return false;
	}
	e->last_status = *status;
	return true;
}

void edu_handler_ack(void *arg)
{
	struct edu *e = arg;
	uint32_t st;

	if (!edu_irq_claim(e, &st))
		return;
	edu_ack(e, st);
	e->irqs++;
}

void edu_setup_irq(struct edu *e, uint8_t vector, irq_handler_fn fn, void *arg)
{
	irq_set_handler(vector, fn, arg);
	e->vector = vector;
	ioapic_route_level(e->pci.gsi, vector);
	if (e->was_asserting) {
		irq_enable();
		delay_ms(50);
		irq_disable();
		printf("edu %02x:%02x.%x: %lu stale interrupt(s) taken before the test\n",
		       e->pci.bus, e->pci.dev, e->pci.fn, e->irqs + e->spurious);
		e->irqs = e->spurious = 0;
	}
}

void edu_explain_silence(struct edu *e)
{
	uint32_t cmd = pci_cfg_read(&e->pci, PCI_COMMAND, 2), st = pci_cfg_read(&e->pci, PCI_STATUS, 2);

	printf("# edu %02x:%02x.%x silent: edu status 0x%x, STATUS.INTERRUPT %u, INTX_DISABLE %u; IOAPIC pin %u masked %u remote IRR %u; LAPIC vector 0x%x IRR %u ISR %u\n",
	       e->pci.bus, e->pci.dev, e->pci.fn, edu_status(e), !!(st & PCI_STATUS_INTERRUPT),
	       !!(cmd & PCI_COMMAND_INTX_DISABLE), e->pci.gsi, ioapic_masked(e->pci.gsi),
	       ioapic_remote_irr(e->pci.gsi), e->vector, lapic_requested(e->vector),
	       lapic_in_service(e->vector));
}

bool edu_wait_irqs(struct edu *e, uint64_t target, unsigned timeout_ms)
{
	if (wait_count(&e->irqs, target, timeout_ms))
		return true;
	edu_explain_silence(e);
	return false;
}
