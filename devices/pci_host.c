// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI host bridge: configuration mechanism #1 (ports 0xcf8/0xcfc), ECAM,
 * INTx routing and BAR decoding. Every config access from the guest lands
 * here, so this is where guest-controlled offsets, sizes and BAR addresses
 * are validated.
 */
#include "pci.h"
#include "guest_mem.h"
#include "layout.h"
#include "log.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* Guest-physical addresses above this are beyond any CPU's MAXPHYADDR here. */
#define PCI_MMIO_ADDR_LIMIT (1ULL << 46)

#define CF8_ENABLE (1u << 31)

/* Red Hat's generic PCIe host bridge ID (QEMU gpex), class host bridge. */
#define HOST_BRIDGE_VENDOR 0x1b36
#define HOST_BRIDGE_DEVICE 0x0008

uint64_t pci_host__mmio64_size(const struct pci_host *host)
{
	return (host->mmio64_next - host->mmio64_base + PCI_MMIO64_ALIGN - 1) &
	       ~(PCI_MMIO64_ALIGN - 1);
}

unsigned pci_host__intx_gsi(unsigned slot, unsigned pin)
{
	return PCI_INTX_GSI_BASE + (slot + pin - 1) % PCI_INTX_GSI_COUNT;
}

void pci_host__set_intx(struct pci_host *host, const struct pci_device *dev, bool level)
{
	unsigned *n = &host->intx.asserting[dev->gsi - PCI_INTX_GSI_BASE];

	/*
	 * The lock spans the ioctl: two functions changing one GSI from two
	 * vCPUs must reach KVM in the order their counts changed.
	 */
	pthread_mutex_lock(&host->intx.lock);
	if ((level ? (*n)++ == 0 : --(*n) == 0) && host->intx.set_gsi_level)
		host->intx.set_gsi_level(host->intx.opaque, dev->gsi, level);
	pthread_mutex_unlock(&host->intx.lock);
}

static bool pci_overlaps(uint64_t addr, uint64_t size, uint64_t base, uint64_t len)
{
	return addr < base + len && base < addr + size;
}

static bool pci_bar_addr_ok(const struct pci_host *host, const struct pci_bar *bar,
			    uint64_t addr)
{
	if (addr == 0 || addr + bar->size < addr)
		return false;
	if (bar->kind == PCI_BAR_IO)
		return addr + bar->size <= 0x10000;
	return addr + bar->size <= PCI_MMIO_ADDR_LIMIT &&
	       !guest_mem__overlaps_ram(host->mem, addr, bar->size) &&
	       !pci_overlaps(addr, bar->size, IOAPIC_BASE, IOAPIC_WINDOW_SIZE) &&
	       !pci_overlaps(addr, bar->size, LAPIC_BASE, LAPIC_MSI_WINDOW_SIZE) &&
	       !pci_overlaps(addr, bar->size, KVM_IDENTITY_MAP_ADDR,
			     KVM_PRIVATE_END - KVM_IDENTITY_MAP_ADDR);
}

/*
 * Makes the buses match what the guest programmed: a BAR decodes at its
 * address iff its decode bit in COMMAND is set and the address is sane (not
 * over RAM, not wrapping, not on another device). The guest may program
 * anything; a BAR it placed badly simply does not decode. One placed on a
 * range another BAR still holds waits, undecoded, until that range frees
 * (pci_bars_changed). True if a decoded range was released.
 */
static bool pci_update_bar_mappings(struct pci_host *host, struct pci_device *dev)
{
	bool released = false;

	uint16_t cmd = pci_config__read(&dev->cfg, PCI_COMMAND, 2);
	bool rom_on = pci_config__read(&dev->cfg, PCI_ROM_ADDRESS, 4) & PCI_ROM_ADDRESS_ENABLE;

	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		struct pci_bar *bar = &dev->bars[i];
		bool io = bar->kind == PCI_BAR_IO;
		struct bus *bus = io ? host->pio : host->mmio;
		uint64_t addr;
		bool want;

		if (bar->kind == PCI_BAR_UNUSED)
			continue;
		addr = pci_device__bar_addr(dev, i);
		want = (cmd & (io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY)) &&
		       (i != PCI_ROM_BAR || rom_on) && pci_bar_addr_ok(host, bar, addr);
		if (bar->mapped && (!want || bar->mapped_at != addr)) {
			if (bar->map)
				bar->map(bar->opaque, bar->mapped_at, false);
			bus__unregister(bus, bar->mapped_at, bar->opaque);
			bar->mapped = false;
			released = true;
		}
		if (want && !bar->mapped) {
			if (bus__register(bus, addr, bar->size, bar->access, bar->opaque) == 0) {
				bar->mapped = true;
				bar->mapped_at = addr;
				if (bar->map)
					bar->map(bar->opaque, addr, true);
			} else {
				pr_debug_ratelimited("%s: BAR%u at 0x%llx overlaps another device; not decoded",
					 dev->name, i, (unsigned long long)addr);
			}
		}
	}
	return released;
}

