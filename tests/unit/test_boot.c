// SPDX-License-Identifier: GPL-2.0
/*
 * Loaders against real files: the project's own test ELF and Debian's Linux
 * kernel (/boot/vmlinuz-*, from linux-image-amd64), plus malformed variants
 * and files changed between their validation and their load.
 */
#include "log.h"
#include "unit.h"
#include "boot.h"
#include "layout.h"
#include "pvh.h"
#include "vm.h"

#include <elf.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool read_file(struct boot_file *f, const char *path)
{
	FILE *null = fopen("/dev/null", "w");
	bool ok;

	log__set_sink(null);
	ok = boot_file__read(f, path) == 0;
	log__set_sink(NULL);
	fclose(null);
	return ok;
}

/* kernel__probe with its one-line diagnostic captured. */
static int probe_quiet(const struct boot_file *f, enum kernel_kind *kind, char *msg, size_t len)
{
	FILE *log = fmemopen(msg, len, "w");
	int ret;

	log__set_sink(log);
	ret = kernel__probe(f, kind);
	log__set_sink(NULL);
	fclose(log);
	return ret;
}

/* boot_linux__load with its one-line diagnostic captured. */
static int load_linux_quiet(struct guest_mem *mem, const struct boot_setup *s, char *msg, size_t len)
{
	struct boot_regs regs;
	FILE *log = fmemopen(msg, len, "w");
	int ret;

	log__set_sink(log);
	ret = boot_linux__load(mem, s, &regs);
	log__set_sink(NULL);
	fclose(log);
	return ret;
}

static const char *guest_elf(void)
{
	return getenv("PCIVMM_TEST_ELF");
}

