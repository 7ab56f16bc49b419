// SPDX-License-Identifier: GPL-2.0
/* --testdev[=SLOT][,fault=NAME] */
#include "testdev.h"
#include "parse_num.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool parse_fault(const char *name, enum testdev_fault *fault)
{
	if (!strcmp(name, "none"))
		*fault = TESTDEV_FAULT_NONE;
	else if (!strcmp(name, "ignore-intx-disable"))
		*fault = TESTDEV_FAULT_IGNORE_INTX_DISABLE;
	else if (!strcmp(name, "stale-status"))
		*fault = TESTDEV_FAULT_STALE_STATUS;
	else
		return false;
	return true;
}

/* "[SLOT][,fault=NAME]" */
bool testdev__parse_option(const char *arg, struct testdev_opts *td, FILE *err)
{
	char buf[64], *tok, *save;
	bool have_slot = false, have_fault = false;
	unsigned long slot;

	*td = (struct testdev_opts){ .slot = -1, .fault = TESTDEV_FAULT_NONE };
	if (!arg)
		return true;
	if (strlen(arg) >= sizeof(buf)) {
		fprintf(err, "pcivmm: error: --testdev=%.32s...: too long\n", arg);
		return false;
	}
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool is_fault = !strncmp(tok, "fault=", 6);

		if (is_fault ? have_fault : have_slot && (tok[0] == 's' || isdigit((unsigned char)tok[0]))) {
			fprintf(err, "pcivmm: error: --testdev=%s: two %s; give one\n", arg,
				is_fault ? "faults" : "slots");
			return false;
		}
		if (is_fault) {
			have_fault = true;
			if (!parse_fault(tok + 6, &td->fault)) {
				fprintf(err, "pcivmm: error: --testdev: unknown fault '%s'; use ignore-intx-disable or stale-status\n",
					tok + 6);
				return false;
			}
		} else if (!strncmp(tok, "slot=", 5) ? parse__uint(tok + 5, 31, &slot)
						      : parse__uint(tok, 31, &slot)) {
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
