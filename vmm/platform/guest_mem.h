/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest RAM: one anonymous mapping, presented to the guest as [0, 3 GiB) and,
 * for larger guests, [4 GiB, ...). Every guest-physical access by the VMM goes
 * through guest_mem__ptr(), which bounds-checks it.
 */
#ifndef PCIVMM_GUEST_MEM_H
#define PCIVMM_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_mem_region {
	uint64_t gpa, size;
	uint8_t *hva;
};

struct guest_mem {
	uint8_t *base;    /* the whole mapping */
	uint64_t size;    /* total RAM */
	struct guest_mem_region regions[2];
	unsigned nr_regions;
};

int guest_mem__init(struct guest_mem *mem, uint64_t size);
void guest_mem__exit(struct guest_mem *mem);

/* Host pointer for [gpa, gpa+len) if it lies wholly in one RAM region, else NULL. */
void *guest_mem__ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len);

/* True if any byte of [gpa, gpa+len) is RAM. */
bool guest_mem__overlaps_ram(const struct guest_mem *mem, uint64_t gpa, uint64_t len);

/* Top of RAM below 4 GiB. */
uint64_t guest_mem__low_end(const struct guest_mem *mem);

#endif