static bool find_vmlinuz(char *path, size_t len)
{
	glob_t g;
	bool found = glob("/boot/vmlinuz-*", 0, NULL, &g) == 0 && g.gl_pathc > 0;

	if (found)
		snprintf(path, len, "%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	return found;
}

static uint8_t mp_sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static uint32_t *pvh_note_desc(struct boot_file *k, uint32_t **type);

/*
 * A test guest has both entries: it is entered at its PVH note in 32-bit
 * mode, as QEMU enters it; the same file without the note at e_entry in
 * long mode on pcivmm's identity page tables. Either way start_info
 * carries the command line and module 0 is the machine's FDT.
 */
TEST(elf_guest_gets_pvh_start_info_fdt_module_at_its_pvh_note_or_in_long_mode)
{
	struct boot_file k, copy;
	struct guest_mem mem;
	enum kernel_kind kind;
	struct boot_regs regs;
	static const uint8_t fdt[64] = { 0xd0, 0x0d, 0xfe, 0xed };
	struct boot_setup s = { .kernel = &k, .cmdline = "count=7", .fdt = fdt,
				.fdt_size = sizeof(fdt), .nr_cpus = 1 };
	const Elf64_Ehdr *eh;
	struct hvm_start_info *si;
	struct hvm_modlist_entry *mod;
	uint32_t *desc, *type;
	uint64_t *pd;
	char msg[256];

	if (!guest_elf())
		SKIP("PCIVMM_TEST_ELF not set");
	EXPECT(read_file(&k, guest_elf()));
	EXPECT_EQ(probe_quiet(&k, &kind, msg, sizeof(msg)), 0);
	EXPECT_EQ(kind, KERNEL_ELF64);
	EXPECT_EQ(guest_mem__init(&mem, 64 << 20), 0);
	EXPECT_EQ(boot_elf__load(&mem, &s, &regs), 0);
	eh = (const void *)k.data;
	desc = pvh_note_desc(&k, &type);
	EXPECT(desc);
	EXPECT(regs.protected32);
	EXPECT_EQ(regs.rip, *desc);
	EXPECT(regs.rip != eh->e_entry);
	EXPECT_EQ(regs.rbx, BOOT_PARAMS_ADDR);
	si = guest_mem__ptr(&mem, BOOT_PARAMS_ADDR, sizeof(*si));
	EXPECT_EQ(si->magic, HVM_START_MAGIC);
	EXPECT_EQ(si->nr_modules, 1);
	EXPECT(!strcmp(guest_mem__ptr(&mem, si->cmdline_paddr, 8), "count=7"));
	mod = guest_mem__ptr(&mem, si->modlist_paddr, sizeof(*mod));
	EXPECT_EQ(mod->size, sizeof(fdt));
	EXPECT(!memcmp(guest_mem__ptr(&mem, mod->paddr, 4), fdt, 4));
	EXPECT(!strcmp(guest_mem__ptr(&mem, mod->cmdline_paddr, 4), PCIVMM_FDT_MODULE_NAME));
	EXPECT(si->memmap_entries >= 3);
	/* The segment bytes are in guest RAM at their physical address. */
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(k.data + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD && ph->p_filesz)
			EXPECT(!memcmp(guest_mem__ptr(&mem, ph->p_paddr, ph->p_filesz),
				       k.data + ph->p_offset, ph->p_filesz));
	}

	/* On a host that runs no guest mode switch (kvm_pvm): long mode at e_entry. */
	s.long_mode_only = true;
	EXPECT_EQ(boot_elf__load(&mem, &s, &regs), 0);
	EXPECT(!regs.protected32);
	EXPECT_EQ(regs.rip, eh->e_entry);
	s.long_mode_only = false;

	/* The same file with its note's type changed: no PVH entry. */
	copy = (struct boot_file){ .path = "no-note.elf", .data = malloc(k.size), .size = k.size };
	EXPECT(copy.data);
	memcpy(copy.data, k.data, k.size);
	EXPECT(pvh_note_desc(&copy, &type));
	*type = 17;
	s.kernel = &copy;
	EXPECT_EQ(probe_quiet(&copy, &kind, msg, sizeof(msg)), 0);
	EXPECT_EQ(kind, KERNEL_ELF64);
	EXPECT_EQ(boot_elf__load(&mem, &s, &regs), 0);
	EXPECT(!regs.protected32);
	EXPECT_EQ(regs.rip, eh->e_entry);
	EXPECT_EQ(regs.rbx, BOOT_PARAMS_ADDR);
	EXPECT_EQ(si->nr_modules, 1);
	/* Identity map: the PD entry for the IOAPIC's 2 MiB page points at itself. */
	pd = guest_mem__ptr(&mem, BOOT_PD_ADDR, 4 * 4096);
	EXPECT_EQ(pd[IOAPIC_BASE >> 21] & ~0xfffULL, IOAPIC_BASE & ~0x1fffffULL);
	guest_mem__exit(&mem);
	boot_file__free(&copy);
	boot_file__free(&k);
}

TEST(malformed_elf_files_are_refused_with_a_reason)
{
	struct boot_file k, bad;
	enum kernel_kind kind;
	Elf64_Ehdr *eh;
	char msg[256];

	if (!guest_elf())
		SKIP("PCIVMM_TEST_ELF not set");
	EXPECT(read_file(&k, guest_elf()));
	bad = (struct boot_file){ .path = "bad.elf", .data = malloc(k.size), .size = k.size };
	memcpy(bad.data, k.data, k.size);
	eh = (void *)bad.data;

	eh->e_entry = 0;
	EXPECT(probe_quiet(&bad, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "no entry point"));
	eh->e_entry = 0x10; /* not in any segment */
	EXPECT(probe_quiet(&bad, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "outside every executable segment"));
	memcpy(bad.data, k.data, k.size);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT(probe_quiet(&bad, &kind, msg, sizeof(msg)) < 0);
	memcpy(bad.data, k.data, k.size);
	eh->e_phnum = 60000;
	EXPECT(probe_quiet(&bad, &kind, msg, sizeof(msg)) < 0);
	memcpy(bad.data, k.data, k.size);
	bad.size = 0x1100; /* cut inside the loadable segment */
	EXPECT(probe_quiet(&bad, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "truncated"));
	bad.size = 20;
	EXPECT(probe_quiet(&bad, &kind, msg, sizeof(msg)) < 0);
	bad.size = 0;
	EXPECT(probe_quiet(&bad, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "neither"));
	/* A segment whose file offset plus size wraps past 2^64. */
	memcpy(bad.data, k.data, k.size);
	bad.size = k.size;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (void *)(bad.data + eh->e_phoff + i * sizeof(*ph));

		if (ph->p_type != PT_LOAD)
			continue;
		ph->p_filesz = UINT64_MAX - ph->p_offset + 0x1000;
		break;
	}
	EXPECT(probe_quiet(&bad, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "overflows"));
	boot_file__free(&bad);
	boot_file__free(&k);
}

