// SPDX-License-Identifier: GPL-2.0
#include "parse_num.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool parse__uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10); /* decimal: "010" is ten, not octal eight */
	return !errno && *end == '\0' && *out <= max;
}

bool parse__size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	unsigned shift = 20; /* bare numbers are MiB, as in QEMU's -m */
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	switch (toupper((unsigned char)*end)) {
	case '\0': break;
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	default: return false;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v > (UINT64_MAX >> shift))
		return false;
	*bytes = (uint64_t)v << shift;
	return true;
}

bool parse__name(const char *s, const struct parse_name *names, int *value)
{
	for (; names->name; names++) {
		if (!strcmp(s, names->name)) {
			*value = names->value;
			return true;
		}
	}
	return false;
}

void format_size(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;

	while (n >= 1024 && !(n % 1024) && u < 4) {
		n /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)n, units[u]);
}