/*
 * dev's decoding changed, host lock held. When that released a range, a BAR
 * waiting for it (programmed onto it while another BAR held it: a guest
 * swapping two BARs moves one onto the other's range first) decodes now,
 * as it would on real hardware; without this it stayed unclaimed (reading
 * all ones) until its own COMMAND or BAR was written again. Every device is
 * looked at: one whose BARs all decode as programmed is left as it is.
 */
static void pci_bars_changed(struct pci_host *host, struct pci_device *dev, bool released)
{
	if (dev)
		released |= pci_update_bar_mappings(host, dev);
	if (!released)
		return;
	for (unsigned s = 0; s < PCI_MAX_SLOTS; s++)
		if (host->slots[s])
			pci_update_bar_mappings(host, host->slots[s]);
}

static struct pci_device *pci_host_lookup(struct pci_host *host, unsigned dev, unsigned fn)
{
	/* Single-function devices: functions 1-7 are absent. */
	if (dev >= PCI_MAX_SLOTS || fn != 0)
		return NULL;
	return host->slots[dev];
}

static bool pci_range_overlaps(unsigned off, unsigned len, unsigned reg, unsigned reg_len)
{
	return off < reg + reg_len && reg < off + len;
}

/* What a config read of len bytes gets from nobody: all ones. */
static uint32_t pci_all_ones(unsigned len)
{
	return 0xffffffffu >> (32 - 8 * (len == 1 ? 1 : len == 2 ? 2 : 4));
}

/* A config read, host lock held; an absent function reads all ones. */
static uint32_t pci_cfg_read_locked(struct pci_host *host, unsigned devno, unsigned fn,
				    unsigned off, unsigned len)
{
	struct pci_device *dev = pci_host_lookup(host, devno, fn);

	return dev ? pci_device__cfg_read(dev, off, len) : pci_all_ones(len);
}

uint32_t pci_host__cfg_read(struct pci_host *host, unsigned devno, unsigned fn,
			    unsigned off, unsigned len)
{
	uint32_t val;

	if (!pci_config__access_ok(off, len))
		return pci_all_ones(len);
	pthread_mutex_lock(&host->lock);
	val = pci_cfg_read_locked(host, devno, fn, off, len);
	pthread_mutex_unlock(&host->lock);
	return val;
}

int pci_host__cfg_read_until(struct pci_host *host, unsigned devno, unsigned fn, unsigned off,
			     unsigned len, const struct timespec *deadline, uint32_t *val)
{
	if (!pci_config__access_ok(off, len)) {
		*val = pci_all_ones(len);
		return 0;
	}
	/* Past the deadline this is a trylock: the lock is taken only if free. */
	if (pthread_mutex_clocklock(&host->lock, CLOCK_MONOTONIC, deadline))
		return -EBUSY;
	*val = pci_cfg_read_locked(host, devno, fn, off, len);
	pthread_mutex_unlock(&host->lock);
	return 0;
}

/* A config write to dev, host lock held: the guest's and the firmware's path. */
static void pci_cfg_write_locked(struct pci_host *host, struct pci_device *dev,
				 unsigned off, unsigned len, uint32_t val)
{
	pci_device__cfg_write(dev, off, len, val);
	if (pci_range_overlaps(off, len, PCI_COMMAND, 2) ||
	    pci_range_overlaps(off, len, PCI_BASE_ADDRESS_0, 4 * PCI_STD_NUM_BARS) ||
	    pci_range_overlaps(off, len, PCI_ROM_ADDRESS, 4))
		pci_bars_changed(host, dev, false);
}

void pci_host__cfg_write(struct pci_host *host, unsigned devno, unsigned fn,
			 unsigned off, unsigned len, uint32_t val)
{
	struct pci_device *dev;

	if (!pci_config__access_ok(off, len))
		return;
	pthread_mutex_lock(&host->lock);
	dev = pci_host_lookup(host, devno, fn);
	if (dev)
		pci_cfg_write_locked(host, dev, off, len, val);
	pthread_mutex_unlock(&host->lock);
}

