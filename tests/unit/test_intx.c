// SPDX-License-Identifier: GPL-2.0
/*
 * The INTx line of an emulated function against a recording sink, and the
 * host bridge's wire-OR of functions sharing a GSI: no KVM involved.
 */
#include "unit.h"
#include "intx.h"
#include "pci.h"

#include <string.h>

/* The sink: the line's level and how often it rose and fell. */
struct rec {
	bool level;
	unsigned rises, falls;
};

static void rec_set_level(void *o, bool level)
{
	struct rec *r = o;

	EXPECT(level != r->level); /* only changes reach the sink */
	r->level = level;
	if (level)
		r->rises++;
	else
		r->falls++;
}

static void setup(struct intx *x, struct rec *r)
{
	struct intx_sink sink = { rec_set_level, r };

	*r = (struct rec){ 0 };
	intx__init(x, &sink);
}

TEST(raise_asserts_the_line_once)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	EXPECT(r.level);
	intx__set_pending(&x, true); /* more bits, same condition */
	EXPECT_EQ(r.rises, 1);
	intx__exit(&x);
}

TEST(acknowledge_releases_the_line)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	intx__set_pending(&x, false);
	EXPECT(!r.level);
	EXPECT_EQ(r.rises, 1);
	EXPECT_EQ(r.falls, 1);
	intx__exit(&x);
}

TEST(masked_raise_keeps_the_line_low_but_stays_pending)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_guest_mask(&x, true);
	intx__set_pending(&x, true);
	EXPECT_EQ(r.rises, 0);
	EXPECT(intx__pending(&x));
	EXPECT(!intx__level(&x));
	intx__exit(&x);
}

TEST(unmask_with_pending_asserts_exactly_once)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_guest_mask(&x, true);
	intx__set_pending(&x, true);
	intx__set_guest_mask(&x, false);
	EXPECT_EQ(r.rises, 1);
	intx__set_guest_mask(&x, false);
	EXPECT_EQ(r.rises, 1);
	intx__exit(&x);
}

/* uio_pci_generic's handler masks without acknowledging; user space unmasks later. */
TEST(mask_while_asserted_releases_the_line_and_unmask_reasserts)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	intx__set_guest_mask(&x, true);
	EXPECT(!r.level);
	intx__set_guest_mask(&x, false);
	EXPECT(r.level);
	EXPECT_EQ(r.rises, 2);
	intx__exit(&x);
}

TEST(ack_while_masked_then_unmask_is_silent)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_guest_mask(&x, true);
	intx__set_pending(&x, true);
	intx__set_pending(&x, false);
	intx__set_guest_mask(&x, false);
	EXPECT_EQ(r.rises, 0);
	EXPECT_EQ(r.falls, 0);
	intx__exit(&x);
}

/* ---- the host bridge's wire-OR (pci_host__set_intx) ---- */

struct gsi_rec {
	bool level[PCI_INTX_GSI_BASE + PCI_INTX_GSI_COUNT];
	unsigned calls;
};

static void gsi_rec_set(void *o, unsigned gsi, bool level)
{
	struct gsi_rec *g = o;

	g->level[gsi] = level;
	g->calls++;
}

static void host_with_recorder(struct pci_host *h, struct gsi_rec *g)
{
	memset(h, 0, sizeof(*h));
	memset(g, 0, sizeof(*g));
	pthread_mutex_init(&h->intx.lock, NULL);
	h->intx.set_gsi_level = gsi_rec_set;
	h->intx.opaque = g;
}

TEST(functions_sharing_a_gsi_are_wire_ored)
{
	struct pci_host h;
	struct gsi_rec g;
	struct pci_device a = { .gsi = 16 }, b = { .gsi = 16 }, c = { .gsi = 17 };

	host_with_recorder(&h, &g);
	pci_host__set_intx(&h, &a, true);
	pci_host__set_intx(&h, &b, true);
	EXPECT(g.level[16]);
	EXPECT_EQ(g.calls, 1); /* the second assertion changes nothing KVM sees */
	pci_host__set_intx(&h, &a, false);
	EXPECT(g.level[16]); /* b still asserts */
	pci_host__set_intx(&h, &c, true);
	EXPECT(g.level[17]);
	pci_host__set_intx(&h, &b, false);
	EXPECT(!g.level[16]);
	EXPECT(g.level[17]);
	EXPECT_EQ(g.calls, 3);
	pthread_mutex_destroy(&h.intx.lock);
}
