/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A passed-through PCI function: the guest-visible pci_device, the host
 * device behind it and the backend that reaches it (VFIO, or legacy KVM
 * assignment: pt_backend_ops). Private to devices/passthrough/.
 */
#ifndef PCIVMM_PT_H
#define PCIVMM_PT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "host_dev.h"
#include "pci.h"
#include "log.h"
#include "passthrough_types.h"

/* One error line naming the host device first, as every passthrough message does. */
#define pt_err(pt, fmt, ...) pr_err("%s: " fmt, (pt)->bdf, ##__VA_ARGS__)
/* The same for an error the guest can repeat at will (log.h: rate-limited per call site). */
#define pt_err_ratelimited(pt, fmt, ...) pr_err_ratelimited("%s: " fmt, (pt)->bdf, ##__VA_ARGS__)

struct vm;
struct pt_dev;

/* The two message-signalled interrupt capabilities (PCI 3.0 6.8). */
enum pt_msi_kind { PT_MSI, PT_MSIX };

struct pt_backend_ops {
	const char *name;
	/*
	 * Takes the device for the guest (pt->bdf, host checks done): sets
	 * pt->backend to itself and pt->backend_priv, sets up the config
	 * view, BARs and capabilities. On failure returns negative errno and
	 * leaves what it did, once pt->backend is set, to close: the caller
	 * (passthrough__create) calls it, for every backend alike.
	 */
	int (*open)(struct passthrough_ctx *ctx, struct pt_dev *pt);
	/* Optional: whether this host's KVM can use the backend at all (NULL: yes). */
	bool (*available)(struct passthrough_ctx *ctx);
	/*
	 * Config writes reach the device raw (kvm-assign: sysfs "config"),
	 * with no kernel virtualization between: pt_config.c then applies
	 * vfio-pci's permissions itself (pt_perm.c), keeping the function's
	 * reset, power and PCIe fabric controls from the guest (vfio-pci
	 * does that in the kernel for VFIO).
	 */
	bool raw_config;
	/* Raw access to the host device's configuration space. */
	int (*cfg_read)(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val);
	int (*cfg_write)(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val);
	/*
	 * Optional: the guest changed COMMAND.INTX_DISABLE, masked is its new
	 * value (kvm-assign: KVM_ASSIGN_SET_INTX_MASK). A backend that has it
	 * leaves the device's INTX_DISABLE to the kernel: pcivmm never writes
	 * it. Without it the device's COMMAND gets the guest's bit (vfio-pci
	 * virtualizes it). See pt_command.c and devices/INTX-MASKING.md.
	 */
	int (*set_intx_mask)(struct pt_dev *pt, bool masked);
	/*
	 * Optional (VFIO, which maps guest RAM for DMA in the background):
	 * returns once the device's DMA can reach all of guest RAM, non-zero
	 * if it never will (the VM is ending). pt_command.c calls it before
	 * a COMMAND write that lets the device master the bus.
	 */
	int (*wait_dma)(struct pt_dev *pt);
	/* Wires the device's INTx to pt->pci.gsi (after the slot is known). */
	int (*enable_intx)(struct pt_dev *pt);
	/*
	 * Optional (VFIO): the guest enabled MSI or MSI-X: INTx down, the
	 * device's vectors 0..nr-1 signal efds[i] (pt_msi.c and pt_msix.c
	 * wire those to KVM). msi_disable undoes it and, with restore_intx,
	 * wires INTx back. A backend without them hides MSI and MSI-X.
	 */
	int (*msi_enable)(struct pt_dev *pt, enum pt_msi_kind kind, unsigned nr, const int *efds);
	void (*msi_disable)(struct pt_dev *pt, enum pt_msi_kind kind, bool restore_intx);
	/* Undoes open and enable_intx; safe on a half-opened device. */
	void (*close)(struct pt_dev *pt);
};

/* Who answers each byte of the guest's view of config space. */
enum pt_owner {
	PT_PASSTHROUGH,  /* the device, read and written live */
	PT_READONLY,     /* the device, read live; writes dropped (IDs, class) */
	PT_EMULATED,     /* our model only (BARs, ROM, cap pointers, line/pin) */
	PT_HIDDEN,       /* reads 0, writes dropped (MSI-X; MSI without backend support) */
	/* COMMAND and STATUS have register handlers of their own: pt_command.c. */
};

/* The guest's MSI (pt_msi.c): its capability in our model, and what is wired. */
struct pt_msi {
	unsigned cap; /* offset of the emulated capability, 0: MSI not offered */
	bool is64;
	bool enabled; /* wired: route + irqfd + backend */
	int gsi;      /* its KVM MSI route while enabled */
	int efd;      /* the device's vector signals it, an irqfd on gsi, while enabled */
	uint64_t addr;
	uint32_t data;
	bool route_failure_reported;
};

