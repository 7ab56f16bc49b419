// SPDX-License-Identifier: GPL-2.0
/* IDT, 8259 PIC, local APIC and IOAPIC. */
#include "guest.h"

#define LAPIC_BASE 0xfee00000ULL
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_SVR_ENABLE 0x100
#define LAPIC_SPURIOUS_VECTOR 0xff
#define LVT_MASKED 0x10000

#define IOAPIC_BASE 0xfec00000ULL
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_REDTBL(pin) (0x10 + 2 * (pin))
#define IOREDTBL_LEVEL (1u << 15)
#define IOREDTBL_REMOTE_IRR (1u << 14)
#define IOREDTBL_MASKED (1u << 16)

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

struct isr_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

extern const uint64_t isr_table[256];
static struct idt_entry idt[256] __attribute__((aligned(16)));
static struct {
	irq_handler_fn fn;
	void *arg;
} handlers[256];
volatile uint64_t irq_unexpected;

void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uintptr_t)idt };

	for (int v = 0; v < 256; v++) {
		uint64_t a = isr_table[v];

		idt[v] = (struct idt_entry){
			.off_lo = a & 0xffff, .sel = 0x10, .ist = 0,
			.type = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
			.off_mid = (a >> 16) & 0xffff, .off_hi = a >> 32,
		};
	}
	__asm__ volatile("lidt %0" :: "m"(desc));
}

void irq_set_handler(uint8_t vector, irq_handler_fn fn, void *arg)
{
	handlers[vector].arg = arg;
	barrier();
	handlers[vector].fn = fn;
}

void isr_dispatch(struct isr_frame *f)
{
	uint64_t cr2;

	if (f->vector < 32) {
		__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
		printf("guest: exception %lu at rip %lx, error %lx, cr2 %lx\n",
		       f->vector, f->rip, f->error, cr2);
		guest_exit(GUEST_EXIT_CRASH);
	}
	if (f->vector == LAPIC_SPURIOUS_VECTOR)
		return; /* spurious: no EOI, by the APIC spec */
	if (handlers[f->vector].fn)
		handlers[f->vector].fn(handlers[f->vector].arg);
	else
		irq_unexpected++;
	lapic_eoi();
}

/*
 * Remap the 8259s off the exception vectors (0x20/0x28) and mask every
 * line: PCI INTx goes through the IOAPIC only. Firmware (SeaBIOS) may have
 * left the PIT's IRQ 0 unmasked at vector 8.
 */
void pic_disable(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static uint32_t lapic_read(unsigned reg) { return mmio_read32(LAPIC_BASE + reg); }
static void lapic_write(unsigned reg, uint32_t v) { mmio_write32(LAPIC_BASE + reg, v); }

void lapic_init(void)
{
	lapic_write(LAPIC_TPR, 0);
	/* LINT0 carries the 8259's ExtINT; masked, the PIC cannot reach us. */
	lapic_write(LAPIC_LVT_LINT0, lapic_read(LAPIC_LVT_LINT0) | LVT_MASKED);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
}

/* ISR, TMR, IRR: 256 bits each, 32 per register, registers 16 bytes apart (SDM 11.8.4). */
static bool lapic_vector_bit(unsigned base, uint8_t vector)
{
	return lapic_read(base + 0x10 * (vector / 32)) & (1u << (vector % 32));
}

bool lapic_in_service(uint8_t vector) { return lapic_vector_bit(0x100, vector); }
bool lapic_level_triggered(uint8_t vector) { return lapic_vector_bit(0x180, vector); }
bool lapic_requested(uint8_t vector) { return lapic_vector_bit(0x200, vector); }

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static uint32_t ioapic_read(unsigned reg)
{
	mmio_write32(IOAPIC_BASE + IOAPIC_REGSEL, reg);
	return mmio_read32(IOAPIC_BASE + IOAPIC_WIN);
}

static void ioapic_write(unsigned reg, uint32_t v)
{
	mmio_write32(IOAPIC_BASE + IOAPIC_REGSEL, reg);
	mmio_write32(IOAPIC_BASE + IOAPIC_WIN, v);
}

void ioapic_route_level(unsigned gsi, uint8_t vector)
{
	/* Destination: APIC ID 0, fixed delivery, physical, active high. */
	ioapic_write(IOAPIC_REDTBL(gsi) + 1, 0);
	ioapic_write(IOAPIC_REDTBL(gsi), vector | IOREDTBL_LEVEL);
}

void ioapic_mask(unsigned gsi, bool masked)
{
	uint32_t lo = ioapic_read(IOAPIC_REDTBL(gsi));

	ioapic_write(IOAPIC_REDTBL(gsi), masked ? lo | IOREDTBL_MASKED : lo & ~IOREDTBL_MASKED);
}

bool ioapic_remote_irr(unsigned gsi)
{
	return ioapic_read(IOAPIC_REDTBL(gsi)) & IOREDTBL_REMOTE_IRR;
}

bool ioapic_masked(unsigned gsi)
{
	return ioapic_read(IOAPIC_REDTBL(gsi)) & IOREDTBL_MASKED;
}
