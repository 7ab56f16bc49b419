/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The freestanding library every test guest links: console, exit, timing,
 * interrupts (IDT, LAPIC, IOAPIC), PCI config access and device discovery
 * (from pcivmm's FDT, or by scanning bus 0 when booted by QEMU), and a
 * check/report helper that prints one line per check.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- port and memory-mapped I/O ---- */
static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(p)); }
static inline void outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(p)); }
static inline void outl(uint16_t p, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint16_t inw(uint16_t p) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t inl(uint16_t p) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint16_t mmio_read16(uint64_t a) { return *(volatile uint16_t *)a; }
static inline void mmio_write16(uint64_t a, uint16_t v) { *(volatile uint16_t *)a = v; }
static inline uint8_t mmio_read8(uint64_t a) { return *(volatile uint8_t *)a; }
static inline void mmio_write8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline uint64_t rdtsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return (uint64_t)hi << 32 | lo; }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void wrmsr(uint32_t msr, uint64_t v) { __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))); }
#define barrier() __asm__ volatile("" ::: "memory")

/* ---- libc subset (lib/libc.c) ---- */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
unsigned long strtoul(const char *s, char **end, int base);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- exit ---- */
/* Status values for the debug-exit port (pcivmm and QEMU exit with 2v+1). */
#define GUEST_EXIT_FAIL 1
#define GUEST_EXIT_CRASH 2
/* Power off (pcivmm and QEMU exit 0); falls back to debug-exit 0. */
void __attribute__((noreturn)) guest_poweroff(void);
void __attribute__((noreturn)) guest_exit(unsigned v);

/* ---- boot data ---- */
const char *boot_cmdline(void);
/* Value of "key=N" on the command line, or def. */
uint64_t cmdline_u64(const char *key, uint64_t def);
/* The FDT pcivmm passed as start_info module "fdt", or NULL (QEMU). */
const void *boot_fdt(void);

/* ---- time ---- */
extern uint64_t tsc_per_ms;
void timer_init(void);
uint64_t ms_since(uint64_t tsc_start);
void delay_ms(unsigned ms);

/* ---- interrupts ---- */
typedef void (*irq_handler_fn)(void *arg);
void idt_init(void);
/* Registers a handler for vector; the library sends the LAPIC EOI after it. */
void irq_set_handler(uint8_t vector, irq_handler_fn fn, void *arg);
extern volatile uint64_t irq_unexpected; /* vectors with no handler */
void lapic_init(void);
void lapic_eoi(void);
/* The LAPIC's ISR, TMR and IRR bits of a vector (SDM 11.8.4). */
bool lapic_in_service(uint8_t vector);
bool lapic_level_triggered(uint8_t vector);
bool lapic_requested(uint8_t vector);
void ioapic_route_level(unsigned gsi, uint8_t vector);
void ioapic_mask(unsigned gsi, bool masked);
bool ioapic_remote_irr(unsigned gsi);
bool ioapic_masked(unsigned gsi);
void pic_disable(void);

/* ---- paging (lib/paging.c) ---- */
/* Identity-maps [addr, addr+size) uncached in 2 MiB pages (e.g. a BAR above 4 GiB). */
bool map_identity_uc(uint64_t addr, uint64_t size);

/* ---- PCI ---- */
struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t pin;   /* 1 = INTA */
	unsigned gsi;  /* IOAPIC pin its INTx reaches */
};
#define PCI_MAX_DEVS 32
extern uint64_t pci_ecam_base; /* 0 when only CF8/CFC is known */
extern bool pci_use_cf8;        /* config cycles through CF8/CFC even when ECAM is known */
/* Devices the FDT announces (or bus 0 scanned via CF8 without an FDT). */
int pci_discover(struct pci_dev *out, int max);
bool pci_from_fdt(void);
uint32_t pci_cfg_read(const struct pci_dev *d, unsigned off, unsigned len);
void pci_cfg_write(const struct pci_dev *d, unsigned off, unsigned len, uint32_t v);
uint32_t pci_cf8_read(unsigned bus, unsigned dev, unsigned fn, unsigned off, unsigned len);
void pci_cf8_write(unsigned bus, unsigned dev, unsigned fn, unsigned off, unsigned len, uint32_t v);
uint32_t pci_ecam_read(unsigned bus, unsigned dev, unsigned fn, unsigned off, unsigned len);
uint64_t pci_bar_addr(const struct pci_dev *d, unsigned idx);

