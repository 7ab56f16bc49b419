// SPDX-License-Identifier: GPL-2.0
/*
 * Runs a fuzz target without libFuzzer: each file (or each file in each
 * directory) named on the command line, that file with random bytes
 * flipped, then FUZZ_RUNS (default 30000) pseudo-random inputs from a fixed
 * seed, so the fuzz suite exercises every target deterministically under
 * ASan/UBSan with gcc. With clang, `meson setup -Dfuzz=true` builds the
 * real libFuzzer binaries (scripts/fuzz).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t buf[1 << 20];
static uint64_t x = 0x9e3779b97f4a7c15ULL;
static unsigned long files;

static uint64_t next(void)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* A seed as it is, then 64 mutants of it (a few bytes flipped, or cut short). */
static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	files++;
	LLVMFuzzerTestOneInput(buf, n);
	for (unsigned m = 0; m < 64 && n; m++) {
		static uint8_t mutant[sizeof(buf)];
		size_t len = m % 8 == 7 ? next() % n : n;

		memcpy(mutant, buf, len);
		for (unsigned k = 0; k < 1 + m % 4; k++)
			mutant[next() % (len ? len : 1)] ^= 1u << (next() % 8);
		LLVMFuzzerTestOneInput(mutant, len);
	}
}

int main(int argc, char **argv)
{
	unsigned long runs = getenv("FUZZ_RUNS") ? strtoul(getenv("FUZZ_RUNS"), NULL, 0) : 30000;

	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		char path[4096];

		if (!d) {
			run_file(argv[i]);
			continue;
		}
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			run_file(path);
		}
		closedir(d);
	}
	for (unsigned long r = 0; r < runs; r++) {
		size_t n = 8 * (1 + r % 64);

		for (size_t i = 0; i < n; i++)
			buf[i] = next();
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz smoke: %lu seed files (each with 64 mutants), %lu random inputs: no crash, invariants held\n",
	       files, runs);
	return 0;
}
