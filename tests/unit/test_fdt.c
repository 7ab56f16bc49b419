// SPDX-License-Identifier: GPL-2.0
/* The machine description, read back with libfdt. */
#include "log.h"
#include "unit.h"
#include "pci.h"
#include "guest_mem.h"
#include "machine_fdt.h"

#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint8_t blob[MACHINE_FDT_MAX];

struct machine {
	struct bus pio, mmio;
	struct guest_mem mem;
	struct pci_host host;
	struct pci_device a, b;
};

static void machine_init(struct machine *m, uint64_t ram)
{
	bus__init(&m->pio, "pio");
	bus__init(&m->mmio, "mmio");
	guest_mem__init(&m->mem, ram);
	pci_host__init(&m->host, &m->pio, &m->mmio, &m->mem);
	pci_device__init(&m->a, NULL, 0x1234, 0x11e8, 0xff00, 0, 1);
	pci_device__init(&m->b, NULL, 0x1234, 0x11e8, 0xff00, 0, 1);
	snprintf(m->b.host_bdf, sizeof(m->b.host_bdf), "0000:00:08.0");
	pci_host__add(&m->host, &m->a, 4);
	pci_host__add(&m->host, &m->b, 8);
}

static void machine_exit(struct machine *m)
{
	pci_host__exit(&m->host);
	guest_mem__exit(&m->mem);
	bus__exit(&m->pio);
	bus__exit(&m->mmio);
}

static uint32_t prop_u32(int node, const char *name)
{
	const fdt32_t *p = fdt_getprop(blob, node, name, NULL);

	return p ? fdt32_ld(p) : 0xdeadbeef;
}

TEST(fdt_describes_memory_cpus_and_every_pci_device_with_its_gsi)
{
	struct machine m;
	int size, node, len;
	const fdt64_t *reg;
	const char *s;

	machine_init(&m, 4ULL << 30);
	size = machine_fdt__build(blob, sizeof(blob), &m.mem, 3, &m.host, "count=5");
	EXPECT(size > 0);
	EXPECT_EQ(fdt_check_header(blob), 0);
	EXPECT(!strcmp(fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "bootargs", NULL), "count=5"));

	reg = fdt_getprop(blob, fdt_path_offset(blob, "/memory@0"), "reg", &len);
	EXPECT_EQ(len, 32); /* 3 GiB low + 1 GiB above 4 GiB */
	EXPECT_EQ(fdt64_ld(&reg[1]), 3ULL << 30);
	EXPECT_EQ(fdt64_ld(&reg[2]), 4ULL << 30);
	EXPECT(fdt_path_offset(blob, "/cpus/cpu@2") >= 0);
	EXPECT(fdt_path_offset(blob, "/cpus/cpu@3") < 0);

	node = fdt_path_offset(blob, "/pci@e0000000");
	EXPECT(node >= 0);
	EXPECT_EQ(fdt_node_check_compatible(blob, node, "pci-host-ecam-generic"), 0);
	EXPECT(fdt_getprop(blob, node, "interrupt-map", &len));
	EXPECT_EQ(len, 32 * 4 * 7 * 4);

	node = fdt_path_offset(blob, "/pci@e0000000/dev@4,0");
	EXPECT(node >= 0);
	EXPECT_EQ(prop_u32(node, "pcivmm,gsi"), 16);
	EXPECT_EQ(prop_u32(node, "interrupts"), 1);
	EXPECT_EQ(prop_u32(node, "reg"), 4 << 11);
	EXPECT(!fdt_getprop(blob, node, "pcivmm,host-bdf", NULL));
	node = fdt_path_offset(blob, "/pci@e0000000/dev@8,0");
	EXPECT_EQ(prop_u32(node, "pcivmm,gsi"), 16);
	s = fdt_getprop(blob, node, "pcivmm,host-bdf", NULL);
	EXPECT(s && !strcmp(s, "0000:00:08.0"));
	machine_exit(&m);
}

TEST(dump_writes_whole_file_or_nothing)
{
	struct machine m;
	char dir[] = "/tmp/pcivmm-fdt-XXXXXX", path[128], bad[160];
	uint8_t back[MACHINE_FDT_MAX];
	FILE *null, *f;
	int size;
	size_t n;

	machine_init(&m, 256 << 20);
	size = machine_fdt__build(blob, sizeof(blob), &m.mem, 1, &m.host, NULL);
	EXPECT(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.dtb", dir);
	EXPECT_EQ(machine_fdt__write_file(blob, size, path), 0);
	f = fopen(path, "rb");
	n = fread(back, 1, sizeof(back), f);
	fclose(f);
	EXPECT_EQ(n, (size_t)size);
	EXPECT(!memcmp(back, blob, size));
	unlink(path);

	snprintf(bad, sizeof(bad), "%s/missing/m.dtb", dir);
	null = fopen("/dev/null", "w");
	log__set_sink(null);
	EXPECT(machine_fdt__write_file(blob, size, bad) < 0);
	log__set_sink(NULL);
	fclose(null);
	EXPECT(rmdir(dir) == 0); /* nothing was left behind */
	machine_exit(&m);
}
