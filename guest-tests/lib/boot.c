// SPDX-License-Identifier: GPL-2.0
/*
 * C entry: validates the PVH start_info, finds the command line and the FDT
 * module, sets up what libfdt needs (a stack-protector canary at %fs:0x28)
 * and the interrupt machinery, then runs the test.
 */
#include "guest.h"
#include "pvh.h"

#include <libfdt.h>

#define MSR_FS_BASE 0xc0000100

static const char *cmdline = "";
static const void *fdt;
static uint64_t tls_block[8]; /* %fs:0x28 holds the canary */

/* libfdt.a is built with the stack protector; a smashed stack ends the test. */
void __stack_chk_fail(void)
{
	printf("guest: stack smashing detected\n");
	guest_exit(GUEST_EXIT_CRASH);
}

const char *boot_cmdline(void)
{
	return cmdline;
}

const void *boot_fdt(void)
{
	return fdt;
}

uint64_t cmdline_u64(const char *key, uint64_t def)
{
	size_t klen = strlen(key);

	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return strtoul(p + klen + 1, NULL, 0);
		while (*p && *p != ' ')
			p++;
	}
	return def;
}

/* Accepts only what a sane VMM would pass; everything is below 4 GiB. */
static bool boot_addr_ok(uint64_t a)
{
	return a >= 0x1000 && a < 0xc0000000ULL;
}

static void boot_parse_start_info(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *mods;

	if (!boot_addr_ok((uintptr_t)si) || si->magic != HVM_START_MAGIC) {
		printf("guest: no PVH start_info (magic %x); running without boot data\n",
		       boot_addr_ok((uintptr_t)si) ? si->magic : 0);
		return;
	}
	if (si->cmdline_paddr && boot_addr_ok(si->cmdline_paddr))
		cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
	if (!si->nr_modules || si->nr_modules > 16 || !boot_addr_ok(si->modlist_paddr))
		return;
	mods = (const void *)(uintptr_t)si->modlist_paddr;
	for (unsigned i = 0; i < si->nr_modules; i++) {
		const char *name = (const char *)(uintptr_t)mods[i].cmdline_paddr;
		const void *blob = (const void *)(uintptr_t)mods[i].paddr;

		if (!boot_addr_ok(mods[i].cmdline_paddr) || !boot_addr_ok(mods[i].paddr) ||
		    strncmp(name, PCIVMM_FDT_MODULE_NAME, sizeof(PCIVMM_FDT_MODULE_NAME)))
			continue;
		if (mods[i].size < sizeof(struct fdt_header) || fdt_check_header(blob) ||
		    fdt_totalsize(blob) > mods[i].size) {
			printf("guest: FDT module is malformed; ignoring it\n");
			continue;
		}
		fdt = blob;
	}
}

void guest_start(const struct hvm_start_info *si)
{
	tls_block[5] = 0x5ca1ab1e0ddba11ULL;
	wrmsr(MSR_FS_BASE, (uintptr_t)tls_block);

	boot_parse_start_info(si);
	idt_init();
	pic_disable();
	lapic_init();
	timer_init();
	printf("== %s (%s, TSC %lu MHz) ==\n", test_name,
	       fdt ? "pcivmm FDT" : "no FDT: scanning PCI", tsc_per_ms / 1000);
	test_main();
	test_finish();
}