/* A config cycle from CONFIG_DATA or ECAM: bytes in guest order. */
static void pci_cfg_data_access(struct pci_host *host, unsigned dev, unsigned fn, unsigned reg,
				uint8_t *data, unsigned len, bool is_write)
{
	uint32_t val = 0;

	if (is_write) {
		memcpy(&val, data, len);
		pci_host__cfg_write(host, dev, fn, reg, len, val);
	} else {
		val = pci_host__cfg_read(host, dev, fn, reg, len);
		memcpy(data, &val, len);
	}
}

/* Ports 0xcf8-0xcfb: CONFIG_ADDRESS (dword accesses only, as on real chipsets). */
static void pci_cf8_access(void *opaque, uint64_t offset, uint8_t *data, unsigned len,
			   bool is_write)
{
	struct pci_host *host = opaque;

	if (offset == 1 && len == 1 && host->reset_request) {
		/* 0xcf9 is the PIIX/ICH reset control register: bit 2 resets. */
		if (is_write && (data[0] & 0x04))
			host->reset_request(host->reset_opaque);
		else if (!is_write)
			data[0] = 0;
		return;
	}
	if (offset != 0 || len != 4) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	/* No host lock: the main thread replays 0xcf8 writes (pci.h). */
	if (is_write) {
		uint32_t v;

		memcpy(&v, data, 4);
		atomic_store(&host->cf8, v);
	} else {
		uint32_t v = atomic_load(&host->cf8);

		memcpy(data, &v, 4);
	}
}

/* Ports 0xcfc-0xcff: CONFIG_DATA for the function CONFIG_ADDRESS selects. */
static void pci_cfc_access(void *opaque, uint64_t offset, uint8_t *data, unsigned len,
			   bool is_write)
{
	struct pci_host *host = opaque;
	unsigned bus, dev, fn, reg;
	uint32_t cf8 = atomic_load(&host->cf8);

	bus = (cf8 >> 16) & 0xff;
	dev = (cf8 >> 11) & 0x1f;
	fn = (cf8 >> 8) & 0x7;
	reg = (cf8 & 0xfc) + offset;

	if (!(cf8 & CF8_ENABLE) || bus != 0) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	pci_cfg_data_access(host, dev, fn, reg, data, len, is_write);
}

/* ECAM: bus 0 only, offset = device << 15 | function << 12 | register. */
static void pci_ecam_access(void *opaque, uint64_t offset, uint8_t *data, unsigned len,
			    bool is_write)
{
	struct pci_host *host = opaque;
	unsigned dev = (offset >> 15) & 0x1f, fn = (offset >> 12) & 0x7;
	unsigned reg = offset & 0xfff;

	if (len > 4) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (reg >= PCI_CFG_SPACE_SIZE) {
		/*
		 * Extended space: the function's own (a passed PCIe device),
		 * else 0 as a conventional function's; absent: all ones.
		 * Read-only: writes are dropped.
		 */
		if (!is_write) {
			struct pci_device *d;
			uint32_t v = 0;

			pthread_mutex_lock(&host->lock);
			d = pci_host_lookup(host, dev, fn);
			if (!d)
				v = 0xffffffff;
			else if (d->ops && d->ops->ext_cfg_read && (len == 1 || len == 2 || len == 4) &&
				 !(reg & (len - 1)))
				v = d->ops->ext_cfg_read(d, reg, len);
			pthread_mutex_unlock(&host->lock);
			memcpy(data, &v, len); /* little-endian: the low bytes */
		}
		return;
	}
	pci_cfg_data_access(host, dev, fn, reg, data, len, is_write);
}

int pci_host__init(struct pci_host *host, struct bus *pio, struct bus *mmio,
		   const struct guest_mem *mem)
{
	int ret;

	memset(host, 0, sizeof(*host));
	host->pio = pio;
	host->mmio = mmio;
	host->mem = mem;
	host->mmio_next = PCI_MMIO_BASE;
	host->io_next = PCI_IO_WINDOW_BASE;
	host->mmio64_base = HIGH_RAM_BASE;
	for (unsigned i = 0; i < mem->nr_regions; i++)
		if (mem->regions[i].gpa + mem->regions[i].size > host->mmio64_base)
			host->mmio64_base = mem->regions[i].gpa + mem->regions[i].size;
	host->mmio64_base = (host->mmio64_base + PCI_MMIO64_ALIGN - 1) & ~(PCI_MMIO64_ALIGN - 1);
	host->mmio64_next = host->mmio64_base;
	pthread_mutex_init(&host->lock, NULL);
	pthread_mutex_init(&host->intx.lock, NULL);

	pci_device__init(&host->bridge, NULL, HOST_BRIDGE_VENDOR, HOST_BRIDGE_DEVICE,
			 PCI_CLASS_BRIDGE_HOST << 8, 0, 0);
	snprintf(host->bridge.name, sizeof(host->bridge.name), "host bridge 00:00.0");
	host->bridge.host = host;
	host->slots[0] = &host->bridge;

	ret = bus__register(pio, PCI_HOST_CF8_PORT, 4, pci_cf8_access, host);
	if (!ret)
		ret = bus__register(pio, PCI_HOST_CFC_PORT, 4, pci_cfc_access, host);
	if (!ret)
		ret = bus__register(mmio, PCI_ECAM_BASE, PCI_ECAM_SIZE, pci_ecam_access, host);
	return ret;
}

