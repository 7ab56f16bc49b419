/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ways a guest ends the run, compatible with what QEMU offers so the same
 * test ELF behaves alike under both:
 *  - port 0xf4 (QEMU isa-debug-exit, iobase=0xf4): writing v exits with
 *    status (v << 1) | 1;
 *  - port 0x604 (ACPI PM1a_CNT, devices/acpi_pm.c): SLP_EN with SLP_TYP 0
 *    (S5) powers off, exit status 0;
 *  - port 0x64 command 0xfe (keyboard-controller reset) and port 0xcf9 bit 2
 *    (handled by the host bridge): reset, exit status 0.
 */
#ifndef PCIVMM_EXIT_PORTS_H
#define PCIVMM_EXIT_PORTS_H

struct vm;

int exit_ports__create(struct vm *vm);
/* Reset request from the guest (also wired to port 0xcf9). */
void exit_ports__reset(void *vm);

#endif
