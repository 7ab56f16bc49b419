// SPDX-License-Identifier: GPL-2.0
/*
 * Linux bzImage loading per the x86 boot protocol
 * (Documentation/arch/x86/boot.rst), entered at the 64-bit entry point
 * (load address + 0x200) with %rsi pointing at boot_params.
 */
#include "boot.h"
#include "layout.h"
#include "log.h"
#include "vm.h"

#include <asm/bootparam.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

/*
 * The bzImage's first sector holds the setup header at the offset it has in
 * boot_params (0x1f1), so one struct boot_params view (<asm/bootparam.h>,
 * packed) reads the file and writes the guest's zero page alike.
 */
#define LOADER_TYPE_UNDEFINED 0xff
#define BOOT_PROTOCOL_MIN     0x020c /* 2.12: xloadflags, 64-bit entry */
#define offsetofend(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))
/* The file must hold the header up to init_size, the last field read. */
#define BZIMAGE_MIN_SIZE offsetofend(struct boot_params, hdr.init_size)

/* Where the header ends: 0x202 plus the jump's displacement (the byte at 0x201). */
static size_t setup_header_end(const struct boot_params *b)
{
	return 0x202 + (b->hdr.jump >> 8);
}

static size_t bzimage_setup_size(const struct boot_params *k)
{
	unsigned sects = k->hdr.setup_sects;

	return ((size_t)(sects ? sects : 4) + 1) * 512; /* 0 means 4 */
}

int bzimage__validate(const struct boot_file *k)
{
	const struct boot_params *d = (const struct boot_params *)k->data;

	if (k->size < BZIMAGE_MIN_SIZE) {
		pr_err("%s: truncated bzImage setup header", k->path);
		return -EINVAL;
	}
	if (d->hdr.boot_flag != 0xaa55) {
		pr_err("%s: bzImage boot flag missing", k->path);
		return -EINVAL;
	}
	if (d->hdr.version < BOOT_PROTOCOL_MIN || !(d->hdr.xloadflags & XLF_KERNEL_64)) {
		pr_err("%s: kernel has no 64-bit entry point (boot protocol %x.%02x); pcivmm needs a 64-bit kernel with protocol 2.12 or later",
		       k->path, d->hdr.version >> 8, d->hdr.version & 0xff);
		return -EINVAL;
	}
	if (!(d->hdr.loadflags & LOADED_HIGH)) {
		pr_err("%s: zImage (loaded low) kernels are not supported", k->path);
		return -EINVAL;
	}
	if (bzimage_setup_size(d) >= k->size) {
		pr_err("%s: truncated: setup claims %zu bytes, file has %zu",
		       k->path, bzimage_setup_size(d), k->size);
		return -EINVAL;
	}
	if (setup_header_end(d) > sizeof(struct boot_params)) {
		pr_err("%s: malformed setup header length", k->path);
		return -EINVAL;
	}
	/* Below 1 MiB live the GDT, page tables, boot_params and MP table. */
	if (!d->hdr.relocatable_kernel && d->hdr.pref_address < KERNEL_LOAD_ADDR) {
		pr_err("%s: not relocatable and wants to load at 0x%llx, below 1 MiB where the boot data goes; build it with CONFIG_RELOCATABLE or a higher CONFIG_PHYSICAL_START",
		       k->path, (unsigned long long)d->hdr.pref_address);
		return -EINVAL;
	}
	return 0;
}

/* Where the protected-mode kernel goes: pref_address unless it may move. */
static uint64_t bzimage_load_addr(const struct boot_params *d)
{
	uint32_t align = d->hdr.kernel_alignment;

	if (!d->hdr.relocatable_kernel)
		return d->hdr.pref_address;
	if (align == 0 || (align & (align - 1)))
		align = 0x200000;
	return (KERNEL_LOAD_ADDR + align - 1) & ~(uint64_t)(align - 1);
}

/* The command line at BOOT_CMDLINE_ADDR, if the kernel takes that much (k's cmdline_size). */
static int bzimage_set_cmdline(struct guest_mem *mem, struct boot_params *bp,
			       const struct boot_params *k, const char *cmdline)
{
	size_t len = strlen(cmdline);
	uint32_t max = k->hdr.cmdline_size ? k->hdr.cmdline_size : 255;
	uint8_t *dst;

	if (len > max || len + 1 > BOOT_CMDLINE_MAX) {
		pr_err("--cmdline: %zu bytes, the kernel accepts at most %u", len, max);
		return -E2BIG;
	}
	dst = guest_mem__ptr(mem, BOOT_CMDLINE_ADDR, len + 1);
	if (!dst)
		return -ENOMEM;
	memcpy(dst, cmdline, len + 1);
	bp->hdr.cmd_line_ptr = BOOT_CMDLINE_ADDR;
	return 0;
}

