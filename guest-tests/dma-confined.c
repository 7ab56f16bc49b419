// SPDX-License-Identifier: GPL-2.0
/*
 * dma-confined: a passed-through QEMU edu does DMA as the guest programs
 * it (0x80 source, 0x88 destination, 0x90 count, 0x98 command: bit 0
 * start, bit 1 edu-to-RAM; the edu side is its 4 KiB buffer at 0x40000;
 * the RAM side is a bus address that edu clamps to 28 bits).
 *  - Inside guest RAM it must work, byte for byte, also near the top of RAM:
 *    the IOMMU maps all of guest RAM at its guest-physical address.
 *  - Outside guest RAM (boot with --mem 128M; the address is below 256 MiB,
 *    so edu does not clamp it) it must go nowhere: the IOMMU blocks it and
 *    the host logs a DMA remapping fault (the nested job checks L1's log).
 * Only for a real edu (the emulated test device has no DMA engine).
 */
#include "guest.h"

const char test_name[] = "dma-confined";

#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_START 0x01
#define EDU_DMA_TO_RAM 0x02
#define EDU_BUFFER 0x40000ULL
/*
 * Not the whole 4 KiB buffer: QEMU 7.2's edu_check_range() refuses a
 * transfer that ends exactly at the buffer's end (it wants the end address
 * inside the buffer) and stops the whole (L1) machine with hw_error().
 */
#define DMA_LEN 2048

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));

static void write64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
static uint64_t read64(uint64_t a) { return *(volatile uint64_t *)a; }

/* Runs one transfer and waits (edu takes about 100 ms of virtual time) for it to end. */
static bool edu_dma(struct edu *e, uint64_t from, uint64_t to, bool to_ram)
{
	uint64_t start = rdtsc();

	write64(e->bar0 + EDU_DMA_SRC, from);
	write64(e->bar0 + EDU_DMA_DST, to);
	write64(e->bar0 + EDU_DMA_COUNT, DMA_LEN);
	write64(e->bar0 + EDU_DMA_CMD, EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0));
	while (read64(e->bar0 + EDU_DMA_CMD) & EDU_DMA_START) {
		if (ms_since(start) > 5000)
			return false;
		cpu_relax();
	}
	return true;
}

void test_main(void)
{
	uint64_t outside = cmdline_u64("outside", 0x0f000000);
	uint64_t high = cmdline_u64("high", 0);
	struct edu dev;
	unsigned diff = 0;

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	/* Decode and bus mastering: a device DMAs only with MASTER set. */
	pci_cfg_write(&dev.pci, PCI_COMMAND, 2, pci_cfg_read(&dev.pci, PCI_COMMAND, 2) | 0x4);
	for (unsigned i = 0; i < DMA_LEN; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	memset(dst, 0, DMA_LEN);
	check(edu_dma(&dev, (uintptr_t)src, EDU_BUFFER, false) &&
	      edu_dma(&dev, EDU_BUFFER, (uintptr_t)dst, true),
	      "DMA guest RAM -> edu -> guest RAM completes");
	for (unsigned i = 0; i < DMA_LEN; i++)
		diff += src[i] != dst[i];
	check(diff == 0, "the copy matches byte for byte (%u bytes differ)", diff);

	if (high) {
		/* A buffer near the top of guest RAM: the whole of RAM is mapped for DMA. */
		memset((void *)(uintptr_t)high, 0, DMA_LEN);
		check(edu_dma(&dev, EDU_BUFFER, high, true) &&
		      !memcmp((void *)(uintptr_t)high, src, DMA_LEN),
		      "DMA into guest RAM at 0x%lx (near its top) lands byte for byte", high);
	}

	/* Hostile: edu writes to, then reads from, an address that is not guest RAM. */
	check(edu_dma(&dev, EDU_BUFFER, outside, true),
	      "a DMA write to 0x%lx, outside guest RAM, ends (the IOMMU drops it)", outside);
	memset(dst, 0xa5, DMA_LEN);
	check(edu_dma(&dev, outside, EDU_BUFFER, false) &&
	      edu_dma(&dev, EDU_BUFFER, (uintptr_t)dst, true),
	      "a DMA read from 0x%lx, outside guest RAM, ends", outside);
	/*
	 * A blocked read brings nothing: edu's buffer keeps what it had, or
	 * holds what a failed bus read returns (all zeros or all ones).
	 */
	diff = 0;
	for (unsigned i = 0; i < DMA_LEN; i++)
		diff += dst[i] != src[i] && dst[i] != 0 && dst[i] != 0xff;
	check(diff == 0, "what came back holds no data from outside guest RAM (%u odd bytes)", diff);
}