TEST(program_headers_at_an_unaligned_offset_are_read_safely)
{
	struct boot_file k, moved;
	enum kernel_kind kind;
	Elf64_Ehdr *eh;
	char msg[256] = "";
	size_t table;

	if (!guest_elf())
		SKIP("PCIVMM_TEST_ELF not set");
	EXPECT(read_file(&k, guest_elf()));
	eh = (void *)k.data;
	table = (size_t)eh->e_phnum * sizeof(Elf64_Phdr);
	/* The same file with its program headers copied to an odd offset at the end. */
	moved = (struct boot_file){ .path = "moved.elf", .data = malloc(k.size + 1 + table),
				    .size = k.size + 1 + table };
	EXPECT(moved.data);
	memcpy(moved.data, k.data, k.size);
	memcpy(moved.data + k.size + 1, k.data + eh->e_phoff, table);
	((Elf64_Ehdr *)moved.data)->e_phoff = k.size + 1;
	/* Under UBSan (the unit suite) a misaligned Elf64_Phdr load aborts here. */
	EXPECT_EQ(probe_quiet(&moved, &kind, msg, sizeof(msg)), 0);
	EXPECT_EQ(kind, KERNEL_ELF64);
	boot_file__free(&moved);
	boot_file__free(&k);
}

/* The test ELF as a vmlinux is linked: every loadable segment's vaddr moved up. */
static struct boot_file linked_high_copy(const struct boot_file *k)
{
	struct boot_file c = { .path = "high.elf", .data = malloc(k->size), .size = k->size };
	Elf64_Ehdr *eh = (void *)c.data;

	memcpy(c.data, k->data, k->size);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (void *)(c.data + eh->e_phoff + i * sizeof(*ph));

		if (ph->p_type == PT_LOAD)
			ph->p_vaddr += 0xffffffff80000000ULL;
	}
	eh->e_entry += 0xffffffff80000000ULL;
	return c;
}

/* The descriptor of the test ELF's XEN_ELFNOTE_PHYS32_ENTRY note, or NULL. */
static uint32_t *pvh_note_desc(struct boot_file *k, uint32_t **type)
{
	const Elf64_Ehdr *eh = (const void *)k->data;

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const void *)(k->data + eh->e_phoff + i * sizeof(*ph));
		uint32_t *n = (void *)(k->data + ph->p_offset);

		if (ph->p_type == PT_NOTE && n[2] == XEN_ELFNOTE_PHYS32_ENTRY) {
			*type = &n[2];
			return &n[3 + 1]; /* after the header and "Xen\0" */
		}
	}
	return NULL;
}

