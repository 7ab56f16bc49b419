/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where another thread of a test is blocked, read from
 * /proc/self/task/TID/syscall ("NR ARG0 ARG1 ..." while the thread is in a
 * system call): a test acts once a thread is stuck where a defect would
 * leave it, with no sleep standing in for synchronisation.
 */
#ifndef PCIVMM_TEST_THREAD_PROBE_H
#define PCIVMM_TEST_THREAD_PROBE_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Waits up to seconds until the thread whose id *tid holds (0 until the
 * thread has stored it) is in system call nr, with first argument arg0
 * unless arg0 is negative. False if it never was.
 */
bool thread_probe__wait_in_syscall(const _Atomic pid_t *tid, long nr, long arg0, int seconds);

#endif
