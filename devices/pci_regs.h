/* SPDX-License-Identifier: GPL-2.0 */
/* PCI Local Bus Spec 3.0 type-0 header offsets and bits used by pcivmm. */
#ifndef PCIVMM_PCI_REGS_H
#define PCIVMM_PCI_REGS_H

#define PCI_CFG_SIZE            256

#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define  PCI_COMMAND_IO         0x0001
#define  PCI_COMMAND_MEMORY     0x0002
#define  PCI_COMMAND_MASTER     0x0004
#define  PCI_COMMAND_SERR       0x0100
#define  PCI_COMMAND_INTX_DISABLE 0x0400 /* PCI 2.3: device-level INTx mask */
#define PCI_STATUS              0x06
#define  PCI_STATUS_INTERRUPT   0x0008   /* PCI 2.3: INTx pending, read-only */
#define  PCI_STATUS_CAP_LIST    0x0010
#define  PCI_STATUS_W1C         0xf900   /* parity, aborts, SERR: write 1 to clear */
#define PCI_REVISION_ID         0x08
#define PCI_CLASS_PROG          0x09
#define PCI_CLASS_DEVICE        0x0a
#define PCI_HEADER_TYPE         0x0e
#define PCI_BASE_ADDRESS_0      0x10
#define  PCI_BAR_COUNT          6
#define  PCI_BAR_SPACE_IO       0x1
#define  PCI_BAR_MEM_TYPE_64    0x4
#define  PCI_BAR_MEM_PREFETCH   0x8
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID        0x2e
#define PCI_ROM_ADDRESS         0x30
#define PCI_CAPABILITY_LIST     0x34
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_INTERRUPT_PIN       0x3d
#define PCI_CAP_START           0x40

#define PCI_CAP_ID_MSI          0x05
#define PCI_CAP_ID_VNDR         0x09
#define  PCI_MSI_FLAGS          2
#define   PCI_MSI_FLAGS_ENABLE  0x0001
#define   PCI_MSI_FLAGS_64BIT   0x0080
#define  PCI_MSI_ADDRESS_LO     4
#define  PCI_MSI_ADDRESS_HI     8
#define  PCI_MSI_DATA_64        12

#define PCI_CLASS_BRIDGE_HOST   0x0600

#endif
