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

#include <errno.h>
#include <string.h>

/* Setup header fields, as offsets into the file and into boot_params. */
#define HDR_SETUP_SECTS      0x1f1
#define HDR_BOOT_FLAG        0x1fe
#define HDR_JUMP_END         0x201 /* header ends at 0x202 + this byte */
#define HDR_VERSION          0x206
#define HDR_TYPE_OF_LOADER   0x210
#define HDR_LOADFLAGS        0x211
#define HDR_RAMDISK_IMAGE    0x218
#define HDR_RAMDISK_SIZE     0x21c
#define HDR_HEAP_END_PTR     0x224
#define HDR_CMD_LINE_PTR     0x228
#define HDR_INITRD_ADDR_MAX  0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE      0x234
#define HDR_XLOADFLAGS       0x236
#define HDR_CMDLINE_SIZE     0x238
#define HDR_PREF_ADDRESS     0x258
#define HDR_INIT_SIZE        0x260
#define HDR_MIN_FILE_SIZE    0x264

#define BP_E820_ENTRIES      0x1e8
#define BP_E820_TABLE        0x2d0
#define BP_E820_MAX          128
#define BP_SIZE              4096

#define LOADFLAGS_LOADED_HIGH  0x01
#define LOADFLAGS_CAN_USE_HEAP 0x80
#define XLF_KERNEL_64          0x01
#define LOADER_TYPE_UNDEFINED  0xff
#define BOOT_PROTOCOL_MIN      0x020c /* 2.12: xloadflags, 64-bit entry */

static uint16_t get16(const uint8_t *p, unsigned off) { uint16_t v; memcpy(&v, p + off, 2); return v; }
static uint32_t get32(const uint8_t *p, unsigned off) { uint32_t v; memcpy(&v, p + off, 4); return v; }
static uint64_t get64(const uint8_t *p, unsigned off) { uint64_t v; memcpy(&v, p + off, 8); return v; }
static void put16(uint8_t *p, unsigned off, uint16_t v) { memcpy(p + off, &v, 2); }
static void put32(uint8_t *p, unsigned off, uint32_t v) { memcpy(p + off, &v, 4); }

static size_t bzimage_setup_size(const uint8_t *k)
{
	unsigned sects = k[HDR_SETUP_SECTS];

	return ((size_t)(sects ? sects : 4) + 1) * 512; /* 0 means 4 */
}

int bzimage__validate(const struct boot_file *k)
{
	const uint8_t *d = k->data;

	if (k->size < HDR_MIN_FILE_SIZE) {
		pr_err("%s: truncated bzImage setup header", k->path);
		return -EINVAL;
	}
	if (get16(d, HDR_BOOT_FLAG) != 0xaa55) {
		pr_err("%s: bzImage boot flag missing", k->path);
		return -EINVAL;
	}
	if (get16(d, HDR_VERSION) < BOOT_PROTOCOL_MIN ||
	    !(get16(d, HDR_XLOADFLAGS) & XLF_KERNEL_64)) {
		pr_err("%s: kernel has no 64-bit entry point (boot protocol %x.%02x); pcivmm needs a 64-bit kernel with protocol 2.12 or later",
		       k->path, d[HDR_VERSION + 1], d[HDR_VERSION]);
		return -EINVAL;
	}
	if (!(d[HDR_LOADFLAGS] & LOADFLAGS_LOADED_HIGH)) {
		pr_err("%s: zImage (loaded low) kernels are not supported", k->path);
		return -EINVAL;
	}
	if (bzimage_setup_size(d) >= k->size) {
		pr_err("%s: truncated: setup claims %zu bytes, file has %zu",
		       k->path, bzimage_setup_size(d), k->size);
		return -EINVAL;
	}
	if (0x202 + d[HDR_JUMP_END] > BP_SIZE) {
		pr_err("%s: malformed setup header length", k->path);
		return -EINVAL;
	}
	/* Below 1 MiB live the GDT, page tables, boot_params and MP table. */
	if (!d[HDR_RELOCATABLE] && get64(d, HDR_PREF_ADDRESS) < KERNEL_LOAD_ADDR) {
		pr_err("%s: not relocatable and wants to load at 0x%llx, below 1 MiB where the boot data goes; build it with CONFIG_RELOCATABLE or a higher CONFIG_PHYSICAL_START",
		       k->path, (unsigned long long)get64(d, HDR_PREF_ADDRESS));
		return -EINVAL;
	}
	return 0;
}

