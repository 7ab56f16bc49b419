// SPDX-License-Identifier: GPL-2.0
#include "bus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void bus__init(struct bus *bus, const char *name)
{
	*bus = (struct bus){ .name = name };
	pthread_rwlock_init(&bus->lock, NULL);
}

void bus__exit(struct bus *bus)
{
	free(bus->ranges);
	pthread_rwlock_destroy(&bus->lock);
	bus->ranges = NULL;
	bus->count = bus->capacity = 0;
}

/* Index of the first range whose end lies above addr. */
static unsigned bus_lower_bound(const struct bus *bus, uint64_t addr)
{
	unsigned lo = 0, hi = bus->count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		const struct bus_range *r = &bus->ranges[mid];

		if (r->base + r->len <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int bus__register(struct bus *bus, uint64_t base, uint64_t len, bus_access_fn fn,
		  void *opaque)
{
	unsigned i;
	int ret = 0;

	if (len == 0 || base + len < base)
		return -EINVAL;

	pthread_rwlock_wrlock(&bus->lock);
	i = bus_lower_bound(bus, base);
	if (i < bus->count && bus->ranges[i].base < base + len) {
		ret = -EEXIST;
		goto out;
	}
	if (bus->count == bus->capacity) {
		unsigned cap = bus->capacity ? bus->capacity * 2 : 16;
		struct bus_range *r = realloc(bus->ranges, cap * sizeof(*r));

		if (!r) {
			ret = -ENOMEM;
			goto out;
		}
		bus->ranges = r;
		bus->capacity = cap;
	}
	memmove(&bus->ranges[i + 1], &bus->ranges[i],
		(bus->count - i) * sizeof(bus->ranges[0]));
	bus->ranges[i] = (struct bus_range){ base, len, fn, opaque };
	bus->count++;
out:
	pthread_rwlock_unlock(&bus->lock);
	return ret;
}

int bus__unregister(struct bus *bus, uint64_t base, void *opaque)
{
	unsigned i;
	int ret = -ENOENT;

	pthread_rwlock_wrlock(&bus->lock);
	i = bus_lower_bound(bus, base);
	if (i < bus->count && bus->ranges[i].base == base &&
	    bus->ranges[i].opaque == opaque) {
		memmove(&bus->ranges[i], &bus->ranges[i + 1],
			(bus->count - i - 1) * sizeof(bus->ranges[0]));
		bus->count--;
		ret = 0;
	}
	pthread_rwlock_unlock(&bus->lock);
	return ret;
}

bool bus__access(struct bus *bus, uint64_t addr, uint8_t *data, unsigned len,
		 bool is_write)
{
	struct bus_range r;
	bool claimed = false;
	unsigned i;

	pthread_rwlock_rdlock(&bus->lock);
	i = bus_lower_bound(bus, addr);
	if (i < bus->count) {
		r = bus->ranges[i];
		/* The whole access must fall inside one range. */
		claimed = addr >= r.base && addr - r.base + len <= r.len;
	}
	pthread_rwlock_unlock(&bus->lock);

	/*
	 * Call without the lock: a config write may relocate a BAR and so
	 * re-register ranges on this very bus. Devices outlive their ranges
	 * (they are freed only after every vCPU has stopped).
	 */
	if (claimed)
		r.fn(r.opaque, addr - r.base, data, len, is_write);
	else if (!is_write)
		memset(data, 0xff, len);
	return claimed;
}