/* One vector of the guest's MSI-X table and its wiring (pt_msix.c). */
struct pt_msix_vector {
	uint32_t addr_lo, addr_hi, data, ctrl; /* the guest's table entry */
	int efd;    /* the device's vector signals it while MSI-X is on, else -1 */
	int gsi;    /* its KVM MSI route, once it was deliverable; -1 none */
	uint64_t routed_addr; /* the message gsi routes now (a rewrite of the */
	uint32_t routed_data; /* same message costs no KVM_SET_GSI_ROUTING) */
	bool irqfd; /* efd is an irqfd on gsi: deliverable now */
};

/* The guest's MSI-X: capability, table and PBA in our model (pt_msix.c). */
struct pt_msix {
	unsigned cap; /* offset of the capability, 0: MSI-X not offered */
	unsigned nr;  /* table size */
	unsigned table_bar, pba_bar;
	uint64_t table_off, pba_off;
	bool enabled, fmask;
	bool failure_reported;
	struct pt_msix_vector *vec;
	pthread_mutex_t lock; /* table accesses come from any vCPU */
};

/* The guest's view of the extended config space (pt_ext_config.c). */
#define PT_EXT_CAPS_MAX 64
struct pt_ext {
	bool present;     /* a PCIe function with extended capabilities */
	unsigned hidden;  /* capabilities unlinked from the chain */
	uint32_t live[PCI_CFG_SPACE_EXP_SIZE / 4 / 32]; /* dwords read from the device */
	struct {
		uint16_t off;
		uint32_t val;
	} hdr[PT_EXT_CAPS_MAX + 1]; /* rewritten headers */
	unsigned nr_hdr;
};

struct pt_dev {
	struct pci_device pci;
	struct vm *vm;
	char bdf[HOST_BDF_MAX]; /* as in sysfs: "dddd:bb:dd.f" */
	const struct pt_backend_ops *backend;
	void *backend_priv;
	uint8_t owner[PCI_CFG_SPACE_SIZE];
	unsigned hidden_caps;
	unsigned visible_caps;
	bool msi_possible;  /* the backend can deliver the device's MSI (set before setup) */
	bool msix_possible; /* the same for MSI-X */
	bool msix_off;      /* ,msix=off: MSI-X hidden, the guest uses MSI or INTx */
	struct pt_msi msi;
	struct pt_msix msix;
	struct pt_ext ext;
	enum passthrough_fault fault;
	uint16_t stale_status; /* PT_FAULT_STALE_STATUS's copy */
	/*
	 * The backend has the device (VFIO device fd, or KVM assignment): from
	 * here on its INTx state is ours to leave clean, and the reaper knows.
	 */
	bool acquired;
	bool access_failure_reported; /* pt__cfg_read/write warned once */
	bool managed; /* given back to its host driver at the end (binding.h) */
};

/*
 * Backends call this the moment the device is theirs, with its VFIO device
 * file and container, or -1 and -1 (see reaper.h).
 */
void pt__acquired(struct pt_dev *pt, int file, int container);

/*
 * The device's config space through its backend, for the guest's accesses
 * while it runs. A failed access (a device that stopped answering, a
 * failing VFIO region) gets one warning line per device naming it; a
 * failed read leaves *val all ones, as a PCI read of an absent device
 * returns. Returns 0 or -EIO.
 */
int pt__cfg_read(struct pt_dev *pt, unsigned off, unsigned len, uint32_t *val);
int pt__cfg_write(struct pt_dev *pt, unsigned off, unsigned len, uint32_t val);

static inline struct pt_dev *pt_from_pci(struct pci_device *dev)
{
	return (struct pt_dev *)((char *)dev - offsetof(struct pt_dev, pci));
}

/*
 * Builds the guest's view from a snapshot of the device's config space:
 * IDs, class and visible capabilities pass through, COMMAND and STATUS get
 * their register handlers (pt_command.c), BARs/ROM/interrupt line are
 * emulated and MSI/MSI-X are hidden with the capability list re-linked
 * around them. BARs themselves are declared by the backend afterwards.
 */
void pt_config__setup(struct pt_dev *pt, const uint8_t raw[PCI_CFG_SPACE_SIZE]);

/* Who answers bytes [off, off + len) of the guest's view (clipped to the 256-byte space). */
static inline void pt_config__own(struct pt_dev *pt, unsigned off, unsigned len, enum pt_owner o)
{
	for (unsigned i = off; i < off + len && i < PCI_CFG_SPACE_SIZE; i++)
		pt->owner[i] = o;
}

