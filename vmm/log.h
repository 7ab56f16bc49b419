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
#define pr_debug(fmt, ...)                                                    \
	do {                                                                  \
		if (log_verbose)                                              \
			fprintf(stderr, "pcivmm: debug: " fmt "\n",           \
				##__VA_ARGS__);                               \
	} while (0)

#endif
