// SPDX-License-Identifier: GPL-2.0
#include "intx.h"

void intx__init(struct intx *x, const struct intx_sink *sink, enum intx_drive drive)
{
	*x = (struct intx){ .drive = drive, .sink = *sink };
	pthread_mutex_init(&x->lock, NULL);
}

void intx__exit(struct intx *x)
{
	pthread_mutex_destroy(&x->lock);
}

/* Lock held: drives the line to pending && !guest_masked if it is not there yet. */
static void intx_update_level(struct intx *x)
{
	bool level = x->pending && !x->guest_masked;

	if (level == x->level)
		return;
	x->level = level;
	x->sink.set_level(x->sink.opaque, level);
}

/*
 * Lock held, INTX_PULSE: one assertion edge. KVM's IOAPIC latches a rising
 * level on an unmasked pin with remote IRR clear and sends the vector at
 * once (ioapic_set_irq -> ioapic_service), so the line may fall right
 * after. One that comes while remote IRR is still set (the previous vector
 * not yet injected) is dropped; the handler of that one runs after it and
 * sees this condition.
 */
static void intx_pulse(struct intx *x)
{
	if (!x->pending || x->guest_masked)
		return;
	x->sink.set_level(x->sink.opaque, true);
	x->sink.set_level(x->sink.opaque, false);
}

/*
 * Lock held, after a change of pending or guest_masked: a level line
 * follows the new state; a pulsed one sends a pulse if the change was an
 * assertion edge (intx.h lists them).
 */
static void intx_changed(struct intx *x, bool edge)
{
	if (x->drive == INTX_LEVEL)
		intx_update_level(x);
	else if (edge)
		intx_pulse(x);
}

void intx__set_pending(struct intx *x, bool pending)
{
	bool edge;

	pthread_mutex_lock(&x->lock);
	edge = pending && !x->pending;
	x->pending = pending;
	intx_changed(x, edge);
	pthread_mutex_unlock(&x->lock);
}

void intx__acknowledge(struct intx *x, bool pending)
{
	pthread_mutex_lock(&x->lock);
	x->pending = pending;
	intx_changed(x, true);
	pthread_mutex_unlock(&x->lock);
}

void intx__set_guest_mask(struct intx *x, bool masked)
{
	bool edge;

	pthread_mutex_lock(&x->lock);
	edge = x->guest_masked && !masked;
	x->guest_masked = masked;
	intx_changed(x, edge);
	pthread_mutex_unlock(&x->lock);
}

#define INTX_GETTER(name, type)                                              \
	type intx__##name(struct intx *x)                                    \
	{                                                                    \
		type v;                                                      \
		pthread_mutex_lock(&x->lock);                                \
		v = x->name;                                                 \
		pthread_mutex_unlock(&x->lock);                              \
		return v;                                                    \
	}

INTX_GETTER(pending, bool)
INTX_GETTER(level, bool)