/*
 * vfio-pci's config permissions for the capability at p of the device's
 * config snapshot raw (pt_perm.c): PCI Express Device Control's MPS, MRRS,
 * Phantom Functions and FLR, Device Control 2's ARI Forwarding, the rest of
 * the PCIe capability read-only; AF's FLR; PM control emulated; vendor-
 * specific raw; PCI-X Command only; AGP, HyperTransport and SATA
 * read-only; VPD hidden. For a backend whose config writes reach the device raw
 * (raw_config); vfio-pci applies its own in the kernel. False for a
 * capability vfio-pci hides from the guest's list (every other ID).
 */
bool pt_perm__protect_cap(struct pt_dev *pt, const uint8_t *raw, unsigned p);

/*
 * pci_device_ops.cfg_read / cfg_write of every passthrough device: the
 * bytes no register handler claims. Guests reach them through
 * pci_device__cfg_read/write.
 */
uint32_t pt_config__read(struct pci_device *dev, unsigned off, unsigned len);
void pt_config__write(struct pci_device *dev, unsigned off, unsigned len, uint32_t val);

/*
 * COMMAND and STATUS of a passed-through function (pt_command.c), the one
 * place that turns the guest's INTX_DISABLE into the device's and KVM's.
 * The two are one 4-byte register handler: one device read answers both.
 */
void pt_command__install(struct pt_dev *pt);
/*
 * A write to the COMMAND+STATUS dword (bytes: which the guest covered), with
 * the two knobs the fault injections turn: forward_intx false keeps
 * INTX_DISABLE in our model only (the device and KVM never hear of it);
 * as_guest_wrote true writes the guest's COMMAND bytes, INTX_DISABLE
 * included, to the device at the guest's width instead of the whole
 * register (pcivmm's behaviour before the register handlers).
 */
void pt_command__write_dword(struct pt_dev *pt, uint32_t val, uint32_t bytes, bool forward_intx,
			     bool as_guest_wrote);
/*
 * The guest's view of COMMAND+STATUS from the device's dword: its own
 * INTX_DISABLE, STATUS's CAP_LIST cleared when no capability is visible.
 */
uint32_t pt_command__guest_view(struct pt_dev *pt, uint32_t dev_dword);

/*
 * MSI (pt_msi.c). setup emulates the capability at cap (the device's,
 * flags from dev_flags) in the guest's view: one vector, no per-vector
 * masking, address and data kept in our model (the device's real message is
 * the host kernel's, programmed when the backend enables MSI); returns the
 * bytes it covers. update follows the guest's writes to it (enable,
 * disable, a new message); exit takes it down at teardown.
 */
unsigned pt_msi__setup(struct pt_dev *pt, unsigned cap, uint16_t dev_flags);
void pt_msi__update(struct pt_dev *pt);
void pt_msi__exit(struct pt_dev *pt);

/*
 * MSI-X (pt_msix.c). setup takes the capability at cap from the device's
 * config snapshot raw into our model (returns the bytes it covers);
 * update follows the guest's writes to Message Control. The backend sends
 * every access to the BAR pages of the table and PBA to bar_access (true:
 * it was one of theirs) and keeps them out of the guest's direct mapping:
 * trapped_range gives that page-aligned range of BAR bar, never past its
 * bar_size ([0, 0): none).
 */
unsigned pt_msix__setup(struct pt_dev *pt, unsigned cap, const uint8_t *raw);
void pt_msix__update(struct pt_dev *pt);
bool pt_msix__bar_access(struct pt_dev *pt, unsigned bar, uint64_t off, uint8_t *data,
			 unsigned len, bool is_write);
void pt_msix__trapped_range(const struct pt_dev *pt, unsigned bar, uint64_t bar_size,
			    uint64_t page, uint64_t *start, uint64_t *end);
void pt_msix__exit(struct pt_dev *pt);

/*
 * Extended config space (pt_ext_config.c): setup walks the device's chain
 * through the backend; read answers the guest's ECAM reads of 0x100-0xfff
 * (pci_device_ops.ext_cfg_read). Writes there are dropped.
 */
void pt_ext_config__setup(struct pt_dev *pt);
uint32_t pt_ext_config__read(struct pci_device *dev, unsigned off, unsigned len);

/* Installs pt->fault's wrappers around the COMMAND/STATUS handlers (pt_faults.c). */
void pt_faults__install(struct pt_dev *pt);

/* The backends, each defined in its own file (vfio.c, kvm_assign.c). */
extern const struct pt_backend_ops vfio_backend, kvm_assign_backend;

#endif
