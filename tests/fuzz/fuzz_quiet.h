/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fuzz targets feed the loaders and parsers input that is almost always
 * wrong, and each refusal prints one line: send pcivmm's own messages
 * (through the stderr FILE) to /dev/null, while the sanitizers' reports,
 * written to file descriptor 2 directly, still show.
 */
#ifndef PCIVMM_FUZZ_QUIET_H
#define PCIVMM_FUZZ_QUIET_H

#include <stdio.h>

static inline void fuzz_quiet_messages(void)
{
	static FILE *null;

	if (!null) {
		null = fopen("/dev/null", "w");
		if (null)
			stderr = null;
	}
}

#endif
