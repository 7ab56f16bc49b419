// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for everything a guest can aim at the PCI host bridge: CF8/CFC
 * and ECAM accesses of any width and alignment, BAR sizing and relocation to
 * any address, COMMAND decode toggling, capability bytes, on an emulated
 * device model and on a passthrough device (config virtualization over an
 * in-memory device image, MSI and MSI-X offered, its MSI-X table and PBA
 * in BAR0 reachable by MMIO, extended capabilities one of which is hidden). Invariants checked after every
 * access: no BAR decodes over guest RAM or beyond the physical address
 * width, bus ranges never overlap, the passthrough device's identity never
 * changes, the guest's MSI message never reaches the device, and the
 * backend's MSI and MSI-X are on exactly when the model says so.
 *
 * Input: a sequence of 8-byte operations
 *   [0] op  [1] device/function  [2..3] offset  [4..7] value
 */
#include "pt.h"
#include "guest_mem.h"
#include "irq_routing.h"
#include "layout.h"
#include "vm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_machine {
	struct bus pio, mmio;
	struct guest_mem mem;
	struct pci_host host;
	struct pci_device emu;
	struct pt_dev pt;
	uint8_t image[PCI_CFG_SPACE_EXP_SIZE]; /* with extended capabilities from 0x100 */
	struct vm vm; /* only for MSI routes: described, never run */
	bool msi_on;  /* the fake backend's MSI */
	bool msix_on; /* and MSI-X */
};

#define MSI_CAP 0x50
#define MSIX_CAP 0x60

static struct fuzz_machine *M;

static void sink(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool w)
{
	(void)opaque;
	(void)off;
	if (!w)
		memset(data, 0x5a, len);
}

static int image_read(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val)
{
	(void)pt;
	*val = 0;
	if (off + len > sizeof(M->image))
		abort(); /* pcivmm must never ask for more than 4 KiB */
	memcpy(val, M->image + off, len);
	return 0;
}

static int image_write(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val)
{
	(void)pt;
	/* A device's own read-only identity: the virtualization must not try. */
	if (off < 4)
		abort();
	/* The guest's MSI message is the model's: it never reaches the device. */
	if (off < MSI_CAP + 10 && off + len > MSI_CAP)
		abort();
	memcpy(M->image + off, &val, len);
	return 0;
}

/* The fake backend's MSI and MSI-X: on exactly once, and MSI-X with every table entry. */
static int fake_msi_enable(struct pt_dev *pt, enum pt_msi_kind kind, unsigned nr, const int *efds)
{
	bool *on = kind == PT_MSIX ? &M->msix_on : &M->msi_on;

	(void)efds;
	if (*on || nr != (kind == PT_MSIX ? pt->msix.nr : 1))
		abort();
	*on = true;
	return 0;
}

static void fake_msi_disable(struct pt_dev *pt, enum pt_msi_kind kind, bool restore_intx)
{
	(void)pt, (void)restore_intx;
	*(kind == PT_MSIX ? &M->msix_on : &M->msi_on) = false;
}

/* The passed device's BAR0: its MSI-X table and PBA are the model's. */
static void pt_bar_access(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool w)
{
	if (!pt_msix__bar_access(&M->pt, 0, off, data, len, w))
		sink(opaque, off, data, len, w);
}

static const struct pt_backend_ops image_ops = {
	.name = "image", .cfg_read = image_read, .cfg_write = image_write,
	.msi_enable = fake_msi_enable, .msi_disable = fake_msi_disable,
};
static const struct pci_device_ops pt_ops = { .cfg_read = pt_config__read,
					      .cfg_write = pt_config__write };

