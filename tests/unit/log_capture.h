/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How much a guest repeating something gets logged: the log captured in a
 * temporary file (log__set_sink) while a test makes the guest do it over
 * and over, its lines counted against log.h's rate limit.
 */
#ifndef PCIVMM_TEST_LOG_CAPTURE_H
#define PCIVMM_TEST_LOG_CAPTURE_H

#include <stdbool.h>

/*
 * Calls step(ctx, i) for i from 0 to times - 1 with the log captured. True
 * if lines containing needle were printed, but no more than one
 * rate-limited call site may print in the time it took; else false, with a
 * TAP comment saying how many there were.
 */
bool log_capture__rate_limited(void (*step)(void *ctx, unsigned i), void *ctx, unsigned times,
			       const char *needle);

#endif
