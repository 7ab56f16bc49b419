// SPDX-License-Identifier: GPL-2.0
/*
 * The console UART (devices/uart.c) on a described VM with its real event
 * loop, stdin and stdout replaced by pipes: the console stays live when the
 * guest empties a receive FIFO that had filled (stdin paused), and while a
 * vCPU is stuck writing to a stdout nobody reads.
 */
#include "unit.h"
#include "thread_probe.h"
#include "layout.h"
#include "uart.h"
#include "vm.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { RBR = 0, FCR = 2, LSR = 5 };
#define FCR_ENABLE_FIFO 0x01
#define FCR_CLEAR_RCVR  0x02
#define LSR_DR 0x01
#define RX_FIFO 64

/* A console on pipes: in[1] is what the user types, out[0] what the guest printed. */
struct console_pipes {
	int in[2], out[2];
	int saved_stdin, saved_stdout;
};

static int pipes_open(struct console_pipes *p)
{
	fflush(stdout); /* the TAP lines so far stay on the real stdout */
	if (pipe2(p->in, O_CLOEXEC) || pipe2(p->out, O_CLOEXEC))
		return -1;
	p->saved_stdin = dup(STDIN_FILENO);
	p->saved_stdout = dup(STDOUT_FILENO);
	if (p->saved_stdin < 0 || p->saved_stdout < 0 || dup2(p->in[0], STDIN_FILENO) < 0 ||
	    dup2(p->out[1], STDOUT_FILENO) < 0)
		return -1;
	return 0;
}

static void pipes_close(struct console_pipes *p)
{
	dup2(p->saved_stdin, STDIN_FILENO);
	dup2(p->saved_stdout, STDOUT_FILENO);
	close(p->saved_stdin);
	close(p->saved_stdout);
	for (unsigned i = 0; i < 2; i++) {
		close(p->in[i]);
		close(p->out[i]);
	}
}

/* A vCPU's access to a COM1 register. */
static uint8_t com1_read(struct vm *vm, unsigned reg)
{
	uint8_t v = 0xee;

	bus__access(&vm->pio, UART_COM1_PORT + reg, &v, 1, false);
	return v;
}

static void com1_write(struct vm *vm, unsigned reg, uint8_t v)
{
	bus__access(&vm->pio, UART_COM1_PORT + reg, &v, 1, true);
}

/* stdin and stdout on pipes, and a machine with its UART on them. */
static bool console_setup(struct console_pipes *p, struct vm *vm)
{
	if (pipes_open(p))
		return false;
	if (vm__create_described(vm, 16 << 20) == 0 && uart__create(vm) == 0)
		return true;
	vm__destroy(vm);
	pipes_close(p);
	return false;
}

/* Before any EXPECT that may fail: the TAP lines must reach the real stdout. */
static void console_teardown(struct console_pipes *p, struct vm *vm)
{
	vm__destroy(vm);
	pipes_close(p);
}

TEST(clearing_a_full_receive_fifo_takes_console_input_again)
{
	struct console_pipes p;
	uint8_t typed[RX_FIFO + 10];
	int filled, paused, resumed;
	uint8_t lsr_full, lsr_cleared, lsr_after, rbr;
	struct vm vm;

	for (unsigned i = 0; i < sizeof(typed); i++)
		typed[i] = 'a' + i % 26;
	EXPECT(console_setup(&p, &vm));
	if (write(p.in[1], typed, sizeof(typed)) != (ssize_t)sizeof(typed)) {
		console_teardown(&p, &vm);
		EXPECT(!"typed into the stdin pipe");
	}
	/* The FIFO fills; stdin is no longer watched (the rest waits in the pipe). */
	filled = event_loop__run_once(&vm.loop, 0);
	lsr_full = com1_read(&vm, LSR);
	paused = event_loop__run_once(&vm.loop, 0);
	/* The guest's driver resets the receiver: FIFO empty, room for the rest. */
	com1_write(&vm, FCR, FCR_ENABLE_FIFO | FCR_CLEAR_RCVR);
	lsr_cleared = com1_read(&vm, LSR);
	resumed = event_loop__run_once(&vm.loop, 0);
	lsr_after = com1_read(&vm, LSR);
	rbr = com1_read(&vm, RBR);
	console_teardown(&p, &vm);
	EXPECT_EQ(filled, 1);
	EXPECT(lsr_full & LSR_DR);
	EXPECT_EQ(paused, 0);
	EXPECT(!(lsr_cleared & LSR_DR));
	EXPECT_EQ(resumed, 1);
	EXPECT(lsr_after & LSR_DR);
	EXPECT_EQ(rbr, typed[RX_FIFO]);
}