/* Stops decoding dev's BARs. Host lock held. True if one was decoded. */
static bool pci_unmap_bars(struct pci_host *host, struct pci_device *dev)
{
	bool released = false;

	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		struct pci_bar *bar = &dev->bars[i];

		if (!bar->mapped)
			continue;
		if (bar->map)
			bar->map(bar->opaque, bar->mapped_at, false);
		bus__unregister(bar->kind == PCI_BAR_IO ? host->pio : host->mmio,
				bar->mapped_at, bar->opaque);
		bar->mapped = false;
		released = true;
	}
	return released;
}

void pci_host__remove(struct pci_host *host, struct pci_device *dev)
{
	bool released;

	pthread_mutex_lock(&host->lock);
	released = pci_unmap_bars(host, dev);
	if (dev->slot < PCI_MAX_SLOTS && host->slots[dev->slot] == dev)
		host->slots[dev->slot] = NULL;
	pci_bars_changed(host, NULL, released);
	pthread_mutex_unlock(&host->lock);
}

void pci_host__exit(struct pci_host *host)
{
	for (unsigned s = 0; s < PCI_MAX_SLOTS; s++) {
		if (host->slots[s])
			pci_unmap_bars(host, host->slots[s]);
		host->slots[s] = NULL;
	}
	bus__unregister(host->pio, PCI_HOST_CF8_PORT, host);
	bus__unregister(host->pio, PCI_HOST_CFC_PORT, host);
	bus__unregister(host->mmio, PCI_ECAM_BASE, host);
	pthread_mutex_destroy(&host->lock);
	pthread_mutex_destroy(&host->intx.lock);
}

int pci_host__add(struct pci_host *host, struct pci_device *dev, int slot)
{
	int ret = 0;

	pthread_mutex_lock(&host->lock);
	if (slot < 0) {
		for (slot = 1; slot < PCI_MAX_SLOTS && host->slots[slot]; slot++)
			;
		if (slot == PCI_MAX_SLOTS) {
			ret = -ENOSPC;
			goto out;
		}
	} else if (slot == 0 || slot >= PCI_MAX_SLOTS) {
		ret = -EINVAL;
		goto out;
	} else if (host->slots[slot]) {
		ret = -EBUSY;
		goto out;
	}
	dev->slot = slot;
	dev->host = host;
	if (dev->pin) {
		dev->gsi = pci_host__intx_gsi(slot, dev->pin);
		pci_config__set(&dev->cfg, PCI_INTERRUPT_LINE, 1, dev->gsi);
	}
	host->slots[slot] = dev;
out:
	pthread_mutex_unlock(&host->lock);
	return ret;
}

/* Writes BAR i (or the ROM) of dev with addr, keeping its flag bits. Host lock held. */
static void pci_write_bar(struct pci_host *host, struct pci_device *dev, unsigned i, uint64_t addr)
{
	struct pci_bar *bar = &dev->bars[i];
	unsigned reg = i == PCI_ROM_BAR ? PCI_ROM_ADDRESS : PCI_BASE_ADDRESS_0 + 4 * i;
	/* The ROM's low bit is its enable: left off, as firmware leaves it. */
	uint32_t flags = i == PCI_ROM_BAR ? 0 :
			 pci_config__read(&dev->cfg, reg, 4) & (bar->kind == PCI_BAR_IO ? 0x3 : 0xf);

	pci_cfg_write_locked(host, dev, reg, 4, (uint32_t)addr | flags);
	if (bar->kind == PCI_BAR_MMIO64)
		pci_cfg_write_locked(host, dev, reg + 4, 4, (uint32_t)(addr >> 32));
}

static uint64_t align_up(uint64_t v, uint64_t size)
{
	return (v + size - 1) & ~(size - 1);
}

