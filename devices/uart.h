/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART (COM1, 0x3f8, IRQ 4) wired to pcivmm's stdout and stdin.
 * Registers per the 16550 datasheet: THR/RBR, IER, IIR/FCR, LCR, MCR, LSR,
 * MSR, SCR; DLAB selects the divisor latches. Interrupts: receive data
 * available and transmitter empty, level on GSI 4.
 */
#ifndef PCIVMM_UART_H
#define PCIVMM_UART_H

#include <stddef.h>
#include <stdint.h>

struct vm;

/* Claims the ports and, if stdin can be polled, feeds it to the receiver. */
int uart__create(struct vm *vm);

/*
 * What is read from stdin passes filter on its way to the receiver (the
 * terminal's escape key: vmm/app/console.c registers itself here): it
 * edits buf in place and returns how many bytes go on. One for the
 * process, as stdin is; set on the main thread, where stdin is read.
 * NULL, the default: every byte goes to the guest.
 */
typedef size_t (*uart_input_filter_fn)(uint8_t *buf, size_t n);
void uart__set_input_filter(uart_input_filter_fn filter);

#endif
