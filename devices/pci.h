/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI devices on the emulated host bridge (bus 0). A device is its config
 * space model, up to six BARs and an ops table for what must be done when
 * the guest touches it. The host bridge owns config access (CF8/CFC and
 * ECAM), INTx routing and placing BARs in guest address space.
 */
#ifndef PCIVMM_PCI_H
#define PCIVMM_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "bus.h"
#include "host_dev.h"
#include "layout.h"
#include "pci_config.h"

struct pci_device;
struct pci_host;
struct guest_mem;

enum pci_bar_kind { PCI_BAR_UNUSED, PCI_BAR_MMIO32, PCI_BAR_MMIO64, PCI_BAR_IO };

/*
 * bars[PCI_ROM_BAR] is the expansion ROM (config 0x30): 32-bit memory,
 * decoded only while both its enable bit and COMMAND.MEMORY are set.
 */
#define PCI_ROM_BAR PCI_STD_NUM_BARS
#define PCI_NUM_BARS (PCI_STD_NUM_BARS + 1)

struct pci_bar {
	enum pci_bar_kind kind;
	uint64_t size; /* a power of two */
	bool prefetchable;
	bus_access_fn access;
	void *opaque;
	/*
	 * Optional: also map the BAR as guest memory (an mmapped passthrough
	 * BAR) at gpa, or unmap it. The bus range stays registered as the
	 * trapped fallback and for overlap checks.
	 */
	int (*map)(void *opaque, uint64_t gpa, bool map);
	bool mapped;
	uint64_t mapped_at;
};

struct pci_device_ops {
	/*
	 * Passthrough devices own their config space: when set these replace
	 * the model for every byte no register handler claims. cfg_write must
	 * keep the model's BARs current, since BAR decoding is derived from
	 * them afterwards.
	 */
	uint32_t (*cfg_read)(struct pci_device *dev, unsigned off, unsigned len);
	void (*cfg_write)(struct pci_device *dev, unsigned off, unsigned len, uint32_t val);
	/*
	 * Optional: reads of the extended space (0x100-0xfff, ECAM only, an
	 * aligned 1, 2 or 4 bytes). Without it the space reads 0, as a
	 * conventional function's does; writes there are always dropped.
	 */
	uint32_t (*ext_cfg_read)(struct pci_device *dev, unsigned off, unsigned len);
};

/*
 * A register with rules of its own (after bhyve's set_pcir_handler): every
 * config access that touches [reg, reg + len) comes here for those bytes,
 * whatever its width and offset (a byte at 5, a word at 4 and a dword at 4
 * all reach COMMAND's handler), so a register's rules live in one place.
 *   read   returns the whole register.
 *   write  gets val with the guest's bytes at their places in the register
 *          and bytes (0xff per byte) saying which bytes the access covered;
 *          the other bytes are the handler's to keep. Called once per access.
 * A NULL read or write leaves those bytes to the default path (ops or model).
 * A COMMAND handler keeps the model's COMMAND current: BAR decoding reads it.
 */
struct pci_reg_handler {
	uint32_t (*read)(struct pci_device *dev, unsigned reg);
	void (*write)(struct pci_device *dev, unsigned reg, uint32_t val, uint32_t bytes);
};

#define PCI_REG_HANDLERS_MAX 8

#define PCI_NAME_MAX 48

/*
 * INTx as the VMM sees it, for --stats (vmm/app/stats.c). Each device fills
 * what it can know: an emulated device everything; a passed device only
 * the guest's masking (KVM delivers its interrupts through an irqfd).
 */
struct pci_intx_stats {
	_Atomic uint64_t asserted;   /* emulated: times its INTx# went high */
	_Atomic uint64_t guest_masks, guest_unmasks; /* COMMAND.INTX_DISABLE set / cleared */
	_Atomic uint64_t msi_enables; /* passed device: times the guest switched to MSI */
	_Atomic uint64_t msix_enables; /* ... and to MSI-X */
	bool kernel_delivers;        /* passed: its INTx is not seen in user space */
	int host_irq;                /* passed device: its host line, else -1 */
	uint64_t host_irq_start;     /* that line's /proc/interrupts count at start */
};

static inline void pci_intx_stats__guest_mask(struct pci_intx_stats *s, bool masked)
{
	if (masked)
		s->guest_masks++;
	else
		s->guest_unmasks++;
}

