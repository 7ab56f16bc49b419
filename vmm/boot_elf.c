// SPDX-License-Identifier: GPL-2.0
/* 64-bit ELF test guests: loaded by physical address, entered in long mode. */
#include "boot.h"
#include "layout.h"
#include "log.h"
#include "pvh.h"
#include "vm.h"

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#define ELF_MAX_PHDRS 64

/*
 * Program header i, copied out: e_phoff is the file's to choose and need not
 * be aligned, so the table is never read through a Elf64_Phdr pointer.
 * Callers have checked that the table lies inside the file.
 */
static Elf64_Phdr elf_phdr(const struct boot_file *k, unsigned i)
{
	const Elf64_Ehdr *eh = (const void *)k->data;
	Elf64_Phdr ph;

	memcpy(&ph, k->data + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
	return ph;
}

/* Validates what elf_load relies on; one line naming the file on failure. */
int elf__validate(const struct boot_file *k)
{
	const Elf64_Ehdr *eh = (const void *)k->data;
	bool entry_ok = false;
	unsigned nr_load = 0;

	if (k->size < sizeof(*eh)) {
		pr_err("%s: truncated ELF header (%zu bytes)", k->path, k->size);
		return -EINVAL;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		pr_err("%s: not a little-endian x86-64 ELF64 file; build the guest for x86_64",
		       k->path);
		return -EINVAL;
	}
	if (eh->e_type != ET_EXEC) {
		pr_err("%s: ELF type %u is not an executable; link it with -static, not -pie",
		       k->path, eh->e_type);
		return -EINVAL;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHDRS || eh->e_phoff > k->size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > k->size - eh->e_phoff) {
		pr_err("%s: truncated or malformed ELF program headers", k->path);
		return -EINVAL;
	}
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph = elf_phdr(k, i);

		if (ph.p_type != PT_LOAD)
			continue;
		nr_load++;
		/* A file offset and size whose sum wraps are no segment of any file. */
		if (ph.p_filesz > UINT64_MAX - ph.p_offset) {
			pr_err("%s: malformed segment %u: file offset 0x%llx plus size 0x%llx overflows",
			       k->path, i, (unsigned long long)ph.p_offset,
			       (unsigned long long)ph.p_filesz);
			return -EINVAL;
		}
		if (ph.p_offset > k->size || ph.p_filesz > k->size - ph.p_offset) {
			pr_err("%s: truncated: segment %u needs bytes up to %llu, file has %zu",
			       k->path, i,
			       (unsigned long long)(ph.p_offset + ph.p_filesz), k->size);
			return -EINVAL;
		}
		if (ph.p_filesz > ph.p_memsz ||
		    ph.p_paddr + ph.p_memsz < ph.p_paddr) {
			pr_err("%s: malformed segment %u", k->path, i);
			return -EINVAL;
		}
		if (ph.p_paddr < KERNEL_LOAD_ADDR) {
			pr_err("%s: segment %u at 0x%llx is below 1 MiB, where pcivmm keeps boot data; link at 0x100000 or above",
			       k->path, i, (unsigned long long)ph.p_paddr);
			return -EINVAL;
		}
		if ((ph.p_flags & PF_X) && eh->e_entry >= ph.p_vaddr &&
		    eh->e_entry - ph.p_vaddr < ph.p_memsz)
			entry_ok = true;
	}
	if (nr_load == 0) {
		pr_err("%s: no loadable segments", k->path);
		return -EINVAL;
	}
	if (eh->e_entry == 0) {
		pr_err("%s: ELF has no entry point (e_entry is 0); set ENTRY() in the linker script",
		       k->path);
		return -EINVAL;
	}
	if (!entry_ok) {
		pr_err("%s: entry point 0x%llx is outside every executable segment",
		       k->path, (unsigned long long)eh->e_entry);
		return -EINVAL;
	}
	return 0;
}