/* The initrd above the kernel's end and below what it can address (initrd_addr_max). */
static int bzimage_set_initrd(struct guest_mem *mem, struct boot_params *bp,
			      const struct boot_file *initrd, uint64_t kernel_end)
{
	uint64_t addr;
	int ret;

	if (!initrd || !initrd->size)
		return 0; /* ramdisk_image and ramdisk_size stay 0 */
	/* The kernel reads initrd_addr_max as the last byte it can address. */
	ret = x86_boot__place_initrd(mem, initrd, kernel_end, (uint64_t)bp->hdr.initrd_addr_max + 1,
				     "initrd_addr_max", &addr);
	if (ret)
		return ret;
	bp->hdr.ramdisk_image = (uint32_t)addr;
	bp->hdr.ramdisk_size = (uint32_t)initrd->size;
	return 0;
}

/* What the kernel learns of the machine: the e820 map, the RSDP and the MP table. */
static int bzimage_describe_machine(struct guest_mem *mem, struct boot_params *bp,
				    const struct boot_setup *s)
{
	struct e820_entry e820[E820_MAX_ENTRIES_ZEROPAGE];
	unsigned n;

	/* struct e820_entry (boot.h) has boot_e820_entry's packed 20-byte layout. */
	_Static_assert(sizeof(struct e820_entry) == sizeof(struct boot_e820_entry), "e820 layout");
	n = e820__build(mem, e820, E820_MAX_ENTRIES_ZEROPAGE);
	bp->e820_entries = n;
	memcpy(bp->e820_table, e820, n * sizeof(e820[0]));

	/* Boot protocol 2.14: where the RSDP is, so the kernel need not scan for it. */
	bp->acpi_rsdp_addr = s->acpi_rsdp;
	/* The MP table too: the routing a guest booted with acpi=off uses. */
	return mptable__write(mem, s->nr_cpus, s->pci_irqs, s->nr_pci_irqs);
}

int boot_linux__load(struct guest_mem *mem, const struct boot_setup *s,
		     struct boot_regs *regs)
{
	const struct boot_params *k = (const struct boot_params *)s->kernel->data;
	size_t setup_size = bzimage_setup_size(k);
	size_t payload = s->kernel->size - setup_size;
	uint64_t load = bzimage_load_addr(k);
	uint64_t init_size = k->hdr.init_size;
	struct boot_params *bp = guest_mem__ptr(mem, BOOT_PARAMS_ADDR, sizeof(*bp));
	uint8_t *dst;
	int ret;

	if (init_size < payload)
		init_size = payload;
	dst = guest_mem__ptr(mem, load, init_size);
	if (!dst || !bp) {
		pr_err("%s: kernel needs %llu MiB of RAM from 0x%llx; use a larger --mem",
		       s->kernel->path, (unsigned long long)(init_size >> 20) + 1,
		       (unsigned long long)load);
		return -ENOMEM;
	}
	memcpy(dst, s->kernel->data + setup_size, payload);

	ret = x86_boot__write_gdt_and_page_tables(mem);
	if (ret)
		return ret;

	/* boot_params: zeroed, then the kernel's own setup header copied in. */
	memset(bp, 0, sizeof(*bp));
	memcpy(&bp->hdr, &k->hdr, setup_header_end(k) - offsetof(struct boot_params, hdr));
	bp->hdr.type_of_loader = LOADER_TYPE_UNDEFINED;
	bp->hdr.loadflags |= CAN_USE_HEAP;
	bp->hdr.heap_end_ptr = 0xfe00 - 0x200;

	ret = bzimage_set_cmdline(mem, bp, k, s->cmdline ? s->cmdline : "");
	if (!ret)
		ret = bzimage_set_initrd(mem, bp, s->initrd, load + init_size);
	if (!ret)
		ret = bzimage_describe_machine(mem, bp, s);
	if (ret)
		return ret;

	*regs = (struct boot_regs){
		.rip = load + 0x200, /* startup_64 */
		.rsp = BOOT_STACK_TOP,
		.rsi = BOOT_PARAMS_ADDR,
	};
	return 0;
}
