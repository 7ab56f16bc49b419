// SPDX-License-Identifier: GPL-2.0
/* --passthrough BDF[,slot=N][,backend=...][,managed][,msix=on|off][,fault=NAME], and BDFs alone. */
#include "passthrough.h"
#include "backend_choice.h"
#include "parse_num.h"

#include <pci/pci.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct parse_name fault_names[] = {
	{ "none", PT_FAULT_NONE },
	{ "local-intx-disable", PT_FAULT_LOCAL_INTX_DISABLE },
	{ "stale-status", PT_FAULT_STALE_STATUS },
	{ "byte-command", PT_FAULT_BYTE_COMMAND },
	{ NULL, 0 },
};

bool passthrough__parse_bdf(const char *s, struct passthrough_opts *pt, const char *what, FILE *err)
{
	struct pci_filter filter;
	const char *msg;

	pci_filter_init(NULL, &filter);
	msg = pci_filter_parse_slot(&filter, (char *)s);
	if (msg) {
		fprintf(err, "pcivmm: error: %s %s: %s; give a BDF like 0000:00:04.0\n", what, s, msg);
		return false;
	}
	/* libpci takes "00:04" as every function of slot 4: say what is missing. */
	if (filter.bus >= 0 && filter.slot >= 0 && filter.func < 0) {
		fprintf(err, "pcivmm: error: %s %s: no function number; give one function, like %s.0\n", what,
			s, s);
		return false;
	}
	if (filter.bus < 0 || filter.slot < 0 || filter.func < 0) {
		fprintf(err, "pcivmm: error: %s %s: wildcards are not allowed; give one device like 0000:00:04.0\n",
			what, s);
		return false;
	}
	pt->domain = filter.domain < 0 ? 0 : filter.domain;
	pt->bus = filter.bus;
	pt->dev = filter.slot;
	pt->func = filter.func;
	/* The whole domain: masking it to 16 bits would name another device. */
	snprintf(pt->bdf, sizeof(pt->bdf), "%04x:%02x:%02x.%x", (unsigned)pt->domain,
		 pt->bus & 0xff, pt->dev & 0x1f, pt->func & 7);
	return true;
}

/*
 * "BDF[,slot=N][,backend=B][,managed][,msix=on|off][,fault=NAME]": the BDF
 * goes through libpci's own slot parser, the sub-options through
 * getsubopt(3). Each may be given once; a value where none belongs
 * (managed=1), none where one does (slot) or an unknown name is refused.
 */
bool passthrough__parse_option(const char *arg, struct passthrough_opts *pt, FILE *err)
{
	enum { SUB_SLOT, SUB_FAULT, SUB_BACKEND, SUB_MANAGED, SUB_MSIX };
	static char *const sub_names[] = { "slot", "fault", "backend", "managed", "msix", NULL };
	char buf[64], *opts, *tok, *value;
	unsigned seen = 0; /* sub-options given, one bit each */
	unsigned long slot;
	bool ok;
	int sub, fault;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(err, "pcivmm: error: --passthrough %.32s...: too long; give a BDF like 0000:00:04.0\n", arg);
		return false;
	}
	/* Every field set here: a caller's struct may hold anything (the API's does). */
	*pt = (struct passthrough_opts){ .slot = -1, .fault = PT_FAULT_NONE,
					 .backend = PT_BACKEND_AUTO };
	strcpy(buf, arg);
	opts = strchr(buf, ',');
	if (opts)
		*opts++ = '\0';
	if (!buf[0]) {
		fprintf(err, "pcivmm: error: --passthrough: no device given; give a BDF like 0000:00:04.0\n");
		return false;
	}
	if (!passthrough__parse_bdf(buf, pt, "--passthrough", err))
		return false;
	while (opts && *opts) {
		tok = opts; /* the whole "name[=value]" once getsubopt has cut it off */
		sub = getsubopt(&opts, sub_names, &value);
		if (sub >= 0 && (seen & (1u << sub))) {
			fprintf(err, "pcivmm: error: --passthrough %s: %s given twice; give it once\n",
				pt->bdf, sub_names[sub]);
			return false;
		}
		switch (sub) {
		case SUB_SLOT:
			ok = value && parse__uint(value, 31, &slot) && slot > 0;
			if (ok)
				pt->slot = slot;
			break;
		case SUB_FAULT:
			ok = value && parse__name(value, fault_names, &fault);
			if (ok)
				pt->fault = fault;
			break;
		case SUB_BACKEND: ok = value && pt_backend__parse(value, &pt->backend); break;
		case SUB_MANAGED: ok = !value; pt->managed = true; break;
		case SUB_MSIX:
			ok = value && (!strcmp(value, "on") || !strcmp(value, "off"));
			pt->msix_off = ok && !strcmp(value, "off");
			break;
		default: ok = false; break;
		}
		if (!ok) {
			fprintf(err, "pcivmm: error: --passthrough %s: bad option '%s'; use slot=N (1-31), backend=vfio|kvm-assign, managed, msix=on|off\n",
				pt->bdf, tok);
			return false;
		}
		seen |= 1u << sub;
	}
	if (pt->managed && pt->backend == PT_BACKEND_KVM_ASSIGN) {
		fprintf(err, "pcivmm: error: --passthrough %s: managed binds the device to vfio-pci; it cannot go with backend=kvm-assign\n",
			pt->bdf);
		return false;
	}
	return true;
}