static int elf_load_segments(struct guest_mem *mem, const struct boot_file *k)
{
	const Elf64_Ehdr *eh = (const void *)k->data;

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph = elf_phdr(k, i);
		uint8_t *dst;

		if (ph.p_type != PT_LOAD)
			continue;
		dst = guest_mem__ptr(mem, ph.p_paddr, ph.p_memsz);
		if (!dst) {
			pr_err("%s: segment %u (0x%llx, %llu bytes) does not fit in guest RAM; use a larger --mem",
			       k->path, i, (unsigned long long)ph.p_paddr,
			       (unsigned long long)ph.p_memsz);
			return -ENOMEM;
		}
		memcpy(dst, k->data + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
	return 0;
}

/* Copies a NUL-terminated string to gpa; returns its length or -E2BIG. */
static int boot_put_string(struct guest_mem *mem, uint64_t gpa, uint64_t max,
			   const char *s)
{
	size_t len = strlen(s);
	char *dst = guest_mem__ptr(mem, gpa, len + 1);

	if (len + 1 > max || !dst)
		return -E2BIG;
	memcpy(dst, s, len + 1);
	return len;
}

int boot_elf__load(struct guest_mem *mem, const struct boot_setup *s,
		   struct boot_regs *regs)
{
	const Elf64_Ehdr *eh = (const void *)s->kernel->data;
	struct hvm_start_info *si = guest_mem__ptr(mem, BOOT_PARAMS_ADDR, sizeof(*si));
	struct hvm_modlist_entry *mod = guest_mem__ptr(mem, BOOT_MODLIST_ADDR, sizeof(*mod));
	struct hvm_memmap_table_entry *map;
	struct e820_entry e820[8];
	unsigned nr_e820;
	void *fdt_dst;
	int ret;

	ret = elf_load_segments(mem, s->kernel);
	if (ret)
		return ret;
	ret = x86_boot__write_gdt_and_page_tables(mem);
	if (ret || !si || !mod)
		return -ENOMEM;

	*si = (struct hvm_start_info){ .magic = HVM_START_MAGIC, .version = 1,
				       .rsdp_paddr = s->acpi_rsdp };
	if (s->cmdline) {
		if (boot_put_string(mem, BOOT_CMDLINE_ADDR, BOOT_CMDLINE_MAX, s->cmdline) < 0) {
			pr_err("--cmdline: longer than %llu bytes", BOOT_CMDLINE_MAX - 1);
			return -E2BIG;
		}
		si->cmdline_paddr = BOOT_CMDLINE_ADDR;
	}
	if (s->fdt) {
		fdt_dst = guest_mem__ptr(mem, BOOT_FDT_ADDR, s->fdt_size);
		if (s->fdt_size > BOOT_FDT_MAX || !fdt_dst) {
			pr_err("machine description of %zu bytes exceeds its %llu-byte slot",
			       s->fdt_size, BOOT_FDT_MAX);
			return -E2BIG;
		}
		memcpy(fdt_dst, s->fdt, s->fdt_size);
		*mod = (struct hvm_modlist_entry){
			.paddr = BOOT_FDT_ADDR,
			.size = s->fdt_size,
			.cmdline_paddr = BOOT_MODLIST_ADDR + 0x100,
		};
		boot_put_string(mem, BOOT_MODLIST_ADDR + 0x100, 0x100, PCIVMM_FDT_MODULE_NAME);
		si->nr_modules = 1;
		si->modlist_paddr = BOOT_MODLIST_ADDR;
	}
	nr_e820 = e820__build(mem, e820, 8);
	map = guest_mem__ptr(mem, BOOT_MEMMAP_ADDR, nr_e820 * sizeof(*map));
	if (!map)
		return -ENOMEM;
	for (unsigned i = 0; i < nr_e820; i++)
		map[i] = (struct hvm_memmap_table_entry){
			e820[i].addr, e820[i].size, e820[i].type, 0 };
	si->memmap_paddr = BOOT_MEMMAP_ADDR;
	si->memmap_entries = nr_e820;

	*regs = (struct boot_regs){
		.rip = eh->e_entry,
		.rsp = BOOT_STACK_TOP,
		.rbx = BOOT_PARAMS_ADDR,
		.rsi = BOOT_PARAMS_ADDR,
	};
	return 0;
}