TEST(an_elf_linked_high_is_entered_at_its_pvh_note_in_32_bit_mode)
{
	struct boot_file k, high, initrd = { .path = "initrd" };
	struct guest_mem mem;
	enum kernel_kind kind;
	struct boot_regs regs;
	static const uint8_t fdt[64] = { 0xd0, 0x0d, 0xfe, 0xed };
	struct boot_setup s = { .kernel = &high, .cmdline = "console=ttyS0", .fdt = fdt,
				.fdt_size = sizeof(fdt), .nr_cpus = 1 };
	struct hvm_start_info *si;
	struct hvm_modlist_entry *mod;
	uint32_t *desc, *type, entry;
	char msg[512] = "", long_cmdline[2100];

	if (!guest_elf())
		SKIP("PCIVMM_TEST_ELF not set");
	EXPECT(read_file(&k, guest_elf()));
	high = linked_high_copy(&k);
	desc = pvh_note_desc(&high, &type);
	EXPECT(desc);
	entry = *desc;
	EXPECT_EQ(probe_quiet(&high, &kind, msg, sizeof(msg)), 0);
	EXPECT_EQ(kind, KERNEL_PVH);

	/* No FDT module: Linux takes module 0 as its initrd. */
	EXPECT_EQ(guest_mem__init(&mem, 64 << 20), 0);
	EXPECT_EQ(boot_elf__load(&mem, &s, &regs), 0);
	EXPECT(regs.protected32);
	EXPECT_EQ(regs.rip, entry);
	EXPECT_EQ(regs.rbx, BOOT_PARAMS_ADDR);
	si = guest_mem__ptr(&mem, BOOT_PARAMS_ADDR, sizeof(*si));
	EXPECT_EQ(si->nr_modules, 0);
	EXPECT_EQ(si->rsdp_paddr, 0);

	/* An initrd is module 0, page-aligned, above the kernel. */
	initrd.size = 3 << 20;
	initrd.data = calloc(1, initrd.size);
	initrd.data[0] = 0x42;
	s.initrd = &initrd;
	s.acpi_rsdp = ACPI_TABLES_ADDR;
	EXPECT_EQ(boot_elf__load(&mem, &s, &regs), 0);
	EXPECT_EQ(si->nr_modules, 1);
	EXPECT_EQ(si->rsdp_paddr, ACPI_TABLES_ADDR);
	mod = guest_mem__ptr(&mem, si->modlist_paddr, sizeof(*mod));
	EXPECT_EQ(mod->size, initrd.size);
	EXPECT_EQ(mod->paddr & 0xfff, 0);
	EXPECT(mod->paddr + mod->size <= 64 << 20);
	EXPECT_EQ(*(uint8_t *)guest_mem__ptr(&mem, mod->paddr, 1), 0x42);
	/* The MP table is written for acpi=off. */
	EXPECT(!memcmp(guest_mem__ptr(&mem, MPTABLE_ADDR, 4), "_MP_", 4));

	/* Linux's COMMAND_LINE_SIZE is 2048: a longer line is refused, not cut. */
	memset(long_cmdline, 'x', sizeof(long_cmdline) - 1);
	long_cmdline[sizeof(long_cmdline) - 1] = 0;
	s.cmdline = long_cmdline;
	FILE *log = fmemopen(msg, sizeof(msg), "w");
	log__set_sink(log);
	EXPECT(boot_elf__load(&mem, &s, &regs) < 0);
	log__set_sink(NULL);
	fclose(log);
	EXPECT(strstr(msg, "COMMAND_LINE_SIZE"));

	/* A PVH entry outside every executable segment. */
	*desc = 0x10;
	EXPECT(probe_quiet(&high, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "PVH entry point 0x10 is outside every executable segment"));
	/* No PVH note at all: linked high, nowhere to enter. */
	*desc = entry;
	*type = 17;
	EXPECT(probe_quiet(&high, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "no PVH entry note"));
	/* A note whose name size runs past its segment ends the search safely. */
	*type = XEN_ELFNOTE_PHYS32_ENTRY;
	desc[-4] = 0xfffffff0; /* n_namesz */
	EXPECT(probe_quiet(&high, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "no PVH entry note"));

	guest_mem__exit(&mem);
	boot_file__free(&initrd);
	boot_file__free(&high);
	boot_file__free(&k);
}

