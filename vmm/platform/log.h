/* SPDX-License-Identifier: GPL-2.0 */
/* Diagnostics: every line starts with "pcivmm: " so it stands out from guest output. */
#ifndef PCIVMM_LOG_H
#define PCIVMM_LOG_H

#include <stdbool.h>
#include <stdio.h>

extern bool log_verbose;

#define pr_err(fmt, ...)  fprintf(stderr, "pcivmm: " fmt "\n", ##__VA_ARGS__)
#define pr_warn(fmt, ...) fprintf(stderr, "pcivmm: warning: " fmt "\n", ##__VA_ARGS__)
#define pr_info(fmt, ...) fprintf(stderr, "pcivmm: " fmt "\n", ##__VA_ARGS__)

/*
 * -v: "pcivmm: +0.012345 debug: ...", seconds since log__start() (the
 * process's start, CLOCK_MONOTONIC), so the setup and teardown steps show
 * where the time goes.
 */
__attribute__((format(printf, 1, 2))) void log__debug(const char *fmt, ...);
#define pr_debug(fmt, ...)                                                    \
	do {                                                                  \
		if (log_verbose)                                              \
			log__debug(fmt, ##__VA_ARGS__);                       \
	} while (0)

/* Takes the time the debug stamps count from; call first thing in main. */
void log__start(void);

#endif
