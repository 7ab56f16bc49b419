// SPDX-License-Identifier: GPL-2.0
#include "api_double.h"

#include <string.h>

#define COUNTED_QUERY(op)                                   \
	static json_t *double_##op(void *ctx)               \
	{                                                   \
		struct api_double *d = ctx;                 \
		d->calls++;                                 \
		d->op++;                                    \
		return json_pack("{ss}", "op", #op);        \
	}
#define COUNTED_ACTION(op)                                  \
	static struct api_reply double_##op(void *ctx)      \
	{                                                   \
		struct api_double *d = ctx;                 \
		d->calls++;                                 \
		d->op++;                                    \
		return api__ok(NULL);                       \
	}
COUNTED_QUERY(ping)
COUNTED_QUERY(info)
COUNTED_QUERY(counters)
COUNTED_ACTION(pause)
COUNTED_ACTION(resume)
COUNTED_ACTION(power_button)
COUNTED_ACTION(shutdown)

static struct api_reply double_add(void *ctx, const struct api_device_spec *spec)
{
	struct api_double *d = ctx;

	d->calls++;
	d->add++;
	d->last_spec = *spec;
	return api__ok(json_pack("{ss}", "id", "testdev9"));
}

static struct api_reply double_remove(void *ctx, const char *id, struct api_pending *later)
{
	struct api_double *d = ctx;

	d->calls++;
	d->remove++;
	(void)later;
	strncpy(d->last_id, id, sizeof(d->last_id) - 1);
	return api__ok(NULL);
}

void api_double__init(struct api_double *d)
{
	memset(d, 0, sizeof(*d));
	d->ops = (struct api_ops){
		.ctx = d, .ping = double_ping, .info = double_info, .counters = double_counters,
		.pause = double_pause, .resume = double_resume, .power_button = double_power_button,
		.shutdown = double_shutdown, .add_device = double_add, .remove_device = double_remove,
	};
}
