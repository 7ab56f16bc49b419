// SPDX-License-Identifier: GPL-2.0
#include "console.h"
#include "exit_codes.h"
#include "uart.h"
#include "vm.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static volatile sig_atomic_t raw; /* saved holds the settings to restore */
static bool escaped;              /* the last byte was the escape key */
static struct vm *console_vm;

static const char console_help[] =
	"\r\npcivmm console keys:\r\n"
	"  Ctrl-A x       quit (tears the VM down)\r\n"
	"  Ctrl-A h       this help\r\n"
	"  Ctrl-A Ctrl-A  send Ctrl-A to the guest\r\n";

void console__restore(void)
{
	if (raw) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		raw = 0;
	}
}

static void console_fatal_signal(int sig)
{
	console__restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static size_t console_filter(uint8_t *buf, size_t n);

int console__init(struct vm *vm)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	struct termios t;

	console_vm = vm;
	uart__set_input_filter(console_filter);
	/* Not a terminal, or not ours to change (run in the background: SIGTTOU). */
	if (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp())
		return 0;
	if (tcgetattr(STDIN_FILENO, &saved) < 0)
		return -errno;
	t = saved;
	/* As QEMU's stdio chardev: raw input, 8 bits, output still post-processed. */
	t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t.c_oflag |= OPOST;
	t.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN | ISIG);
	t.c_cflag &= ~(CSIZE | PARENB);
	t.c_cflag |= CS8;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) < 0)
		return -errno;
	raw = 1;
	atexit(console__restore);
	for (unsigned i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], console_fatal_signal);
	return 0;
}

/*
 * Takes the escape key and its command out of bytes read from stdin, in
 * place, and acts on the command; returns how many bytes of buf go to the
 * guest.
 */
static size_t console_filter(uint8_t *buf, size_t n)
{
	size_t out = 0;

	if (!raw)
		return n;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = buf[i];

		if (!escaped) {
			if (c == CONSOLE_ESCAPE)
				escaped = true;
			else
				buf[out++] = c;
			continue;
		}
		escaped = false;
		switch (c) {
		case 'x':
		case 'X':
			if (write(STDERR_FILENO, "\r\npcivmm: quitting (Ctrl-A x)\r\n", 31) < 0) {
				/* nothing to do: the terminal is going away anyway */
			}
			vm__request_exit(console_vm, EXIT_GUEST_POWEROFF);
			break;
		case 'h':
		case 'H':
		case '?':
			if (write(STDERR_FILENO, console_help, sizeof(console_help) - 1) < 0) {
				/* as above */
			}
			break;
		case CONSOLE_ESCAPE:
			buf[out++] = c;
			break;
		default: /* unknown command: dropped, as QEMU does */
			break;
		}
	}
	return out;
}
