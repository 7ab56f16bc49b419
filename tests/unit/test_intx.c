// SPDX-License-Identifier: GPL-2.0
/*
 * The INTx line of an emulated function against a recording sink, driven
 * as a level (a conforming KVM) and as pulses (a KVM that EOIs at
 * injection), and the host bridge's wire-OR of functions sharing a GSI: no
 * KVM involved.
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

static void setup_drive(struct intx *x, struct rec *r, enum intx_drive drive)
{
	struct intx_sink sink = { rec_set_level, r };

	*r = (struct rec){ 0 };
	intx__init(x, &sink, drive);
}

static void setup(struct intx *x, struct rec *r)
{
	setup_drive(x, r, INTX_LEVEL);
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

/* On a level line an acknowledge is only the new condition: the line stays up while work is left. */
TEST(level_acknowledge_with_work_left_keeps_the_line_up_without_a_new_edge)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	intx__acknowledge(&x, true);
	EXPECT(r.level);
	EXPECT_EQ(r.rises, 1);
	intx__acknowledge(&x, false);
	EXPECT(!r.level);
	EXPECT_EQ(r.falls, 1);
	intx__exit(&x);
}

/* ---- INTX_PULSE: a KVM that EOIs at injection ---- */

/* A pulse: the line rose and fell, and is low again. */
#define EXPECT_PULSES(r, n)                                                   \
	do {                                                                  \
		EXPECT(!(r).level);                                           \
		EXPECT_EQ((r).rises, (n));                                    \
		EXPECT_EQ((r).falls, (n));                                    \
	} while (0)

TEST(pulse_raise_is_one_pulse_and_the_line_is_left_low)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	intx__set_pending(&x, true);
	EXPECT_PULSES(r, 1);
	EXPECT(intx__pending(&x));
	EXPECT(!intx__level(&x));
	intx__exit(&x);
}

/* More bits while pending: the handler on its way reads them all. */
TEST(pulse_raise_while_pending_is_no_new_edge)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	intx__set_pending(&x, true);
	intx__set_pending(&x, true);
	EXPECT_PULSES(r, 1);
	intx__exit(&x);
}

TEST(pulse_acknowledge_that_leaves_work_is_a_new_edge)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	intx__set_pending(&x, true);
	intx__acknowledge(&x, true);
	EXPECT_PULSES(r, 2);
	intx__acknowledge(&x, false);
	EXPECT_PULSES(r, 2);
	EXPECT(!intx__pending(&x));
	intx__exit(&x);
}

TEST(pulse_full_acknowledge_then_raise_is_one_more_pulse)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	for (unsigned i = 0; i < 3; i++) {
		intx__set_pending(&x, true);
		intx__acknowledge(&x, false);
	}
	EXPECT_PULSES(r, 3);
	intx__exit(&x);
}

TEST(pulse_masked_raise_is_silent_and_unmask_pulses_once)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	intx__set_guest_mask(&x, true);
	intx__set_pending(&x, true);
	EXPECT_PULSES(r, 0);
	EXPECT(intx__pending(&x));
	intx__set_guest_mask(&x, false);
	EXPECT_PULSES(r, 1);
	intx__set_guest_mask(&x, false); /* no change of the bit: no edge */
	EXPECT_PULSES(r, 1);
	intx__exit(&x);
}

/* uio_pci_generic: the handler masks instead of acknowledging; user space unmasks later. */
TEST(pulse_handler_that_masks_gets_nothing_until_the_unmask)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	intx__set_pending(&x, true);
	intx__set_guest_mask(&x, true);
	EXPECT_PULSES(r, 1);
	intx__set_guest_mask(&x, false);
	EXPECT_PULSES(r, 2);
	intx__exit(&x);
}

TEST(pulse_acknowledge_while_masked_then_unmask_is_silent)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	intx__set_guest_mask(&x, true);
	intx__set_pending(&x, true);
	intx__acknowledge(&x, true); /* work left, but masked */
	intx__acknowledge(&x, false);
	intx__set_guest_mask(&x, false);
	EXPECT_PULSES(r, 0);
	intx__exit(&x);
}

/*
 * The row a pulse cannot keep (devices/INTX-MASKING.md): a handler that
 * EOIs without acknowledging is invisible to pcivmm on such a host, so
 * nothing is sent again until the next edge: here the unmask.
 */
TEST(pulse_eoi_without_acknowledge_is_redelivered_only_at_the_next_edge)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	intx__set_pending(&x, true);
	intx__set_pending(&x, true); /* the function raises again: no edge */
	intx__set_guest_mask(&x, false); /* was not masked: no edge */
	EXPECT_PULSES(r, 1);
	intx__set_guest_mask(&x, true);
	intx__set_guest_mask(&x, false);
	EXPECT_PULSES(r, 2);
	intx__exit(&x);
}

TEST(pulse_the_function_clearing_its_condition_makes_no_edge)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	intx__set_pending(&x, true);
	intx__set_pending(&x, false); /* unplugged, or MSI took over */
	intx__set_guest_mask(&x, true);
	intx__set_guest_mask(&x, false);
	EXPECT_PULSES(r, 1);
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

/*
 * Pulses of functions sharing a GSI reach KVM as one rise and one fall
 * each, or as one when they overlap (the handler of that one interrupt
 * polls both); the GSI is always left low.
 */
TEST(pulses_of_functions_sharing_a_gsi_leave_it_low)
{
	struct pci_host h;
	struct gsi_rec g;
	struct pci_device a = { .gsi = 16 }, b = { .gsi = 16 };

	host_with_recorder(&h, &g);
	pci_host__set_intx(&h, &a, true);
	pci_host__set_intx(&h, &a, false);
	pci_host__set_intx(&h, &b, true);
	pci_host__set_intx(&h, &b, false);
	EXPECT(!g.level[16]);
	EXPECT_EQ(g.calls, 4);
	pci_host__set_intx(&h, &a, true);
	pci_host__set_intx(&h, &b, true);
	pci_host__set_intx(&h, &a, false);
	pci_host__set_intx(&h, &b, false);
	EXPECT(!g.level[16]);
	EXPECT_EQ(g.calls, 6);
	pthread_mutex_destroy(&h.intx.lock);
}
