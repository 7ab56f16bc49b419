/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP unit-test harness: TEST(name) registers a case, EXPECT and
 * EXPECT_EQ fail it with the file, line and values. Each binary prints TAP
 * ("1..N", "ok 1 - name") and exits non-zero when a case failed; a case may
 * SKIP() with a reason.
 */
#ifndef PCIVMM_UNIT_H
#define PCIVMM_UNIT_H

#include <stdbool.h>
#include <stdio.h>

typedef void (*unit_fn)(void);
void unit_register(const char *name, unit_fn fn);
void unit_fail(const char *file, int line, const char *what);
void unit_skip(const char *why);
extern bool unit_current_failed;

#define TEST(name)                                                            \
	static void name(void);                                               \
	__attribute__((constructor)) static void unit_reg_##name(void)        \
	{                                                                     \
		unit_register(#name, name);                                   \
	}                                                                     \
	static void name(void)

#define EXPECT(cond)                                                          \
	do {                                                                  \
		if (!(cond)) {                                                \
			unit_fail(__FILE__, __LINE__, #cond);                 \
			return;                                               \
		}                                                             \
	} while (0)

#define EXPECT_EQ(a, b)                                                       \
	do {                                                                  \
		unsigned long long _a = (unsigned long long)(a);              \
		unsigned long long _b = (unsigned long long)(b);              \
		if (_a != _b) {                                               \
			char _m[256];                                         \
			snprintf(_m, sizeof(_m), "%s == %s (0x%llx != 0x%llx)", \
				 #a, #b, _a, _b);                             \
			unit_fail(__FILE__, __LINE__, _m);                    \
			return;                                               \
		}                                                             \
	} while (0)

#define SKIP(why)                                                             \
	do {                                                                  \
		unit_skip(why);                                               \
		return;                                                       \
	} while (0)

#endif
