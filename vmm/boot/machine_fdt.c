// SPDX-License-Identifier: GPL-2.0
#include "machine_fdt.h"
#include "guest_mem.h"
#include "layout.h"
#include "log.h"
#include "out_file.h"
#include "pci.h"

#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define IOAPIC_PHANDLE 1
/*
 * IOAPIC interrupt specifier <pin type>, with the type encoding of Linux's
 * x86 IOAPIC binding (intel,ce4100-ioapic): 0 edge rising, 1 level low,
 * 2 level high, 3 edge falling. PCI INTx here is level, active-high.
 */
#define IOAPIC_EDGE_RISING 0
#define IOAPIC_LEVEL_HIGH 2

/* OF PCI bus binding: phys.hi cell space codes. */
#define OF_PCI_SPACE_IO    0x01000000
#define OF_PCI_SPACE_MEM32 0x02000000
/* IEEE 1275 PCI binding: 64-bit memory space, prefetchable (bit 30). */
#define OF_PCI_SPACE_MEM64_PREFETCH 0x43000000

#define FDT_TRY(expr)                                                        \
	do {                                                                 \
		int __r = (expr);                                            \
		if (__r < 0)                                                 \
			return __r;                                          \
	} while (0)

static int fdt_prop_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	return fdt_property(fdt, name, v, sizeof(v));
}

static int fdt_add_memory(void *fdt, const struct guest_mem *mem)
{
	fdt64_t reg[4];

	for (unsigned i = 0; i < mem->nr_regions; i++) {
		reg[2 * i] = cpu_to_fdt64(mem->regions[i].gpa);
		reg[2 * i + 1] = cpu_to_fdt64(mem->regions[i].size);
	}
	FDT_TRY(fdt_begin_node(fdt, "memory@0"));
	FDT_TRY(fdt_property_string(fdt, "device_type", "memory"));
	FDT_TRY(fdt_property(fdt, "reg", reg, mem->nr_regions * 2 * sizeof(reg[0])));
	return fdt_end_node(fdt);
}

static int fdt_add_cpus(void *fdt, unsigned nr_cpus)
{
	char name[16];

	FDT_TRY(fdt_begin_node(fdt, "cpus"));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < nr_cpus; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		FDT_TRY(fdt_begin_node(fdt, name));
		FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
		FDT_TRY(fdt_property_u32(fdt, "reg", i)); /* LAPIC ID */
		FDT_TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int fdt_add_legacy(void *fdt)
{
	fdt32_t irq[2] = { cpu_to_fdt32(UART_COM1_GSI), cpu_to_fdt32(IOAPIC_EDGE_RISING) };

	FDT_TRY(fdt_begin_node(fdt, "interrupt-controller@fec00000"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "intel,ce4100-ioapic"));
	FDT_TRY(fdt_prop_u64_pair(fdt, "reg", IOAPIC_BASE, 0x1000));
	FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 2));
	/* interrupt-map entries give no parent unit address: zero cells of it. */
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 0));
	FDT_TRY(fdt_property_u32(fdt, "phandle", IOAPIC_PHANDLE));
	FDT_TRY(fdt_end_node(fdt));

	/*
	 * Port I/O devices are in no address space the root describes (no
	 * reg), so their names carry no unit address; pcivmm,io-port says
	 * where they are.
	 */
	FDT_TRY(fdt_begin_node(fdt, "serial"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "ns16550a"));
	FDT_TRY(fdt_property_u32(fdt, "pcivmm,io-port", UART_COM1_PORT));
	FDT_TRY(fdt_property_u32(fdt, "clock-frequency", 1843200));
	FDT_TRY(fdt_property_u32(fdt, "interrupt-parent", IOAPIC_PHANDLE));
	FDT_TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	FDT_TRY(fdt_end_node(fdt));

	FDT_TRY(fdt_begin_node(fdt, "debug-exit"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "qemu,isa-debug-exit"));
	FDT_TRY(fdt_property_u32(fdt, "pcivmm,io-port", DEBUG_EXIT_PORT));
	return fdt_end_node(fdt);
}

/* The INTx swizzle for every slot and pin: <devfn<<8 0 0 pin &ioapic gsi type>. */
static int fdt_add_interrupt_map(void *fdt)
{
	fdt32_t map[PCI_MAX_SLOTS * 4 * 7];
	fdt32_t mask[4] = { cpu_to_fdt32(0xf800), 0, 0, cpu_to_fdt32(7) };
	unsigned n = 0;

	for (unsigned slot = 0; slot < PCI_MAX_SLOTS; slot++) {
		for (unsigned pin = 1; pin <= 4; pin++) {
			map[n++] = cpu_to_fdt32(slot << 11);
			map[n++] = 0;
			map[n++] = 0;
			map[n++] = cpu_to_fdt32(pin);
			map[n++] = cpu_to_fdt32(IOAPIC_PHANDLE);
			map[n++] = cpu_to_fdt32(pci_host__intx_gsi(slot, pin));
			map[n++] = cpu_to_fdt32(IOAPIC_LEVEL_HIGH);
		}
	}
	FDT_TRY(fdt_property(fdt, "interrupt-map-mask", mask, sizeof(mask)));
	return fdt_property(fdt, "interrupt-map", map, n * sizeof(map[0]));
}

