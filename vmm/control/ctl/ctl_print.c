// SPDX-License-Identifier: GPL-2.0
#include "ctl_print.h"

#include <stdio.h>

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "-";
}

static long long num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

void ctl_print__ping(json_t *r)
{
	json_t *f;
	size_t i;

	printf("pcivmm %s, pid %lld; features:", str(r, "version"), num(r, "pid"));
	json_array_foreach(json_object_get(r, "features"), i, f)
		printf(" %s", json_string_value(f));
	printf("\n");
}

static void print_device(json_t *d)
{
	json_t *s;
	size_t i;

	printf("  %-14s %-11s %s  %04llx:%04llx", str(d, "id"), str(d, "kind"), str(d, "guest_bdf"),
	       num(d, "vendor_id"), num(d, "device_id"));
	if (json_object_get(d, "gsi"))
		printf("  %s -> GSI %lld", str(d, "pin"), num(d, "gsi"));
	printf("  %s", str(d, "irq_mode"));
	if (json_object_get(d, "host_bdf"))
		printf("  host %s via %s", str(d, "host_bdf"), str(d, "backend"));
	if (json_object_get(d, "host_irq")) {
		printf(", host IRQ %lld", num(d, "host_irq"));
		json_array_foreach(json_object_get(d, "host_irq_sharers"), i, s)
			printf("%s%s", i ? ", " : " shared with ", json_string_value(s));
	}
	printf("\n");
}

void ctl_print__info(json_t *r)
{
	json_t *c = json_object_get(r, "config"), *d;
	size_t i;

	printf("state: %s\n", str(r, "state"));
	printf("cpus: %lld, memory: %lld MiB, kernel: %s\n", num(c, "cpus"), num(c, "memory") >> 20,
	       str(c, "kernel"));
	printf("devices:\n");
	json_array_foreach(json_object_get(r, "devices"), i, d)
		print_device(d);
}

void ctl_print__counters(json_t *r)
{
	json_t *e = json_object_get(r, "exits"), *d;
	const char *id;

	printf("exits: %lld (port I/O %lld, MMIO %lld, other %lld); 0xcf8 writes coalesced: %lld\n",
	       num(e, "total"), num(e, "pio"), num(e, "mmio"), num(e, "other"),
	       num(r, "coalesced_cf8_writes"));
	json_object_foreach(json_object_get(r, "devices"), id, d) {
		printf("%s:", id);
		if (json_object_get(d, "intx_asserted"))
			printf(" INTx asserted %lld;", num(d, "intx_asserted"));
		printf(" INTX_DISABLE set %lld, cleared %lld; MSI enabled %lld, MSI-X %lld",
		       num(d, "guest_intx_disable_sets"), num(d, "guest_intx_disable_clears"),
		       num(d, "msi_enables"), num(d, "msix_enables"));
		if (json_object_get(d, "host_irq_interrupts"))
			printf("; host line interrupts %lld", num(d, "host_irq_interrupts"));
		printf("\n");
	}
}

void ctl_print__power_button(json_t *r)
{
	if (json_is_true(json_object_get(r, "seen")))
		printf("pressed; the guest's ACPI sees it\n");
	else
		printf("pressed; %s\n", str(r, "note"));
}

void ctl_print__added(json_t *r)
{
	printf("added: %s\n", str(r, "id"));
}

void ctl_print__reply(const struct ctl_reply *reply, void (*print)(json_t *body))
{
	json_t *body = reply->body ? json_loads(reply->body, 0, NULL) : NULL;

	if (reply->status / 100 != 2)
		fprintf(stderr, "pcivmm-ctl: error: %d: %s\n", reply->status,
			body ? str(body, "error") : "no reason given");
	else if (print && body)
		print(body);
	else
		printf("ok\n");
	json_decref(body);
}