struct pci_device {
	char name[PCI_NAME_MAX]; /* for messages: "testdev 00:04.0" */
	uint8_t slot;            /* guest device number on bus 0 */
	uint8_t pin;             /* 1 = INTA .. 4 = INTD, 0 = none */
	uint8_t gsi;             /* guest GSI the pin is routed to */
	struct pci_config cfg;
	struct pci_bar bars[PCI_NUM_BARS]; /* the six BARs, then the ROM (PCI_ROM_BAR) */
	const struct pci_device_ops *ops;
	struct pci_host *host;
	char host_bdf[HOST_BDF_MAX]; /* passthrough devices: the host's BDF */
	const char *backend;     /* passthrough devices: "vfio", "kvm-assign"; else NULL */
	uint16_t vendor_id, device_id;
	struct pci_intx_stats stats;
	struct {
		uint8_t reg, len;
		struct pci_reg_handler h;
	} regs[PCI_REG_HANDLERS_MAX];
	uint8_t reg_index[PCI_CFG_SPACE_SIZE]; /* 1 + index into regs, 0: no handler */
};

/* A host device given to the guest (passthrough), not one pcivmm emulates. */
static inline bool pci_device__is_passthrough(const struct pci_device *dev)
{
	return dev->host_bdf[0] != '\0';
}

/* What the API calls the device (vm.info's kind, the stem of its id). */
static inline const char *pci_device__kind(const struct pci_device *dev)
{
	return pci_device__is_passthrough(dev) ? "passthrough" : "testdev";
}

/* Prepares a device with a type-0 header; slot and GSI come from pci_host__add. */
void pci_device__init(struct pci_device *dev, const struct pci_device_ops *ops,
		      uint16_t vendor, uint16_t device, uint32_t class_code,
		      uint8_t revision, uint8_t pin);

/*
 * Declares BAR idx (a 64-bit BAR also uses idx + 1). size must be a power of
 * two, at least 16 bytes for MMIO (4 KiB is used as the minimum so a BAR
 * never shares a page) and 4 for I/O. The BAR's writable bits follow its size.
 */
int pci_device__add_bar(struct pci_device *dev, unsigned idx, enum pci_bar_kind kind,
			uint64_t size, bool prefetchable, bus_access_fn access,
			void *opaque);

/*
 * Declares the expansion ROM: size a power of two of at least 2 KiB;
 * access serves its reads (writes to a ROM are dropped by the caller's
 * access function as it sees fit).
 */
int pci_device__add_rom(struct pci_device *dev, uint64_t size, bus_access_fn access,
			void *opaque);

/*
 * Routes [reg, reg + len) to h (len 1, 2 or 4, naturally aligned); a later
 * call for the same register replaces the handler. -EINVAL for a bad range
 * or one overlapping another handler's, -ENOSPC when the table is full.
 */
int pci_device__set_reg_handler(struct pci_device *dev, unsigned reg, unsigned len,
				const struct pci_reg_handler *h);

/* The handler of the register at reg, or NULL: for wrappers (fault injection). */
const struct pci_reg_handler *pci_device__reg_handler(const struct pci_device *dev, unsigned reg);

/*
 * A config access to dev at any width the bus allows: register handlers
 * first, then ops->cfg_read/cfg_write or the model for the other bytes.
 * Callers check pci_config__access_ok.
 */
uint32_t pci_device__cfg_read(struct pci_device *dev, unsigned off, unsigned len);
void pci_device__cfg_write(struct pci_device *dev, unsigned off, unsigned len, uint32_t val);

/* The guest address a BAR (or PCI_ROM_BAR) decodes at, from its config registers. */
uint64_t pci_device__bar_addr(const struct pci_device *dev, unsigned idx);

#define PCI_MAX_SLOTS 32

/* Configuration mechanism #1: CONFIG_ADDRESS (and 0xcf9's reset), CONFIG_DATA. */
#define PCI_HOST_CF8_PORT 0xcf8
#define PCI_HOST_CFC_PORT 0xcfc

