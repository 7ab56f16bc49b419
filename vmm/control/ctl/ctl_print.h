/* SPDX-License-Identifier: GPL-2.0 */
/* pcivmm-ctl's human output of each reply. */
#ifndef PCIVMM_CTL_PRINT_H
#define PCIVMM_CTL_PRINT_H

#include <jansson.h>

#include "ctl_http.h"

void ctl_print__ping(json_t *reply);
void ctl_print__info(json_t *reply);
void ctl_print__counters(json_t *reply);
void ctl_print__power_button(json_t *reply);
void ctl_print__added(json_t *reply);

/* An error's message to stderr, else print(body) (NULL: "ok"). */
void ctl_print__reply(const struct ctl_reply *reply, void (*print)(json_t *body));

#endif