/* At boot: the next address of each window, as firmware hands them out. */
static int pci_place_bar(struct pci_host *host, struct pci_device *dev, unsigned i)
{
	struct pci_bar *bar = &dev->bars[i];
	uint64_t addr;

	if (bar->kind == PCI_BAR_IO) {
		addr = align_up(host->io_next, bar->size);
		if (addr + bar->size > PCI_IO_WINDOW_BASE + PCI_IO_WINDOW_SIZE)
			return -ENOSPC;
		host->io_next = addr + bar->size;
	} else if (bar->kind == PCI_BAR_MMIO64) {
		/* Above RAM and 4 GiB, naturally aligned (layout.h). */
		addr = align_up(host->mmio64_next, bar->size);
		if (addr + bar->size > PCI_MMIO64_LIMIT || addr + bar->size < addr)
			return -ENOSPC;
		host->mmio64_next = addr + bar->size;
	} else {
		addr = align_up(host->mmio_next, bar->size);
		if (addr + bar->size > PCI_MMIO_BASE + PCI_MMIO_SIZE)
			return -ENOSPC;
		host->mmio_next = addr + bar->size;
	}
	pci_write_bar(host, dev, i, addr);
	return 0;
}

/*
 * A hot-plugged device's BAR: the lowest naturally aligned address of the
 * window the machine description announced that no other device's BAR of
 * the same space holds now, wherever the guest may have moved them (so
 * space that unplugged devices left is used again). Host lock held.
 */
static int pci_fit_bar(struct pci_host *host, struct pci_device *dev, unsigned i)
{
	const struct pci_bar *bar = &dev->bars[i];
	bool io = bar->kind == PCI_BAR_IO;
	uint64_t base = io ? PCI_IO_WINDOW_BASE : bar->kind == PCI_BAR_MMIO64 ? host->mmio64_base : PCI_MMIO_BASE;
	uint64_t limit = io ? PCI_IO_WINDOW_BASE + PCI_IO_WINDOW_SIZE :
			 bar->kind == PCI_BAR_MMIO64 ? host->mmio64_base + pci_host__mmio64_size(host) :
						       PCI_MMIO_BASE + PCI_MMIO_SIZE;
	uint64_t addr = align_up(base, bar->size);
	bool moved = true;

	while (moved && addr + bar->size <= limit) {
		moved = false;
		for (unsigned s = 1; s < PCI_MAX_SLOTS; s++) {
			const struct pci_device *d = host->slots[s];

			for (unsigned j = 0; d && d != dev && j < PCI_NUM_BARS; j++) {
				uint64_t at = pci_device__bar_addr(d, j);

				if (d->bars[j].kind == PCI_BAR_UNUSED || (d->bars[j].kind == PCI_BAR_IO) != io ||
				    !pci_overlaps(addr, bar->size, at, d->bars[j].size))
					continue;
				addr = align_up(at + d->bars[j].size, bar->size);
				moved = true;
			}
		}
	}
	if (addr + bar->size > limit || addr + bar->size < addr)
		return -ENOSPC;
	pci_write_bar(host, dev, i, addr);
	return 0;
}

/* Each BAR placed by place(), then decoding enabled, as firmware leaves a device. */
static int pci_assign_device_bars(struct pci_host *host, struct pci_device *dev,
				  int (*place)(struct pci_host *, struct pci_device *, unsigned))
{
	uint16_t cmd = pci_config__read(&dev->cfg, PCI_COMMAND, 2);
	int ret = 0;

	for (unsigned i = 0; i < PCI_NUM_BARS && !ret; i++) {
		if (dev->bars[i].kind == PCI_BAR_UNUSED)
			continue;
		ret = place(host, dev, i);
		if (ret)
			pr_err("%s: BAR%u of %llu bytes does not fit the PCI window", dev->name, i,
			       (unsigned long long)dev->bars[i].size);
		cmd |= dev->bars[i].kind == PCI_BAR_IO ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	}
	/* Through the device's own write path: a passed-through device decodes too. */
	if (!ret)
		pci_cfg_write_locked(host, dev, PCI_COMMAND, 2, cmd);
	return ret;
}

int pci_host__assign_hotplug_bars(struct pci_host *host, struct pci_device *dev)
{
	int ret;

	pthread_mutex_lock(&host->lock);
	ret = pci_assign_device_bars(host, dev, pci_fit_bar);
	pthread_mutex_unlock(&host->lock);
	return ret;
}

int pci_host__assign_bars(struct pci_host *host)
{
	int ret = 0;

	pthread_mutex_lock(&host->lock);
	for (unsigned s = 1; s < PCI_MAX_SLOTS && !ret; s++)
		if (host->slots[s])
			ret = pci_assign_device_bars(host, host->slots[s], pci_place_bar);
	pthread_mutex_unlock(&host->lock);
	return ret;
}
