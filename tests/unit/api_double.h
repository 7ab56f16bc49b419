/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A recording struct api_ops for the routing tests (test_api.c) and the
 * API's fuzz target: routing is what they test, so the VM behind it is
 * replaced by a table that counts calls and keeps the last arguments.
 */
#ifndef PCIVMM_API_DOUBLE_H
#define PCIVMM_API_DOUBLE_H

#include "api.h"

struct api_double {
	unsigned calls; /* every op */
	unsigned ping, info, counters, pause, resume, power_button, shutdown, add, remove;
	struct api_device_spec last_spec;
	char last_id[API_DEVICE_ID_MAX];
	struct api_ops ops;
};

void api_double__init(struct api_double *d);

#endif
