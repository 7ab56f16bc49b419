/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fuzz targets feed the loaders and parsers input that is almost always
 * wrong, and each refusal prints one line: send pcivmm's own messages
 * (the log's sink, log.h) to /dev/null, while the sanitizers' reports,
 * written to file descriptor 2 directly, still show. The CLI's own
 * errors go to the FILE the target hands cli__parse.
 */
#ifndef PCIVMM_FUZZ_QUIET_H
#define PCIVMM_FUZZ_QUIET_H

#include <stdio.h>

#include "log.h"

static inline void fuzz_quiet_messages(void)
{
	static FILE *null;

	if (!null) {
		null = fopen("/dev/null", "w");
		if (null)
			log__set_sink(null);
	}
}

#endif
