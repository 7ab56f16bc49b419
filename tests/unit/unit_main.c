// SPDX-License-Identifier: GPL-2.0
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_MAX 256


static struct {
	const char *name;
	unit_fn fn;
} cases[UNIT_MAX];
static int nr_cases;
bool unit_current_failed;
static const char *skip_reason;

void unit_register(const char *name, unit_fn fn)
{
	if (nr_cases == UNIT_MAX)
		abort();
	cases[nr_cases].name = name;
	cases[nr_cases].fn = fn;
	nr_cases++;
}

void unit_fail(const char *file, int line, const char *what)
{
	printf("# %s:%d: expected %s\n", file, line, what);
	unit_current_failed = true;
}

void unit_skip(const char *why)
{
	skip_reason = why;
}

int main(int argc, char **argv)
{
	int failed = 0;

	(void)argc;
	(void)argv;
	printf("1..%d\n", nr_cases);
	for (int i = 0; i < nr_cases; i++) {
		unit_current_failed = false;
		skip_reason = NULL;
		cases[i].fn();
		if (skip_reason)
			printf("ok %d - %s # SKIP %s\n", i + 1, cases[i].name, skip_reason);
		else
			printf("%s %d - %s\n", unit_current_failed ? "not ok" : "ok", i + 1, cases[i].name);
		failed += unit_current_failed;
	}
	return failed ? 1 : 0;
}