/*
 * Debian's own vmlinux (from its bzImage, by scripts/vmlinux-from-bzimage):
 * the PVH path finds Linux's note among the twenty in .notes and loads every
 * segment at its physical address, the per-CPU one (vaddr 0) included.
 */
TEST(debian_vmlinux_probes_as_pvh_and_loads_at_its_physical_addresses)
{
	char path[4096], out[] = "/tmp/pcivmm-test-vmlinux.XXXXXX", cmd[8192], msg[512] = "";
	const char *tool = getenv("PCIVMM_VMLINUX_FROM_BZIMAGE");
	struct boot_file k;
	struct guest_mem mem;
	enum kernel_kind kind;
	struct boot_regs regs;
	struct boot_setup s = { .kernel = &k, .cmdline = "console=ttyS0", .nr_cpus = 1 };
	const Elf64_Ehdr *eh;
	int fd;

	if (!find_vmlinuz(path, sizeof(path)))
		SKIP("no /boot/vmlinuz-* (install linux-image-amd64)");
	if (!tool)
		SKIP("PCIVMM_VMLINUX_FROM_BZIMAGE not set");
	fd = mkstemp(out);
	EXPECT(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "'%s' '%s' '%s'", tool, path, out);
	EXPECT_EQ(system(cmd), 0);
	EXPECT(read_file(&k, out));
	unlink(out);
	EXPECT_EQ(probe_quiet(&k, &kind, msg, sizeof(msg)), 0);
	EXPECT_EQ(kind, KERNEL_PVH);
	EXPECT_EQ(guest_mem__init(&mem, 256 << 20), 0);
	EXPECT_EQ(boot_elf__load(&mem, &s, &regs), 0);
	EXPECT(regs.protected32);
	/* Linux's pvh_start_xen is in .head.text, just above the 16 MiB load address. */
	EXPECT(regs.rip > 0x1000000 && regs.rip < 0x1100000);
	eh = (const void *)k.data;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, k.data + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_filesz)
			EXPECT(!memcmp(guest_mem__ptr(&mem, ph.p_paddr, ph.p_filesz),
				       k.data + ph.p_offset, ph.p_filesz));
	}
	guest_mem__exit(&mem);
	boot_file__free(&k);
}

TEST(a_non_relocatable_bzimage_below_1mib_is_refused)
{
	struct boot_file k, bad;
	enum kernel_kind kind;
	char path[256], msg[512] = "";

	if (!find_vmlinuz(path, sizeof(path)))
		SKIP("no /boot/vmlinuz-* (apt-get install linux-image-amd64)");
	EXPECT(read_file(&k, path));
	bad = (struct boot_file){ .path = "low.bzImage", .data = malloc(k.size), .size = k.size };
	EXPECT(bad.data);
	memcpy(bad.data, k.data, k.size);
	bad.data[0x234] = 0;                 /* relocatable_kernel */
	memset(bad.data + 0x258, 0, 8);      /* pref_address 0 */
	EXPECT(probe_quiet(&bad, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "below 1 MiB"));
	bad.data[0x25a] = 0x10;              /* pref_address 1 MiB: fine */
	EXPECT_EQ(probe_quiet(&bad, &kind, msg, sizeof(msg)), 0);
	boot_file__free(&bad);
	boot_file__free(&k);
}