/* Where the protected-mode kernel goes: pref_address unless it may move. */
static uint64_t bzimage_load_addr(const uint8_t *d)
{
	uint32_t align = get32(d, HDR_KERNEL_ALIGNMENT);

	if (!d[HDR_RELOCATABLE])
		return get64(d, HDR_PREF_ADDRESS);
	if (align == 0 || (align & (align - 1)))
		align = 0x200000;
	return (KERNEL_LOAD_ADDR + align - 1) & ~(uint64_t)(align - 1);
}

static int linux_place_initrd(struct guest_mem *mem, const struct boot_setup *s,
			      uint8_t *bp, uint64_t kernel_end)
{
	uint64_t max = get32(bp, HDR_INITRD_ADDR_MAX);
	uint64_t top = guest_mem__low_end(mem);
	uint64_t size = s->initrd->size, addr;
	void *dst;

	if (max + 1 < top)
		top = max + 1;
	if (size > top || ((top - size) & ~0xfffULL) < kernel_end) {
		pr_err("%s: initrd of %zu bytes does not fit above the kernel; use a larger --mem",
		       s->initrd->path, s->initrd->size);
		return -ENOMEM;
	}
	addr = (top - size) & ~0xfffULL;
	dst = guest_mem__ptr(mem, addr, size);
	if (!dst)
		return -ENOMEM;
	memcpy(dst, s->initrd->data, size);
	put32(bp, HDR_RAMDISK_IMAGE, (uint32_t)addr);
	put32(bp, HDR_RAMDISK_SIZE, (uint32_t)size);
	return 0;
}

int boot_linux__load(struct guest_mem *mem, const struct boot_setup *s,
		     struct boot_regs *regs)
{
	const uint8_t *k = s->kernel->data;
	size_t setup_size = bzimage_setup_size(k);
	size_t payload = s->kernel->size - setup_size;
	uint64_t load = bzimage_load_addr(k);
	uint64_t init_size = get32(k, HDR_INIT_SIZE);
	uint8_t *bp = guest_mem__ptr(mem, BOOT_PARAMS_ADDR, BP_SIZE);
	struct e820_entry e820[BP_E820_MAX];
	const char *cmdline = s->cmdline ? s->cmdline : "";
	size_t cmdline_len = strlen(cmdline);
	uint32_t cmdline_max = get32(k, HDR_CMDLINE_SIZE);
	uint8_t *dst;
	unsigned n;
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
	memcpy(dst, k + setup_size, payload);

	ret = x86_boot__write_gdt_and_page_tables(mem);
	if (ret)
		return ret;

	/* boot_params: zeroed, then the kernel's own setup header copied in. */
	memset(bp, 0, BP_SIZE);
	memcpy(bp + HDR_SETUP_SECTS, k + HDR_SETUP_SECTS, 0x202 + k[HDR_JUMP_END] - HDR_SETUP_SECTS);
	bp[HDR_TYPE_OF_LOADER] = LOADER_TYPE_UNDEFINED;
	bp[HDR_LOADFLAGS] |= LOADFLAGS_CAN_USE_HEAP;
	put16(bp, HDR_HEAP_END_PTR, 0xfe00 - 0x200);

	if (cmdline_max == 0)
		cmdline_max = 255;
	if (cmdline_len > cmdline_max || cmdline_len + 1 > BOOT_CMDLINE_MAX) {
		pr_err("--cmdline: %zu bytes, the kernel accepts at most %u",
		       cmdline_len, cmdline_max);
		return -E2BIG;
	}
	dst = guest_mem__ptr(mem, BOOT_CMDLINE_ADDR, cmdline_len + 1);
	if (!dst)
		return -ENOMEM;
	memcpy(dst, cmdline, cmdline_len + 1);
	put32(bp, HDR_CMD_LINE_PTR, BOOT_CMDLINE_ADDR);

	if (s->initrd) {
		ret = linux_place_initrd(mem, s, bp, load + init_size);
		if (ret)
			return ret;
	}

	n = e820__build(mem, e820, BP_E820_MAX);
	bp[BP_E820_ENTRIES] = n;
	memcpy(bp + BP_E820_TABLE, e820, n * sizeof(e820[0]));

	ret = mptable__write(mem, s->nr_cpus, s->pci_irqs, s->nr_pci_irqs);
	if (ret)
		return ret;

	*regs = (struct boot_regs){
		.rip = load + 0x200, /* startup_64 */
		.rsp = BOOT_STACK_TOP,
		.rsi = BOOT_PARAMS_ADDR,
	};
	return 0;
}
