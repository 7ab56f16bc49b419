// SPDX-License-Identifier: GPL-2.0
/* One line per check ("ok N - ..." / "not ok N - ..."), a summary, an exit. */
#include "guest.h"

static unsigned checks, failures, skips;

void check(bool ok, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	checks++;
	if (!ok)
		failures++;
	printf("%s %u - %s\n", ok ? "ok" : "not ok", checks, buf);
}

void skip(const char *what, const char *why)
{
	checks++;
	skips++;
	printf("ok %u - %s # SKIP %s\n", checks, what, why);
}

void test_finish(void)
{
	irq_disable();
	if (irq_unexpected) {
		checks++;
		failures++;
		printf("not ok %u - %lu interrupts arrived on vectors with no handler\n",
		       checks, irq_unexpected);
	}
	if (checks == 0) {
		printf("FAIL: %s ran no checks\n", test_name);
		guest_exit(GUEST_EXIT_FAIL);
	}
	if (failures) {
		printf("FAIL: %s: %u of %u checks failed\n", test_name, failures, checks);
		guest_exit(GUEST_EXIT_FAIL);
	}
	if (skips)
		printf("PASS: %s: %u checks passed, %u of them skipped (the \"# SKIP\" lines say why)\n",
		       test_name, checks, skips);
	else
		printf("PASS: %s: %u checks passed\n", test_name, checks);
	guest_poweroff();
}
