// SPDX-License-Identifier: GPL-2.0
/*
 * Runs a fuzz target without libFuzzer: each file named on the command line,
 * then FUZZ_RUNS (default 30000) pseudo-random inputs from a fixed seed, so
 * the unit suite exercises the target deterministically under ASan/UBSan.
 * With clang, `meson setup -Dfuzz=true` builds the real libFuzzer binary.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	static uint8_t buf[4096];
	unsigned long runs = getenv("FUZZ_RUNS") ? strtoul(getenv("FUZZ_RUNS"), NULL, 0) : 30000;
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	for (unsigned long r = 0; r < runs; r++) {
		size_t n = 8 * (1 + r % 64);

		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = x;
		}
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz smoke: %lu random inputs, %d files: no crash, invariants held\n", runs, argc - 1);
	return 0;
}
