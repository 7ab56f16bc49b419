/* SPDX-License-Identifier: GPL-2.0 */
/* The guest physical address map and port map of the pcivmm machine. */
#ifndef PCIVMM_LAYOUT_H
#define PCIVMM_LAYOUT_H

#define SZ_1K 0x400ULL
#define SZ_1M 0x100000ULL
#define SZ_1G 0x40000000ULL

/* RAM starts at 0; above 3 GiB it continues at 4 GiB, leaving a hole for MMIO. */
#define LOW_RAM_LIMIT 0xc0000000ULL
#define HIGH_RAM_BASE 0x100000000ULL

/* 32-bit PCI memory window for BARs, then ECAM for bus 0 (1 MiB: 32 slots x 8 functions x 4 KiB). */
#define PCI_MMIO_BASE 0xc0000000ULL
#define PCI_MMIO_SIZE 0x20000000ULL
#define PCI_ECAM_BASE 0xe0000000ULL
#define PCI_ECAM_SIZE SZ_1M

/*
 * 64-bit memory BARs go above 4 GiB and above the top of RAM, from the
 * first 1 GiB boundary there up to 1 TiB: Linux without ACPI takes
 * [mem 0-0xffffffffff] as the root bus's window, and QEMU's TCG CPUs (a
 * nested L1, its guests) have 40 physical address bits. The window the
 * machine description announces is sized from the BARs placed in it.
 */
#define PCI_MMIO64_ALIGN SZ_1G
#define PCI_MMIO64_LIMIT (1ULL << 40)

/* In-kernel interrupt controllers (KVM_CREATE_IRQCHIP). */
#define IOAPIC_BASE 0xfec00000ULL
#define LAPIC_BASE  0xfee00000ULL
/*
 * Guest-physical ranges no BAR may take: KVM's in-kernel IOAPIC and LAPIC
 * (and the MSI address window 0xfee00000-0xfeefffff: a BAR there would
 * swallow MSI writes), and the pages KVM keeps for Intel VMX (the real-mode
 * TSS, KVM_SET_TSS_ADDR, 3 pages, and the identity page table below it).
 */
#define IOAPIC_WINDOW_SIZE 0x100000ULL
#define LAPIC_MSI_WINDOW_SIZE 0x100000ULL
#define KVM_IDENTITY_MAP_ADDR 0xfffbc000ULL
#define KVM_TSS_ADDR 0xfffbd000ULL
#define KVM_PRIVATE_END 0xfffc0000ULL

/* PCI I/O window for I/O BARs. */
#define PCI_IO_WINDOW_BASE 0xc000U
#define PCI_IO_WINDOW_SIZE 0x4000U

/* Legacy ports. */
#define UART_COM1_PORT 0x3f8
#define UART_COM1_GSI  4
#define DEBUG_EXIT_PORT 0xf4
/* PM1a event (status, enable) and control as SeaBIOS places QEMU q35's ICH9 PM block (base 0x600). */
#define ACPI_PM1A_EVT_PORT 0x600
#define ACPI_PM1A_CNT_PORT 0x604
/*
 * GPE0 block (status, then enable; 2 bytes each), QEMU q35's ICH9 place
 * (PM base 0x600 + 0x20); bit 1 is PCI hot-plug, as QEMU's PIIX4 has it.
 */
#define ACPI_GPE0_PORT 0x620
#define ACPI_GPE0_LEN 4
#define ACPI_GPE_PCI_HOTPLUG 1
/*
 * The PCI hot-plug registers the DSDT's methods use (devices/pci_hotplug.h),
 * at QEMU's acpi-pci-hotplug base: PCIU (slots added), PCID (slots to
 * eject), B0EJ (eject), 32 bits each.
 */
#define PCI_HOTPLUG_PORT 0xae00
#define PCI_HOTPLUG_LEN 12
/* The SCI: ISA IRQ 9, level and active-high by the MADT's override, as QEMU's q35. */
#define ACPI_SCI_GSI 9
#define RESET_CONTROL_PORT 0xcf9
#define KBD_CONTROLLER_PORT 0x64

/* PCI INTx is routed to IOAPIC pins 16..23, which the 8259 PIC does not see. */
#define PCI_INTX_GSI_BASE 16
#define PCI_INTX_GSI_COUNT 4

/* Boot structures below 1 MiB, built by the VMM (ELF/PVH and Linux boot). */
#define BOOT_GDT_ADDR      0x1000ULL
#define BOOT_PML4_ADDR     0x2000ULL
#define BOOT_PDPT_ADDR     0x3000ULL
#define BOOT_PD_ADDR       0x4000ULL /* four PDs: identity map of 0-4 GiB */
#define BOOT_PARAMS_ADDR   0x8000ULL /* PVH start_info or Linux boot_params */
#define BOOT_MODLIST_ADDR  0x9000ULL
#define BOOT_MEMMAP_ADDR   0x9400ULL
#define BOOT_CMDLINE_ADDR  0x20000ULL
#define BOOT_CMDLINE_MAX   0x10000ULL
#define BOOT_FDT_ADDR      0x30000ULL
#define BOOT_FDT_MAX       0x10000ULL
#define BOOT_STACK_TOP     0x80000ULL
#define EBDA_START         0x9fc00ULL
#define ACPI_TABLES_ADDR   0xe0000ULL /* RSDP first: the legacy scan of 0xe0000-0xfffff finds it */
#define MPTABLE_ADDR       0xf0000ULL
#define BIOS_END           0x100000ULL
#define KERNEL_LOAD_ADDR   0x100000ULL

#endif
