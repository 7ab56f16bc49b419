// SPDX-License-Identifier: GPL-2.0
/* The table of pcivmm's commands (commands.h); a new one is a row here. */
#include "commands.h"
#include "check.h"
#include "release.h"

#include <stddef.h>
#include <string.h>

static const struct command commands[] = {
	{ "check", check__main },
	{ "release", release__main },
};

const struct command *command__find(int argc, char **argv)
{
	if (argc < 2)
		return NULL;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return &commands[i];
	return NULL;
}
