/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An address space that devices claim ranges of: one instance for port I/O,
 * one for MMIO. vCPU threads dispatch concurrently; BAR relocation maps and
 * unmaps ranges at run time, so the range table is guarded by a rwlock.
 */
#ifndef PCIVMM_BUS_H
#define PCIVMM_BUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* Called with offset relative to the range base; len is 1, 2, 4 or 8. */
typedef void (*bus_access_fn)(void *opaque, uint64_t offset, uint8_t *data,
			      unsigned len, bool is_write);

struct bus_range {
	uint64_t base, len;
	bus_access_fn fn;
	void *opaque;
};

struct bus {
	const char *name;
	pthread_rwlock_t lock;
	struct bus_range *ranges; /* sorted by base, never overlapping */
	unsigned count, capacity;
};

void bus__init(struct bus *bus, const char *name);
void bus__exit(struct bus *bus);

/* Claims [base, base+len). -EEXIST if it overlaps a claimed range, -EINVAL if it wraps. */
int bus__register(struct bus *bus, uint64_t base, uint64_t len, bus_access_fn fn,
		  void *opaque);
/* Releases the range that starts at base and belongs to opaque. */
int bus__unregister(struct bus *bus, uint64_t base, void *opaque);

/*
 * Performs a guest access. Unclaimed reads return all-ones and unclaimed
 * writes are dropped, as on a PC bus. Returns false when nobody claimed it.
 */
bool bus__access(struct bus *bus, uint64_t addr, uint8_t *data, unsigned len,
		 bool is_write);

#endif