TEST(debian_bzimage_gets_boot_params_e820_initrd_and_mp_table)
{
	char path[4096], msg[256];
	struct boot_file k, initrd = { .path = "initrd" };
	struct guest_mem mem;
	enum kernel_kind kind;
	struct boot_regs regs;
	struct boot_pci_irq irqs[] = { { 4, 1, 16 }, { 8, 1, 16 } };
	struct boot_setup s = { .kernel = &k, .initrd = &initrd, .cmdline = "console=ttyS0 quiet",
				.nr_cpus = 2, .pci_irqs = irqs, .nr_pci_irqs = 2,
				.acpi_rsdp = ACPI_TABLES_ADDR };
	uint8_t *bp, *mpf, *mpc;
	uint32_t ramdisk, cmdptr;
	uint64_t rsdp;
	unsigned found_pci = 0;

	if (!find_vmlinuz(path, sizeof(path)))
		SKIP("no /boot/vmlinuz-* (install linux-image-amd64)");
	EXPECT(read_file(&k, path));
	EXPECT_EQ(probe_quiet(&k, &kind, msg, sizeof(msg)), 0);
	EXPECT_EQ(kind, KERNEL_BZIMAGE);
	initrd.size = 3 << 20;
	initrd.data = calloc(1, initrd.size);
	initrd.data[0] = 0x42;
	EXPECT_EQ(guest_mem__init(&mem, 512 << 20), 0);
	EXPECT_EQ(boot_linux__load(&mem, &s, &regs), 0);

	bp = guest_mem__ptr(&mem, BOOT_PARAMS_ADDR, 4096);
	EXPECT(!memcmp(bp + 0x202, "HdrS", 4));
	EXPECT_EQ(bp[0x210], 0xff);          /* type_of_loader */
	EXPECT(bp[0x211] & 0x80);            /* CAN_USE_HEAP */
	memcpy(&cmdptr, bp + 0x228, 4);
	EXPECT(!strcmp(guest_mem__ptr(&mem, cmdptr, 20), "console=ttyS0 quiet"));
	memcpy(&ramdisk, bp + 0x218, 4);
	EXPECT_EQ(ramdisk & 0xfff, 0);
	EXPECT_EQ(*(uint8_t *)guest_mem__ptr(&mem, ramdisk, 1), 0x42);
	EXPECT(ramdisk + initrd.size <= 512u << 20);
	EXPECT(bp[0x1e8] >= 4);              /* e820 entries */
	memcpy(&rsdp, bp + 0x070, 8);         /* acpi_rsdp_addr (boot protocol 2.14) */
	EXPECT_EQ(rsdp, ACPI_TABLES_ADDR);
	EXPECT_EQ(regs.rsi, BOOT_PARAMS_ADDR);
	EXPECT_EQ(regs.rip & 0xfff, 0x200);  /* startup_64 */
	/* The protected-mode payload starts at the load address. */
	EXPECT(!memcmp(guest_mem__ptr(&mem, regs.rip - 0x200, 64),
		       k.data + (k.data[0x1f1] + 1) * 512, 64));

	mpf = guest_mem__ptr(&mem, MPTABLE_ADDR, 16);
	EXPECT(!memcmp(mpf, "_MP_", 4));
	EXPECT_EQ(mp_sum(mpf, 16), 0);
	mpc = guest_mem__ptr(&mem, *(uint32_t *)(mpf + 4), 44);
	EXPECT(!memcmp(mpc, "PCMP", 4));
	EXPECT_EQ(mp_sum(mpc, *(uint16_t *)(mpc + 4)), 0);
	for (uint8_t *e = mpc + 44; e < mpc + *(uint16_t *)(mpc + 4);) {
		if (e[0] == 3 && e[4] == 0 /* PCI bus */ && e[5] == (4 << 2) && e[7] == 16 &&
		    *(uint16_t *)(e + 2) == 0x0d)
			found_pci++;
		e += e[0] == 0 ? 20 : 8;
	}
	EXPECT_EQ(found_pci, 1);
	guest_mem__exit(&mem);
	boot_file__free(&initrd);
	boot_file__free(&k);
}

