/* SPDX-License-Identifier: GPL-2.0 */
/* pcivmm's threads (vCPUs, the DMA mapper), started with small stacks; their deadlines. */
#ifndef PCIVMM_THREAD_H
#define PCIVMM_THREAD_H

#include <pthread.h>
#include <time.h>

/*
 * pthread_create with a THREAD_STACK_SIZE stack. glibc's default stack is
 * an 8 MiB mapping (RLIMIT_STACK), which transparent huge pages in mode
 * "always" back with a 2 MiB page on the first touch: 2 MiB of resident
 * memory per thread that uses a few KiB. A stack smaller than a huge page
 * cannot get one. 0 or a positive errno, as pthread_create.
 */
#define THREAD_STACK_SIZE (512u << 10)

int thread__start(pthread_t *thread, void *(*fn)(void *), void *arg);

/*
 * CLOCK_MONOTONIC now plus ms, for pthread_cond_clockwait and
 * pthread_mutex_clocklock: a deadline that a change of the wall clock
 * neither shortens nor stretches.
 */
struct timespec thread__deadline(long ms);

#endif
