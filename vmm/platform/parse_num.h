/* SPDX-License-Identifier: GPL-2.0 */
/* Numbers, sizes and names in command-line options and messages, for the CLI and the devices. */
#ifndef PCIVMM_PARSE_NUM_H
#define PCIVMM_PARSE_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A decimal number up to max ("010" is ten); false if malformed or larger. */
bool parse__uint(const char *s, unsigned long max, unsigned long *out);
/* "256M", "1G", "512" (MiB) -> bytes; false on a malformed size. */
bool parse__size(const char *s, uint64_t *bytes);
/* A name an option takes, and the value it stands for. */
struct parse_name {
	const char *name;
	int value;
};
/* The value of the entry called s in names (ended by a NULL name); false if none is. */
bool parse__name(const char *s, const struct parse_name *names, int *value);
/* bytes as the largest unit that divides it: "64 MiB", "1 GiB", "4097 B". */
void format_size(uint64_t bytes, char *buf, size_t len);

#endif