TEST(truncated_bzimage_and_oversized_initrd_are_refused)
{
	char path[4096], msg[256];
	struct boot_file k, cut, initrd = { .path = "big.img" };
	struct guest_mem mem;
	enum kernel_kind kind;
	struct boot_setup s = { .kernel = &k, .initrd = &initrd, .nr_cpus = 1 };

	if (!find_vmlinuz(path, sizeof(path)))
		SKIP("no /boot/vmlinuz-* (install linux-image-amd64)");
	EXPECT(read_file(&k, path));
	cut = (struct boot_file){ .path = "cut", .data = k.data, .size = 0x1200 };
	EXPECT(probe_quiet(&cut, &kind, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "truncated"));
	cut.size = 0x220;
	EXPECT(probe_quiet(&cut, &kind, msg, sizeof(msg)) < 0);

	initrd.size = 120 << 20;
	initrd.data = calloc(1, initrd.size);
	EXPECT_EQ(guest_mem__init(&mem, 128 << 20), 0);
	EXPECT(load_linux_quiet(&mem, &s, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "big.img"));
	EXPECT(strstr(msg, "use a larger --mem"));
	guest_mem__exit(&mem);

	/*
	 * 2 GiB fits in no --mem: the kernel's initrd_addr_max (Debian's:
	 * 0x7fffffff) is the limit, not the RAM. Never copied: refused first.
	 */
	boot_file__free(&initrd);
	initrd = (struct boot_file){ .path = "huge.img", .size = 2ULL << 30 };
	EXPECT_EQ(guest_mem__init(&mem, 4ULL << 30), 0);
	EXPECT(load_linux_quiet(&mem, &s, msg, sizeof(msg)) < 0);
	EXPECT(strstr(msg, "initrd_addr_max"));
	EXPECT(!strstr(msg, "larger --mem"));
	guest_mem__exit(&mem);
	boot_file__free(&k);
}

TEST(an_empty_initrd_boots_with_no_ramdisk)
{
	char path[4096];
	struct boot_file k, empty = { .path = "empty.img" };
	struct guest_mem mem;
	struct boot_regs regs;
	struct boot_setup s = { .kernel = &k, .initrd = &empty, .nr_cpus = 1 };
	uint32_t ramdisk[2];
	uint8_t *bp;

	if (!find_vmlinuz(path, sizeof(path)))
		SKIP("no /boot/vmlinuz-* (install linux-image-amd64)");
	EXPECT(read_file(&k, path));
	EXPECT_EQ(guest_mem__init(&mem, 256 << 20), 0);
	/* No data at all (boot_file__read reads nothing for 0 bytes): never read. */
	EXPECT_EQ(boot_linux__load(&mem, &s, &regs), 0);
	bp = guest_mem__ptr(&mem, BOOT_PARAMS_ADDR, 4096);
	memcpy(ramdisk, bp + 0x218, 8); /* ramdisk_image, ramdisk_size */
	EXPECT_EQ(ramdisk[0], 0);
	EXPECT_EQ(ramdisk[1], 0);
	guest_mem__exit(&mem);
	boot_file__free(&k);
}

/*
 * The test ELF copied to a temporary file (*fd open on it for writing, path
 * in tmp) and read and probed from there, as main.c does before any device
 * exists; orig gets the bytes it had. The caller then changes the file.
 */
static bool read_temp_elf(char *tmp, int *fd, struct boot_file *k, struct boot_file *orig)
{
	enum kernel_kind kind;
	char msg[256];

	*fd = -1;
	if (!read_file(orig, guest_elf()))
		return false;
	*fd = mkstemp(tmp);
	if (*fd < 0 || write(*fd, orig->data, orig->size) != (ssize_t)orig->size)
		return false;
	return read_file(k, tmp) && probe_quiet(k, &kind, msg, sizeof(msg)) == 0 &&
	       kind == KERNEL_ELF64;
}