static int fdt_add_pci_device(void *fdt, const struct pci_device *dev)
{
	fdt32_t reg[5] = { cpu_to_fdt32((uint32_t)dev->slot << 11), 0, 0, 0, 0 };
	char name[32];

	snprintf(name, sizeof(name), "dev@%x,0", dev->slot);
	FDT_TRY(fdt_begin_node(fdt, name));
	FDT_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	FDT_TRY(fdt_property_u32(fdt, "vendor-id", dev->vendor_id));
	FDT_TRY(fdt_property_u32(fdt, "device-id", dev->device_id));
	if (dev->pin) {
		FDT_TRY(fdt_property_u32(fdt, "interrupts", dev->pin));
		FDT_TRY(fdt_property_u32(fdt, "pcivmm,gsi", dev->gsi));
	}
	if (dev->host_bdf[0])
		FDT_TRY(fdt_property_string(fdt, "pcivmm,host-bdf", dev->host_bdf));
	return fdt_end_node(fdt);
}

static int fdt_add_pci(void *fdt, const struct pci_host *pci)
{
	fdt32_t bus_range[2] = { 0, 0 };
	/* The 64-bit window as large as the BARs placed in it, whole GiBs (layout.h). */
	uint64_t base64 = pci->mmio64_base;
	uint64_t size64 = pci_host__mmio64_size(pci);
	fdt32_t ranges[] = {
		cpu_to_fdt32(OF_PCI_SPACE_IO), 0, cpu_to_fdt32(PCI_IO_WINDOW_BASE),
		0, cpu_to_fdt32(PCI_IO_WINDOW_BASE), 0, cpu_to_fdt32(PCI_IO_WINDOW_SIZE),
		cpu_to_fdt32(OF_PCI_SPACE_MEM32), 0, cpu_to_fdt32((uint32_t)PCI_MMIO_BASE),
		0, cpu_to_fdt32((uint32_t)PCI_MMIO_BASE), 0, cpu_to_fdt32((uint32_t)PCI_MMIO_SIZE),
		cpu_to_fdt32(OF_PCI_SPACE_MEM64_PREFETCH), cpu_to_fdt32(base64 >> 32),
		cpu_to_fdt32((uint32_t)base64), cpu_to_fdt32(base64 >> 32),
		cpu_to_fdt32((uint32_t)base64), cpu_to_fdt32(size64 >> 32),
		cpu_to_fdt32((uint32_t)size64),
	};

	FDT_TRY(fdt_begin_node(fdt, "pci@e0000000"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "pci-host-ecam-generic"));
	FDT_TRY(fdt_property_string(fdt, "device_type", "pci"));
	FDT_TRY(fdt_prop_u64_pair(fdt, "reg", PCI_ECAM_BASE, PCI_ECAM_SIZE));
	FDT_TRY(fdt_property(fdt, "bus-range", bus_range, sizeof(bus_range)));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 3));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 2));
	FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	/* Without 64-bit BARs the window is empty and left out. */
	FDT_TRY(fdt_property(fdt, "ranges", ranges, size64 ? sizeof(ranges) : 14 * sizeof(fdt32_t)));
	FDT_TRY(fdt_property_u32(fdt, "pcivmm,cf8-port", 0xcf8));
	FDT_TRY(fdt_add_interrupt_map(fdt));
	for (unsigned s = 1; s < PCI_MAX_SLOTS; s++)
		if (pci->slots[s])
			FDT_TRY(fdt_add_pci_device(fdt, pci->slots[s]));
	return fdt_end_node(fdt);
}

static int machine_fdt_build(void *fdt, size_t size, const struct guest_mem *mem,
			     unsigned nr_cpus, const struct pci_host *pci, const char *cmdline)
{
	FDT_TRY(fdt_create(fdt, size));
	FDT_TRY(fdt_finish_reservemap(fdt));
	FDT_TRY(fdt_begin_node(fdt, ""));
	FDT_TRY(fdt_property_string(fdt, "compatible", "pcivmm,x86-pc"));
	FDT_TRY(fdt_property_string(fdt, "model", "pcivmm"));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 2));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 2));
	FDT_TRY(fdt_begin_node(fdt, "chosen"));
	FDT_TRY(fdt_property_string(fdt, "bootargs", cmdline ? cmdline : ""));
	FDT_TRY(fdt_property_string(fdt, "stdout-path", "/serial"));
	FDT_TRY(fdt_end_node(fdt));
	FDT_TRY(fdt_add_cpus(fdt, nr_cpus));
	FDT_TRY(fdt_add_memory(fdt, mem));
	FDT_TRY(fdt_add_legacy(fdt));
	FDT_TRY(fdt_add_pci(fdt, pci));
	FDT_TRY(fdt_end_node(fdt));
	FDT_TRY(fdt_finish(fdt));
	return 0;
}

int machine_fdt__build(void *buf, size_t size, const struct guest_mem *mem,
		       unsigned nr_cpus, const struct pci_host *pci, const char *cmdline)
{
	int ret = machine_fdt_build(buf, size, mem, nr_cpus, pci, cmdline);

	if (ret < 0) {
		pr_err("building the device tree: %s", fdt_strerror(ret));
		return -ENOSPC;
	}
	return fdt_totalsize(buf);
}

int machine_fdt__write_file(const void *fdt, size_t size, const char *path)
{
	int err = out_file__write(path, fdt, size);

	if (err)
		pr_err("--dump-dtb %s: %s", path, strerror(-err));
	return err;
}
