// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the PIO/MMIO bus every guest port and MMIO access goes
 * through: devices claiming and releasing ranges (BAR moves at run time)
 * and accesses of any address and width 1-8. Invariants: claimed ranges
 * stay sorted and disjoint, a refused claim changes nothing, an access is
 * delivered only when it lies wholly inside one range, with the offset and
 * length the device expects; unclaimed reads return all ones.
 *
 * Input: 12-byte operations [0] op [1] slot [2..3] length [4..11] address.
 */
#include "bus.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 16

struct claim {
	uint64_t base, len;
	bool held;
};

static struct claim claims[SLOTS];

static void device(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool w)
{
	struct claim *c = opaque;

	if (!c->held || off >= c->len || len > c->len - off || len == 0 || len > 8)
		abort();
	if (!w)
		memset(data, 0x5a, len);
}

static void check_bus(const struct bus *b)
{
	for (unsigned i = 1; i < b->count; i++)
		if (b->ranges[i - 1].base + b->ranges[i - 1].len > b->ranges[i].base)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bus bus;

	bus__init(&bus, "fuzz");
	memset(claims, 0, sizeof(claims));
	for (size_t i = 0; i + 12 <= size; i += 12) {
		const uint8_t *op = data + i;
		struct claim *c = &claims[op[1] % SLOTS];
		uint64_t addr, len = op[2] | op[3] << 8;
		unsigned count = bus.count;
		uint8_t buf[8];
		bool hit;

		memcpy(&addr, op + 4, 8);
		switch (op[0] % 3) {
		case 0:
			if (c->held)
				break;
			if (bus__register(&bus, addr, len, device, c) == 0)
				*c = (struct claim){ addr, len, true };
			else if (bus.count != count)
				abort();
			break;
		case 1:
			if (c->held && bus__unregister(&bus, c->base, c) != 0)
				abort();
			c->held = false;
			break;
		default: {
			unsigned w = 1u << (op[2] % 4); /* the widths vcpu.c dispatches */

			memset(buf, 0, sizeof(buf));
			hit = bus__access(&bus, addr, buf, w, op[3] & 1);
			if (!hit && !(op[3] & 1))
				for (unsigned k = 0; k < w; k++)
					if (buf[k] != 0xff)
						abort();
			break;
		}
		}
		check_bus(&bus);
	}
	bus__exit(&bus);
	return 0;
}
