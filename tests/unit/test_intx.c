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

/*
 * Events, one letter each: r the function raises, c it clears its
 * condition itself, a the guest acknowledges all of it, p part of it (some
 * left), m it sets INTX_DISABLE, u it clears it.
 */
static void drive_events(struct intx *x, const char *events)
{
	for (; *events; events++) {
		switch (*events) {
		case 'r': intx__set_pending(x, true); break;
		case 'c': intx__set_pending(x, false); break;
		case 'a': intx__acknowledge(x, false); break;
		case 'p': intx__acknowledge(x, true); break;
		case 'm': intx__set_guest_mask(x, true); break;
		case 'u': intx__set_guest_mask(x, false); break;
		}
	}
}

/* On a level line an acknowledge is only the new condition: the line stays up while work is left. */
TEST(level_acknowledge_with_work_left_keeps_the_line_up_without_a_new_edge)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	drive_events(&x, "rp");
	EXPECT(r.level && r.rises == 1);
	drive_events(&x, "a");
	EXPECT(!r.level && r.falls == 1);
	intx__exit(&x);
}

/* ---- INTX_PULSE: a KVM that EOIs at injection ---- */

/*
 * After each sequence, from an idle unmasked line: how many pulses (a rise
 * and a fall each), with the line left low. The edges are intx.h's; the
 * last two rows are the contract's row a pulse cannot keep
 * (devices/INTX-MASKING.md): an EOI without acknowledge is invisible, so
 * nothing is sent again until the next edge.
 */
static const struct {
	const char *what, *events;
	unsigned pulses;
} pulse_cases[] = {
	{ "a raise is one pulse", "r", 1 },
	{ "a raise while pending is no new edge", "rr", 1 },
	{ "an acknowledge that leaves work is a new edge", "rp", 2 },
	{ "acknowledging the rest then is none", "rpa", 2 },
	{ "each raise from idle is one", "rararara", 4 },
	{ "a masked raise is silent", "mr", 0 },
	{ "the unmask with it pending pulses once", "mruu", 1 },
	{ "a handler that masks (uio_pci_generic) gets nothing", "rm", 1 },
	{ "... until user space unmasks", "rmu", 2 },
	{ "acknowledging while masked, then unmasking, is silent", "mrpau", 0 },
	{ "the function clearing its condition makes no edge", "rcmu", 1 },
	{ "an EOI without acknowledge (a raise, nothing more) gets no second", "rru", 1 },
	{ "... only the next edge, here an unmask", "rrumu", 2 },
};

TEST(pulse_edges_are_exactly_intx_h_s)
{
	for (size_t i = 0; i < sizeof(pulse_cases) / sizeof(pulse_cases[0]); i++) {
		struct intx x;
		struct rec r;

		setup_drive(&x, &r, INTX_PULSE);
		drive_events(&x, pulse_cases[i].events);
		if (r.level || r.rises != pulse_cases[i].pulses || r.falls != r.rises ||
		    intx__level(&x)) {
			char m[200];

			snprintf(m, sizeof(m), "%s (\"%s\"): %u rises, %u falls, line %s; want %u pulses, line low",
				 pulse_cases[i].what, pulse_cases[i].events, r.rises, r.falls,
				 r.level ? "high" : "low", pulse_cases[i].pulses);
			unit_fail(__FILE__, __LINE__, m);
			intx__exit(&x);
			return;
		}
		intx__exit(&x);
	}
}

TEST(pulse_keeps_pending_for_status_reads)
{
	struct intx x;
	struct rec r;

	setup_drive(&x, &r, INTX_PULSE);
	drive_events(&x, "mr");
	EXPECT(intx__pending(&x));
	drive_events(&x, "up");
	EXPECT(intx__pending(&x));
	drive_events(&x, "a");
	EXPECT(!intx__pending(&x));
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
