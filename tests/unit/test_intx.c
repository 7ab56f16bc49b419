// SPDX-License-Identifier: GPL-2.0
/* The INTx state machine against a recording sink: no KVM involved. */
#include "unit.h"
#include "../../devices/intx.h"

struct rec {
	unsigned triggers, retries;
};

static void rec_trigger(void *o) { ((struct rec *)o)->triggers++; }
static void rec_retry(void *o) { ((struct rec *)o)->retries++; }

static void setup(struct intx *x, struct rec *r)
{
	struct intx_sink sink = { rec_trigger, rec_retry, r };

	*r = (struct rec){ 0 };
	intx__init(x, &sink);
}

TEST(raise_triggers_once_and_stays_in_flight)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	EXPECT_EQ(r.triggers, 1);
	EXPECT(intx__in_flight(&x));
	intx__set_pending(&x, true); /* more bits, same condition */
	EXPECT_EQ(r.triggers, 1);
}

TEST(masked_raise_does_not_trigger_but_stays_pending)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_guest_mask(&x, true);
	intx__set_pending(&x, true);
	EXPECT_EQ(r.triggers, 0);
	EXPECT(intx__pending(&x));
	EXPECT(!intx__in_flight(&x));
}

TEST(unmask_with_pending_triggers_exactly_once)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_guest_mask(&x, true);
	intx__set_pending(&x, true);
	intx__set_guest_mask(&x, false);
	EXPECT_EQ(r.triggers, 1);
	intx__set_guest_mask(&x, false);
	EXPECT_EQ(r.triggers, 1);
}

TEST(eoi_after_ack_neither_triggers_nor_retries)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	intx__set_pending(&x, false);
	intx__eoi(&x);
	EXPECT_EQ(r.triggers, 1);
	EXPECT_EQ(r.retries, 0);
	EXPECT(!intx__in_flight(&x));
}

TEST(eoi_while_still_pending_schedules_a_retry_that_retriggers)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	intx__eoi(&x);
	EXPECT_EQ(r.triggers, 1); /* not at once: the EOI may precede the handler */
	EXPECT_EQ(r.retries, 1);
	intx__retry(&x);
	EXPECT_EQ(r.triggers, 2);
}

TEST(retry_after_the_guest_acked_does_nothing)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	intx__eoi(&x);
	intx__set_pending(&x, false);
	intx__retry(&x);
	EXPECT_EQ(r.triggers, 1);
}

TEST(mask_in_flight_then_eoi_gives_no_retry)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	intx__set_guest_mask(&x, true); /* uio_pci_generic's handler */
	intx__eoi(&x);
	EXPECT_EQ(r.triggers, 1);
	EXPECT_EQ(r.retries, 0);
	intx__set_guest_mask(&x, false); /* user space re-enables, still pending */
	EXPECT_EQ(r.triggers, 2);
}

TEST(unmask_while_in_flight_waits_for_the_eoi)
{
	struct intx x;
	struct rec r;

	setup(&x, &r);
	intx__set_pending(&x, true);
	intx__set_guest_mask(&x, true);
	intx__set_guest_mask(&x, false);
	EXPECT_EQ(r.triggers, 1);
	intx__eoi(&x);
	EXPECT_EQ(r.retries, 1);
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
	EXPECT_EQ(r.triggers, 0);
	EXPECT_EQ(intx__triggers(&x), 0);
}
