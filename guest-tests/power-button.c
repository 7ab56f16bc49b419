// SPDX-License-Identifier: GPL-2.0
/*
 * power-button: the ACPI fixed-feature power button as an OS sees it
 * (ACPI 6.5 4.8.2.2.1): with PWRBTN_EN set in PM1_EN, a press sets
 * PWRBTN_STS in PM1_STS and raises the SCI (GSI 9, level, active high, the
 * MADT's override); the handler clears PWRBTN_STS by writing 1 to it, which
 * drops the SCI; then the guest powers off (S5). tests/kvm/api.sh presses
 * the button through the control API once the guest says it waits.
 */
#include "guest.h"

const char test_name[] = "power-button";

#define PM1_STS 0x600
#define PM1_EN 0x602
#define PM1_PWRBTN (1u << 8)
#define SCI_GSI 9
#define VECTOR 0x42

static volatile uint64_t scis, presses;
static volatile uint16_t sts_after_clear = 0xffff;

static void sci_handler(void *arg)
{
	uint16_t sts = inw(PM1_STS);

	(void)arg;
	scis++;
	if (sts & PM1_PWRBTN) {
		presses++;
		outw(PM1_STS, PM1_PWRBTN); /* write 1 to clear: the SCI drops */
		sts_after_clear = inw(PM1_STS);
	}
}

void test_main(void)
{
	unsigned wait_ms = cmdline_u64("wait_ms", 60000);

	check(inw(PM1_STS) == 0, "PM1_STS reads 0 before any press (got 0x%x)", inw(PM1_STS));
	irq_set_handler(VECTOR, sci_handler, NULL);
	ioapic_route_level(SCI_GSI, VECTOR);
	outw(PM1_EN, PM1_PWRBTN);
	check(inw(PM1_EN) == PM1_PWRBTN, "PWRBTN_EN reads back set in PM1_EN");
	irq_enable();
	delay_ms(50);
	check(scis == 0, "no SCI before the button is pressed (%lu)", scis);
	printf("# power-button: waiting for the power button\n");
	check(wait_count(&scis, 1, wait_ms), "pressing the button raises an SCI");
	delay_ms(100);
	check(presses == 1 && scis == 1,
	      "one press, one SCI with PWRBTN_STS (%lu SCIs, %lu with the button)", scis, presses);
	check(sts_after_clear == 0, "writing 1 to PWRBTN_STS clears it (reads 0x%x)", sts_after_clear);
	check(!ioapic_remote_irr(SCI_GSI), "the SCI is not pending after the clear and EOI");
	irq_disable();
}