struct stuck_vcpu {
	struct vm *vm;
	_Atomic pid_t tid;
};

static void *vcpu_prints(void *opaque)
{
	struct stuck_vcpu *v = opaque;

	v->tid = syscall(SYS_gettid);
	com1_write(v->vm, RBR, 'x'); /* THR: blocks while stdout's pipe is full */
	return NULL;
}

static struct {
	struct vm *vm;
	sem_t done;
} stdin_handler;

static void *main_thread_serves_stdin(void *opaque)
{
	(void)opaque;
	event_loop__run_once(&stdin_handler.vm->loop, 0);
	sem_post(&stdin_handler.done);
	return NULL;
}

static struct timespec deadline(int seconds)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += seconds;
	return t;
}

/* Nobody reads the console's output: its pipe is full, the next write blocks. */
static bool fill_stdout_pipe(struct console_pipes *p)
{
	static char junk[65536];

	if (fcntl(p->out[1], F_SETFL, O_NONBLOCK))
		return false;
	while (write(p->out[1], junk, sizeof(junk)) > 0)
		;
	return errno == EAGAIN && fcntl(p->out[1], F_SETFL, 0) == 0;
}

TEST(a_vcpu_stuck_on_a_full_stdout_leaves_console_input_live)
{
	struct stuck_vcpu vcpu = { 0 };
	struct console_pipes p;
	pthread_t vcpu_thread, main_thread;
	struct timespec until;
	char drain[4096];
	bool in_write, live = false;
	uint8_t lsr, rbr;
	struct vm vm;

	EXPECT(console_setup(&p, &vm));
	vcpu.vm = &vm;
	if (!fill_stdout_pipe(&p) || pthread_create(&vcpu_thread, NULL, vcpu_prints, &vcpu)) {
		console_teardown(&p, &vm);
		EXPECT(!"a vCPU writing to a full stdout");
	}
	/* Blocked in its write(2) to stdout. */
	in_write = thread_probe__wait_in_syscall(&vcpu.tid, SYS_write, STDOUT_FILENO, 10);
	/* The user types; the main thread's stdin handler must take it now. */
	if (in_write && write(p.in[1], "hi", 2) == 2) {
		stdin_handler.vm = &vm;
		sem_init(&stdin_handler.done, 0, 0);
		pthread_create(&main_thread, NULL, main_thread_serves_stdin, NULL);
		until = deadline(5);
		live = sem_timedwait(&stdin_handler.done, &until) == 0;
	}
	/* Someone reads the console at last: the vCPU's write completes. */
	fcntl(p.out[0], F_SETFL, O_NONBLOCK);
	while (read(p.out[0], drain, sizeof(drain)) > 0)
		;
	pthread_join(vcpu_thread, NULL);
	if (in_write)
		pthread_join(main_thread, NULL);
	lsr = com1_read(&vm, LSR);
	rbr = com1_read(&vm, RBR);
	console_teardown(&p, &vm);
	EXPECT(in_write);
	EXPECT(live);
	EXPECT(lsr & LSR_DR);
	EXPECT_EQ(rbr, 'h');
}