struct pci_host {
	struct bus *pio, *mmio;
	const struct guest_mem *mem;
	struct pci_device bridge;
	struct pci_device *slots[PCI_MAX_SLOTS];
	/*
	 * Serialises config accesses and BAR moves. A vCPU may hold it for
	 * long: a passed device's COMMAND write that sets BUS_MASTER waits
	 * under it for guest RAM's DMA mapping (vfio_dma.h). So the main
	 * thread never waits for it: CONFIG_ADDRESS, which the main thread
	 * writes when it replays coalesced 0xcf8 writes (coalesced_pio.h),
	 * is kept without it, and pci_host__cfg_read_until gives up.
	 */
	pthread_mutex_t lock;
	/*
	 * The CONFIG_ADDRESS latch, read and written as a whole without the
	 * lock: it is one dword that selects what a later 0xcfc access
	 * reaches, and that access takes the lock itself.
	 */
	_Atomic uint32_t cf8;
	uint64_t mmio_next;     /* firmware-style BAR placement cursors */
	uint64_t mmio64_base, mmio64_next; /* 64-bit BARs: [base, next) is taken */
	uint32_t io_next;
	/* Port 0xcf9 reset control (bit 2), shared with CONFIG_ADDRESS's dword. */
	void (*reset_request)(void *opaque);
	void *reset_opaque;
	/*
	 * The INTx lines of emulated functions (pci_host__set_intx): how many
	 * functions assert each GSI, and the setter of a GSI's level (KVM_IRQ_LINE;
	 * NULL: a machine that never runs).
	 */
	struct {
		pthread_mutex_t lock;
		unsigned asserting[PCI_INTX_GSI_COUNT];
		void (*set_gsi_level)(void *opaque, unsigned gsi, bool level);
		void *opaque;
	} intx;
};

/*
 * The 64-bit window the machine description announces (FDT ranges, ACPI
 * _CRS): from mmio64_base, the 64-bit BARs placed so far, rounded up to
 * PCI_MMIO64_ALIGN; 0 when there are none.
 */
uint64_t pci_host__mmio64_size(const struct pci_host *host);

/* Creates the host bridge at 00:00.0 and claims 0xcf8-0xcff and the ECAM window. */
int pci_host__init(struct pci_host *host, struct bus *pio, struct bus *mmio,
		   const struct guest_mem *mem);
void pci_host__exit(struct pci_host *host);

/* INTx swizzle of a slot's pin onto GSIs 16..23: 16 + (slot + pin - 1) % 4. */
unsigned pci_host__intx_gsi(unsigned slot, unsigned pin);

/*
 * An emulated function drives its INTx# (true: asserted, false: released;
 * each call must change the function's own level). Functions that share a
 * GSI are wire-ORed, as on a real board (PCI 2.3 2.2.6): the GSI is high
 * while any of them asserts. KVM_IRQ_LINE has one level per GSI for all of
 * user space, so the OR must be done here; a passed device on the same GSI
 * drives it through its irqfd, a source of its own that KVM ORs in.
 */
void pci_host__set_intx(struct pci_host *host, const struct pci_device *dev, bool level);

/*
 * Puts dev in slot (or, with slot < 0, the lowest free slot from 1), routes
 * its pin to a GSI and writes that into INTERRUPT_LINE. -EBUSY if taken.
 */
int pci_host__add(struct pci_host *host, struct pci_device *dev, int slot);

/* Takes dev off the bus (BARs unmapped, slot freed) before it is freed. */
void pci_host__remove(struct pci_host *host, struct pci_device *dev);

/*
 * Does what firmware would: gives each BAR an address in the PCI windows
 * and enables decoding, so guests that do not enumerate find devices ready.
 */
int pci_host__assign_bars(struct pci_host *host);
/*
 * The same for one device plugged in while the VM runs: each BAR at the
 * lowest free place of its window (pci_fit_bar). -ENOSPC when one does not fit.
 */
int pci_host__assign_hotplug_bars(struct pci_host *host, struct pci_device *dev);

/* Config access by (device, function, offset) on bus 0; used by CF8/CFC and ECAM. */
uint32_t pci_host__cfg_read(struct pci_host *host, unsigned dev, unsigned fn,
			    unsigned off, unsigned len);
void pci_host__cfg_write(struct pci_host *host, unsigned dev, unsigned fn,
			 unsigned off, unsigned len, uint32_t val);
/*
 * pci_host__cfg_read for the main thread, which must not wait on a vCPU
 * (see the host lock): -EBUSY, *val untouched, when the lock is not free by
 * deadline (CLOCK_MONOTONIC, thread__deadline); a deadline already past
 * takes the lock only if it is free at once.
 */
int pci_host__cfg_read_until(struct pci_host *host, unsigned dev, unsigned fn, unsigned off,
			     unsigned len, const struct timespec *deadline, uint32_t *val);

#endif
