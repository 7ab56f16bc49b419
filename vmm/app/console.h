/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal pcivmm runs on. When stdin is a terminal it goes to raw mode
 * for the guest's serial console (no echo, no line editing, no signals from
 * keys: Ctrl-C reaches the guest), with QEMU's and kvmtool's escape key:
 *   Ctrl-A x       quit (the VM is torn down, exit status 0)
 *   Ctrl-A h       the keys, on stderr
 *   Ctrl-A Ctrl-A  send one Ctrl-A to the guest
 * The terminal's settings are restored on every way out: the end of the
 * VM, exit(), and fatal signals (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL).
 * When stdin is not a terminal nothing changes and bytes pass unfiltered.
 */
#ifndef PCIVMM_CONSOLE_H
#define PCIVMM_CONSOLE_H

struct vm;

#define CONSOLE_ESCAPE 0x01 /* Ctrl-A */

/*
 * Raw mode when stdin is a terminal, and the escape key taken out of what
 * the UART reads from stdin (uart__set_input_filter); 0, or -errno if raw
 * mode cannot be set.
 */
int console__init(struct vm *vm);
/* Puts the terminal back as it was (idempotent; async-signal-safe). */
void console__restore(void);

#endif
