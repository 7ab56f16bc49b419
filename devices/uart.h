/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART (COM1, 0x3f8, IRQ 4) wired to pcivmm's stdout and stdin.
 * Registers per the 16550 datasheet: THR/RBR, IER, IIR/FCR, LCR, MCR, LSR,
 * MSR, SCR; DLAB selects the divisor latches. Interrupts: receive data
 * available and transmitter empty, level on GSI 4.
 */
#ifndef PCIVMM_UART_H
#define PCIVMM_UART_H

struct vm;

/* Claims the ports and, if stdin can be polled, feeds it to the receiver. */
int uart__create(struct vm *vm);

#endif
