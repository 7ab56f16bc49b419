// SPDX-License-Identifier: GPL-2.0
/* --testdev[=SLOT][,fault=NAME] */
#include "testdev.h"
#include "parse_num.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct parse_name fault_names[] = {
	{ "none", TESTDEV_FAULT_NONE },
	{ "ignore-intx-disable", TESTDEV_FAULT_IGNORE_INTX_DISABLE },
	{ "stale-status", TESTDEV_FAULT_STALE_STATUS },
	{ NULL, 0 },
};

/* "[SLOT|slot=SLOT][,fault=NAME]", sub-options through getsubopt(3). */
bool testdev__parse_option(const char *arg, struct testdev_opts *td, FILE *err)
{
	enum { SUB_SLOT, SUB_FAULT };
	static char *const sub_names[] = { "slot", "fault", NULL };
	char buf[64], *opts = buf, *tok, *value;
	bool have_slot = false, have_fault = false;
	unsigned long slot;
	int sub, fault;

	*td = (struct testdev_opts){ .slot = -1, .fault = TESTDEV_FAULT_NONE };
	if (!arg)
		return true;
	if (strlen(arg) >= sizeof(buf)) {
		fprintf(err, "pcivmm: error: --testdev=%.32s...: too long\n", arg);
		return false;
	}
	strcpy(buf, arg);
	while (*opts) {
		tok = opts;
		sub = getsubopt(&opts, sub_names, &value);
		/* A bare number is the slot too (--testdev=4). */
		if (sub < 0 && isdigit((unsigned char)tok[0])) {
			sub = SUB_SLOT;
			value = tok;
		}
		if (sub >= 0 && (sub == SUB_FAULT ? have_fault : have_slot)) {
			fprintf(err, "pcivmm: error: --testdev=%s: two %s; give one\n", arg,
				sub == SUB_FAULT ? "faults" : "slots");
			return false;
		}
		if (sub == SUB_FAULT) {
			have_fault = true;
			if (!value || !parse__name(value, fault_names, &fault)) {
				fprintf(err, "pcivmm: error: --testdev: unknown fault '%s'; use ignore-intx-disable or stale-status\n",
					value ? value : "");
				return false;
			}
			td->fault = fault;
		} else if (sub == SUB_SLOT && value && parse__uint(value, 31, &slot)) {
			if (slot == 0) {
				fprintf(err, "pcivmm: error: --testdev=0: slot 0 is the host bridge; use 1 to 31\n");
				return false;
			}
			td->slot = slot;
			have_slot = true;
		} else {
			fprintf(err, "pcivmm: error: --testdev=%s: '%s' is not a slot (1-31) or fault=NAME\n",
				arg, tok);
			return false;
		}
	}
	return true;
}