/* Register offsets and bits: the kernel's uapi header (plain #defines, freestanding-safe). */
#include <linux/pci_regs.h>

/* ---- edu-compatible test device ---- */
struct edu {
	struct pci_dev pci;
	uint64_t bar0;
	volatile uint64_t irqs;      /* handler invocations that found work */
	volatile uint64_t spurious;  /* handler invocations that found nothing */
	volatile uint32_t last_status;
	bool was_asserting;          /* raised when found: left so by a previous owner */
	uint8_t vector;              /* its INTx vector, once edu_setup_irq routed it */
};
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
/*
 * Finds the n-th edu device (0-based); false if there is none. Like a
 * driver's probe it brings the device to a known state: decoding on, any
 * interrupt a previous owner left raised acknowledged (was_asserting).
 */
bool edu_find(int n, struct edu *e);
uint32_t edu_status(struct edu *e);
void edu_raise(struct edu *e, uint32_t bits);
void edu_ack(struct edu *e, uint32_t bits);
/*
 * How drivers touch COMMAND.INTX_DISABLE and STATUS.INTERRUPT, each one a
 * real driver's way: word at 4 / word at 6 (Linux pci_intx(),
 * pci_check_and_mask_intx()), byte at 5 / byte at 6 (the UIO HOWTO's
 * re-enable through sysfs config), dword at 4 read-modify-write with
 * STATUS written back as read (drivers that treat 4-7 as one register).
 */
enum cfg_shape { CFG_WORD_AT_4, CFG_BYTE_AT_5, CFG_DWORD_AT_4, CFG_SHAPES };
extern enum cfg_shape edu_cfg_shape;
const char *cfg_shape_name(enum cfg_shape s);
void edu_set_intx_disable(struct edu *e, bool disable);
bool edu_status_interrupt(struct edu *e); /* config STATUS.INTERRUPT, live */
/*
 * The start of an edu interrupt handler: reads the interrupt status; if it
 * is 0 the interrupt was not this device's (counted in e->spurious) and the
 * handler should return; else it is recorded in e->last_status.
 */
bool edu_irq_claim(struct edu *e, uint32_t *status);
/* The plain handler: claim, acknowledge what was raised, count (arg: struct edu *). */
void edu_handler_ack(void *arg);
/*
 * Routes e's GSI to vector (level, active high) and installs fn. If the
 * device was asserting when found, the line may still carry that stale
 * interrupt (a passed device's INTx level is held until the guest's EOI):
 * it is taken here, with interrupts briefly enabled, and not counted.
 */
void edu_setup_irq(struct edu *e, uint8_t vector, irq_handler_fn fn, void *arg);

/* Spins until *counter >= target or timeout_ms passes; true if reached. */
bool wait_count(volatile uint64_t *counter, uint64_t target, unsigned timeout_ms);
/*
 * wait_count on e->irqs; when the interrupt does not come, one "#" line says
 * where it stopped on its way (edu_explain_silence).
 */
bool edu_wait_irqs(struct edu *e, uint64_t target, unsigned timeout_ms);
/*
 * Prints, as a "#" line, each stage an INTx passes on its way to the
 * handler: the edu's own status, the function's STATUS.INTERRUPT and
 * INTX_DISABLE (as the guest sees them), the IOAPIC pin's mask and remote
 * IRR, and the LAPIC's IRR and ISR bits for the vector. A raise that is
 * in the LAPIC's ISR with no handler running was accepted and then lost
 * on its way into the vCPU; one that is pending at the device but nowhere
 * past it never left the host.
 */
void edu_explain_silence(struct edu *e);

/* ---- reporting ---- */
void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A check that cannot hold on this host, and why: printed as TAP's
 * "ok N - what # SKIP why" and named in the summary, never a silent pass.
 */
void skip(const char *what, const char *why);
/* Prints the summary; powers off on success, exits with GUEST_EXIT_FAIL otherwise. */
void __attribute__((noreturn)) test_finish(void);

/* Provided by each test. */
void test_main(void);
extern const char test_name[];

#endif