/* k loads, and every loadable segment of orig is in guest RAM at its physical address. */
static bool loads_as_validated(const struct boot_file *k, const struct boot_file *orig)
{
	const Elf64_Ehdr *eh = (const void *)orig->data;
	struct boot_setup s = { .kernel = k, .nr_cpus = 1 };
	struct guest_mem mem;
	struct boot_regs regs;
	bool ok;

	if (guest_mem__init(&mem, 64 << 20))
		return false;
	ok = boot_elf__load(&mem, &s, &regs) == 0;
	for (unsigned i = 0; ok && i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		const uint8_t *at;

		memcpy(&ph, orig->data + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		at = guest_mem__ptr(&mem, ph.p_paddr, ph.p_filesz);
		ok = at && !memcmp(at, orig->data + ph.p_offset, ph.p_filesz);
	}
	guest_mem__exit(&mem);
	return ok;
}

/* Rewrites the file in place with every loadable segment's file size past its memory size. */
static bool rewrite_with_oversized_segments(int fd, const struct boot_file *orig)
{
	uint8_t *evil = malloc(orig->size);
	Elf64_Ehdr *eh = (void *)evil;
	bool ok;

	if (!evil)
		return false;
	memcpy(evil, orig->data, orig->size);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (void *)(evil + eh->e_phoff + i * sizeof(*ph));

		if (ph->p_type == PT_LOAD)
			ph->p_filesz = ph->p_memsz + (64 << 20);
	}
	ok = pwrite(fd, evil, orig->size, 0) == (ssize_t)orig->size;
	free(evil);
	return ok;
}

/* Truncates the file after its headers (page 0), before its first segment. */
static bool truncate_after_headers(int fd, const struct boot_file *orig)
{
	return orig->size > 4096 && ftruncate(fd, 4096) == 0;
}

/*
 * The kernel file is validated long before it is loaded (devices are set
 * up in between). Changed meanwhile, it must not be what is loaded:
 * rewritten with a segment whose file size exceeds its memory size (which
 * validation refuses), it was read past its end and written past guest
 * RAM; truncated, the segment's copy was SIGBUS (it was a mapping).
 */
TEST(an_elf_rewritten_or_truncated_between_validation_and_load_loads_as_validated)
{
	static bool (*const changes[])(int fd, const struct boot_file *orig) = {
		rewrite_with_oversized_segments, truncate_after_headers,
	};

	if (!guest_elf())
		SKIP("PCIVMM_TEST_ELF not set");
	for (unsigned c = 0; c < sizeof(changes) / sizeof(changes[0]); c++) {
		char tmp[] = "/tmp/pcivmm-test-elf.XXXXXX";
		struct boot_file k = { 0 }, orig = { 0 };
		int fd;

		EXPECT(read_temp_elf(tmp, &fd, &k, &orig));
		unlink(tmp);
		EXPECT(changes[c](fd, &orig));
		EXPECT(loads_as_validated(&k, &orig));
		close(fd);
		boot_file__free(&k);
		boot_file__free(&orig);
	}
}

/*
 * A file that ends before the size it had when opened (one truncated while
 * it is read; a sysfs attribute, whose size is a page whatever it holds,
 * does the same every time): one line saying so, and nothing read.
 */
TEST(a_file_that_ends_before_its_size_is_refused_with_one_line)
{
	const char *path = "/sys/devices/system/cpu/online";
	struct boot_file f;
	struct stat st;
	char msg[512] = "";
	FILE *log = fmemopen(msg, sizeof(msg), "w");

	EXPECT(log);
	if (stat(path, &st) || !S_ISREG(st.st_mode) || st.st_size < 64) {
		fclose(log);
		SKIP("no sysfs attribute whose size says more than it holds");
	}
	log__set_sink(log);
	EXPECT(boot_file__read(&f, path) < 0);
	log__set_sink(NULL);
	fclose(log);
	EXPECT(f.data == NULL && f.size == 0);
	EXPECT(strstr(msg, path));
	EXPECT(strstr(msg, "changed while pcivmm read it"));
	EXPECT(!strchr(msg, '\n') || strchr(msg, '\n') == msg + strlen(msg) - 1);
}