static void machine_reset(void)
{
	static const uint8_t caps[] = { 0x01, 0x50, 0x03, 0x00, 0, 0, 0, 0 };

	if (M) {
		pt_msi__exit(&M->pt);
		pt_msix__exit(&M->pt);
		irq_routing__exit(&M->vm);
		pci_host__exit(&M->host);
		guest_mem__exit(&M->mem);
		bus__exit(&M->pio);
		bus__exit(&M->mmio);
	} else {
		M = calloc(1, sizeof(*M));
	}
	memset(M, 0, sizeof(*M));
	M->vm.vm_fd = M->vm.kvm_fd = -1;
	bus__init(&M->pio, "pio");
	bus__init(&M->mmio, "mmio");
	guest_mem__init(&M->mem, 16 << 20);
	pci_host__init(&M->host, &M->pio, &M->mmio, &M->mem);

	pci_device__init(&M->emu, NULL, 0x1234, 0x11e8, 0xff00, 0, 1);
	pci_config__add_cap(&M->emu.cfg, PCI_CAP_ID_MSI, 16);
	pci_device__add_bar(&M->emu, 0, PCI_BAR_MMIO32, 1 << 20, false, sink, M);
	pci_device__add_bar(&M->emu, 1, PCI_BAR_IO, 32, false, sink, M);
	pci_device__add_bar(&M->emu, 2, PCI_BAR_MMIO64, 1 << 16, true, sink, M);
	pci_host__add(&M->host, &M->emu, 4);

	memcpy(M->image, "\x34\x12\xe8\x11", 4);
	M->image[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	M->image[PCI_CAPABILITY_LIST] = 0x40;
	memcpy(M->image + 0x40, caps, sizeof(caps));
	M->image[0x50] = PCI_CAP_ID_MSI;
	M->image[0x51] = MSIX_CAP;
	M->image[MSIX_CAP] = PCI_CAP_ID_MSIX;
	M->image[MSIX_CAP + 1] = 0x40; /* a loop back to the first capability */
	M->image[MSIX_CAP + PCI_MSIX_FLAGS] = 3; /* 4 vectors: table at BAR0 0, PBA at 0x800 */
	M->image[MSIX_CAP + PCI_MSIX_PBA + 1] = 0x08;
	M->image[PCI_INTERRUPT_PIN] = 1;
	/* Extended capabilities: SR-IOV (hidden) -> AER -> back to SR-IOV (a loop). */
	memcpy(M->image + 0x100, "\x10\x00\x01\x14", 4);
	memcpy(M->image + 0x140, "\x01\x00\x01\x10", 4);
	M->pt.backend = &image_ops;
	M->pt.vm = &M->vm;
	M->pt.msi_possible = true;
	M->pt.msix_possible = true;
	pt_config__setup(&M->pt, M->image);
	pci_device__add_bar(&M->pt.pci, 0, PCI_BAR_MMIO32, 4096, false, pt_bar_access, M);
	M->pt.pci.ops = &pt_ops;
	pci_host__add(&M->host, &M->pt.pci, 8);
	pci_host__assign_bars(&M->host);
}

static void check_invariants(void)
{
	struct pci_device *devs[] = { &M->emu, &M->pt.pci };

	for (unsigned d = 0; d < 2; d++)
		for (unsigned i = 0; i < PCI_STD_NUM_BARS; i++) {
			const struct pci_bar *b = &devs[d]->bars[i];

			if (!b->mapped)
				continue;
			if (b->kind != PCI_BAR_IO &&
			    (guest_mem__overlaps_ram(&M->mem, b->mapped_at, b->size) ||
			     b->mapped_at + b->size > (1ULL << 46)))
				abort();
			if (b->kind == PCI_BAR_IO && b->mapped_at + b->size > 0x10000)
				abort();
		}
	for (unsigned i = 1; i < M->mmio.count; i++)
		if (M->mmio.ranges[i - 1].base + M->mmio.ranges[i - 1].len > M->mmio.ranges[i].base)
			abort();
	if (memcmp(M->image, "\x34\x12\xe8\x11", 4))
		abort();
	if (M->msi_on != M->pt.msi.enabled || M->msix_on != M->pt.msix.enabled)
		abort();
	/* An enabled MSI is routed on an MSI GSI, never an irqchip pin's. */
	if (M->pt.msi.enabled && M->pt.msi.gsi < IRQ_ROUTING_FIRST_MSI_GSI)
		abort();
	/* The extended chain as set up: null header -> AER, the loop cut, SR-IOV's body 0. */
	if (pt_ext_config__read(&M->pt.pci, 0x100, 4) != 0x140u << 20 ||
	    pt_ext_config__read(&M->pt.pci, 0x140, 4) != 0x00010001 ||
	    pt_ext_config__read(&M->pt.pci, 0x104, 4) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	machine_reset();
	for (size_t i = 0; i + 8 <= size; i += 8) {
		const uint8_t *op = data + i;
		unsigned len = 1u << (op[0] & 3); /* 1, 2, 4, 8 */
		unsigned dev = op[1] & 0x1f, fn = (op[1] >> 5) & 7;
		unsigned off = (op[2] | op[3] << 8) & 0xfff;
		uint32_t val;
		uint8_t buf[8];

		memcpy(&val, op + 4, 4);
		memcpy(buf, op + 4, 4);
		memcpy(buf + 4, op + 4, 4);
		switch ((op[0] >> 2) & 7) {
		case 0: /* CONFIG_ADDRESS */
			val = 0x80000000u | dev << 11 | fn << 8 | (off & 0xfc);
			bus__access(&M->pio, 0xcf8, (uint8_t *)&val, 4, true);
			break;
		case 1: /* CONFIG_DATA */
			bus__access(&M->pio, 0xcfc + (off & 3), buf, len > 4 ? 4 : len,
				    op[0] & 0x80);
			break;
		case 2: /* ECAM read */
			bus__access(&M->mmio, PCI_ECAM_BASE + (dev << 15 | fn << 12 | off), buf, len, false);
			break;
		case 3: /* ECAM write */
			bus__access(&M->mmio, PCI_ECAM_BASE + (dev << 15 | fn << 12 | off), buf, len, true);
			break;
		case 4: /* BAR write with a chosen address */
			pci_host__cfg_write(&M->host, op[1] & 1 ? 8 : 4, 0,
					    PCI_BASE_ADDRESS_0 + 4 * (op[2] % 6), 4, val);
			break;
		case 5: /* COMMAND */
			pci_host__cfg_write(&M->host, op[1] & 1 ? 8 : 4, 0, PCI_COMMAND, 2, val);
			break;
		case 6: /* any MMIO / port the guest can reach */
			bus__access(op[0] & 0x80 ? &M->pio : &M->mmio,
				    op[0] & 0x80 ? (val & 0xffff) : (uint64_t)val << (op[2] & 15),
				    buf, len, op[1] & 1);
			break;
		default: /* direct config access at any offset, any width */
			pci_host__cfg_read(&M->host, dev, fn, off, len);
			pci_host__cfg_write(&M->host, dev, fn, off, len, val);
			break;
		}
		check_invariants();
	}
	return 0;
}
