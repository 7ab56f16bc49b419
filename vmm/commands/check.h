/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcivmm check [--mem SIZE] BDF...: a pre-flight report per host device,
 * without a guest and without needing /dev/kvm. It prints what pcivmm
 * would meet when passing the device (driver, IOMMU group and its members,
 * interrupt remapping, INTx pin, host IRQ and the line's other users, PCI
 * 2.3 INTx masking, whether the host's KVM EOIs level interrupts at
 * injection (eoi_probe.h, when /dev/kvm opens), MSI/MSI-X, reset methods,
 * BARs, the locked-memory limit against the guest size, the backend pcivmm
 * would use), then a verdict: "usable", or every problem with the command
 * that fixes it.
 *
 * Read-only except for one probe the kernel makes itself before sharing a
 * line (pci_intx_mask_supported()): INTX_DISABLE is flipped and restored
 * with 16-bit COMMAND writes, and only on a device nobody drives (no driver,
 * or vfio-pci with nobody holding it). Facts that need root (capabilities,
 * the probe) read "unknown" without it.
 */
#ifndef PCIVMM_CHECK_H
#define PCIVMM_CHECK_H

/* argv[0] is "pcivmm", argv[1] "check". Returns the exit status (exit_codes.h). */
int check__main(int argc, char **argv);

#endif
