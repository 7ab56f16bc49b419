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

/* Lock held: drives the line to pending && !guest_masked if it is not there yet. */
static void intx_update_level(struct intx *x)
{
	bool level = x->pending && !x->guest_masked;

	if (level == x->level)
		return;
	x->level = level;
	x->sink.set_level(x->sink.opaque, level);
}

void intx__set_pending(struct intx *x, bool pending)
{
	pthread_mutex_lock(&x->lock);
	x->pending = pending;
	intx_update_level(x);
	pthread_mutex_unlock(&x->lock);
}

void intx__set_guest_mask(struct intx *x, bool masked)
{
	pthread_mutex_lock(&x->lock);
	x->guest_masked = masked;
	intx_update_level(x);
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
