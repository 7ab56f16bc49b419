// SPDX-License-Identifier: GPL-2.0
#include "intx.h"

void intx__init(struct intx *x, const struct intx_sink *sink)
{
	*x = (struct intx){ .sink = *sink };
	pthread_mutex_init(&x->lock, NULL);
}

void intx__exit(struct intx *x)
{
	pthread_mutex_destroy(&x->lock);
}

/* Lock held. */
static void intx_try_trigger(struct intx *x)
{
	if (x->pending && !x->guest_masked && !x->in_flight) {
		x->in_flight = true;
		x->triggers++;
		x->sink.trigger(x->sink.opaque);
	}
}

void intx__set_pending(struct intx *x, bool pending)
{
	pthread_mutex_lock(&x->lock);
	if (pending && !x->pending) {
		x->pending = true;
		intx_try_trigger(x);
	}
	x->pending = pending;
	pthread_mutex_unlock(&x->lock);
}

void intx__set_guest_mask(struct intx *x, bool masked)
{
	pthread_mutex_lock(&x->lock);
	/*
	 * Masking does not retract a trigger in flight: the GSI stays asserted
	 * until the guest's EOI, as with vfio-pci's virq_disabled. A guest
	 * that masks in its handler (uio_pci_generic) EOIs right after.
	 */
	if (!masked && x->guest_masked) {
		x->guest_masked = false;
		intx_try_trigger(x);
	}
	x->guest_masked = masked;
	pthread_mutex_unlock(&x->lock);
}

void intx__eoi(struct intx *x)
{
	pthread_mutex_lock(&x->lock);
	x->in_flight = false;
	if (x->pending && !x->guest_masked)
		x->sink.schedule_retry(x->sink.opaque);
	pthread_mutex_unlock(&x->lock);
}

void intx__retry(struct intx *x)
{
	pthread_mutex_lock(&x->lock);
	intx_try_trigger(x);
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
INTX_GETTER(in_flight, bool)
INTX_GETTER(triggers, uint64_t)
