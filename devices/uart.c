// SPDX-License-Identifier: GPL-2.0
#include "uart.h"
#include "layout.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UART_RX_FIFO 64

enum { UART_RBR_THR, UART_IER, UART_IIR_FCR, UART_LCR, UART_MCR, UART_LSR, UART_MSR, UART_SCR };

#define IER_RDI  0x01 /* receive data available */
#define IER_THRI 0x02 /* transmitter holding register empty */
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_RDI  0x04
#define IIR_FIFO 0xc0
#define FCR_CLEAR_RCVR 0x02
#define LCR_DLAB 0x80
#define LSR_DR   0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MCR_LOOP 0x10
#define MSR_DCD_DSR_CTS 0xb0

static uart_input_filter_fn input_filter; /* uart.h: the console's escape key */

struct uart {
	struct vm *vm;
	pthread_mutex_t lock;
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	bool thri_pending; /* THR empty interrupt not yet seen through IIR */
	uint8_t rx[UART_RX_FIFO];
	unsigned rx_head, rx_count;
	bool irq_level;
	bool stdin_watched;
	bool stdin_paused;  /* the FIFO is full: stdin not watched until it has room */
};

/* Lock held. Recomputes IRQ 4's level from IER and the pending conditions. */
static void uart_update_irq(struct uart *u)
{
	bool level = ((u->ier & IER_RDI) && u->rx_count) ||
		     ((u->ier & IER_THRI) && u->thri_pending);

	if (level != u->irq_level) {
		u->irq_level = level;
		vm__irq_line(u->vm, UART_COM1_GSI, level);
	}
}

static uint8_t uart_iir(struct uart *u)
{
	uint8_t fifo = (u->fcr & 1) ? IIR_FIFO : 0;

	if ((u->ier & IER_RDI) && u->rx_count)
		return IIR_RDI | fifo;
	if ((u->ier & IER_THRI) && u->thri_pending)
		return IIR_THRI | fifo;
	return IIR_NONE | fifo;
}

/* A byte for the console: *tx (-1: none), written once the lock is dropped. */
static void uart_write_reg(struct uart *u, unsigned reg, uint8_t v, int *tx)
{
	switch (reg) {
	case UART_RBR_THR:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
		} else {
			if (!(u->mcr & MCR_LOOP))
				*tx = v;
			u->thri_pending = true;
		}
		break;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
		} else {
			/* Enabling THRI with an empty THR raises it at once. */
			if ((v & IER_THRI) && !(u->ier & IER_THRI))
				u->thri_pending = true;
			u->ier = v & 0x0f;
		}
		break;
	case UART_IIR_FCR:
		u->fcr = v;
		if (v & FCR_CLEAR_RCVR)
			u->rx_count = 0;
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & 0x1f;
		break;
	case UART_SCR:
		u->scr = v;
		break;
	default:
		break;
	}
}

static uint8_t uart_read_reg(struct uart *u, unsigned reg)
{
	uint8_t v;

	switch (reg) {
	case UART_RBR_THR:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		if (!u->rx_count)
			return 0;
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % UART_RX_FIFO;
		u->rx_count--;
		return v;
	case UART_IER:
		return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
	case UART_IIR_FCR:
		v = uart_iir(u);
		/* Reading IIR while it reports THRI clears that condition. */
		if ((v & 0x0f) == IIR_THRI)
			u->thri_pending = false;
		return v;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
	case UART_MSR:
		return MSR_DCD_DSR_CTS;
	case UART_SCR:
		return u->scr;
	}
	return 0xff;
}

/*
 * Lock held. Takes console input again once the receive FIFO that stopped
 * it has room, whatever made the room: a read of RBR, or FCR's receiver
 * reset, after which a guest driver (Linux's serial8250_clear_fifos at
 * open) may read nothing until new input comes.
 */
static void uart_resume_stdin(struct uart *u)
{
	if (u->stdin_paused && u->rx_count < UART_RX_FIFO) {
		u->stdin_paused = false;
		event_loop__set_enabled(&u->vm->loop, STDIN_FILENO, true);
	}
}

static void uart_access(void *opaque, uint64_t off, uint8_t *data, unsigned len,
			bool is_write)
{
	struct uart *u = opaque;
	int tx = -1;

	pthread_mutex_lock(&u->lock);
	/* Wider accesses act on consecutive registers, as on an ISA bus. */
	for (unsigned i = 0; i < len && off + i < 8; i++) {
		if (is_write)
			uart_write_reg(u, off + i, data[i], &tx);
		else
			data[i] = uart_read_reg(u, off + i);
	}
	uart_resume_stdin(u);
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
	/*
	 * Outside the lock: a stdout nobody reads (a full pipe, a stopped
	 * terminal) blocks this vCPU in write(), and must not block the main
	 * thread behind it in the stdin handler, where it would serve neither
	 * Ctrl-A x nor signals nor any other event. The guest's
	 * OUT completes only once the byte is written, so a guest that orders
	 * its output (one console lock) still gets it in order.
	 */
	if (tx >= 0 && write(STDOUT_FILENO, &(uint8_t){ tx }, 1) < 0) {
		/* Console gone: drop the byte, the guest runs on. */
	}
}

static void uart_on_stdin(void *opaque, uint32_t events)
{
	struct uart *u = opaque;
	uint8_t buf[UART_RX_FIFO];
	ssize_t n;

	(void)events;
	pthread_mutex_lock(&u->lock);
	n = read(STDIN_FILENO, buf, UART_RX_FIFO - u->rx_count);
	if (n <= 0 && u->rx_count < UART_RX_FIFO) {
		/* EOF or error: stop watching, or epoll reports it forever. */
		event_loop__remove(&u->vm->loop, STDIN_FILENO);
		u->stdin_watched = false;
	}
	if (n > 0 && input_filter)
		n = input_filter(buf, n); /* the escape key (Ctrl-A) is not the guest's */
	for (ssize_t i = 0; i < n; i++)
		u->rx[(u->rx_head + u->rx_count++) % UART_RX_FIFO] = buf[i];
	if (u->stdin_watched && u->rx_count == UART_RX_FIFO) {
		/*
		 * A guest that does not read its UART: stop watching stdin
		 * until it does, or epoll reports the waiting input forever
		 * and the main thread spins.
		 */
		u->stdin_paused = true;
		event_loop__set_enabled(&u->vm->loop, STDIN_FILENO, false);
	}
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

static void uart_destroy(struct vm *vm, void *opaque)
{
	struct uart *u = opaque;

	if (u->stdin_watched)
		event_loop__remove(&vm->loop, STDIN_FILENO);
	bus__unregister(&vm->pio, UART_COM1_PORT, u);
	pthread_mutex_destroy(&u->lock);
	free(u);
}

void uart__set_input_filter(uart_input_filter_fn filter)
{
	input_filter = filter;
}

int uart__create(struct vm *vm)
{
	struct uart *u = calloc(1, sizeof(*u));
	int ret;

	if (!u)
		return -ENOMEM;
	u->vm = vm;
	pthread_mutex_init(&u->lock, NULL);
	ret = bus__register(&vm->pio, UART_COM1_PORT, 8, uart_access, u);
	if (ret) {
		free(u);
		return ret;
	}
	/* Regular files and /dev/null cannot be polled; the guest just reads nothing. */
	u->stdin_watched = event_loop__add(&vm->loop, STDIN_FILENO, uart_on_stdin, u) == 0;
	vm__add_teardown(vm, uart_destroy, u);
	return 0;
}
