// SPDX-License-Identifier: GPL-2.0
/* --passthrough BDF[,slot=N][,backend=...][,managed][,msix=on|off][,fault=NAME], and BDFs alone. */
#include "passthrough.h"
#include "parse_num.h"

#include <pci/pci.h>
#include <stdio.h>
#include <string.h>

static bool parse_fault(const char *name, enum passthrough_fault *fault)
{
	if (!strcmp(name, "none"))
		*fault = PT_FAULT_NONE;
	else if (!strcmp(name, "local-intx-disable"))
		*fault = PT_FAULT_LOCAL_INTX_DISABLE;
	else if (!strcmp(name, "stale-status"))
		*fault = PT_FAULT_STALE_STATUS;
	else if (!strcmp(name, "byte-command"))
		*fault = PT_FAULT_BYTE_COMMAND;
	else
		return false;
	return true;
}

static bool parse_backend(const char *name, enum passthrough_backend *backend)
{
	if (!strcmp(name, "vfio"))
		*backend = PT_BACKEND_VFIO;
	else if (!strcmp(name, "kvm-assign"))
		*backend = PT_BACKEND_KVM_ASSIGN;
	else
		return false;
	return true;
}

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

/* "BDF[,slot=N]": the BDF goes through libpci's own slot parser. */
bool passthrough__parse_option(const char *arg, struct passthrough_opts *pt, FILE *err)
{
	char buf[64], *opts, *tok, *save;
	unsigned seen = 0; /* sub-options given, one bit each */
	unsigned long slot;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(err, "pcivmm: error: --passthrough %.32s...: too long; give a BDF like 0000:00:04.0\n", arg);
		return false;
	}
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
	pt->slot = -1;
	pt->fault = PT_FAULT_NONE;
	for (tok = opts ? strtok_r(opts, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save)) {
		static const char *const names[] = { "slot=", "fault=", "backend=", "managed", "msix=" };

		for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strncmp(tok, names[i], strlen(names[i])))
				continue;
			if (seen & (1u << i)) {
				fprintf(err, "pcivmm: error: --passthrough %s: %.*s given twice; give it once\n",
					pt->bdf, (int)strcspn(names[i], "="), names[i]);
				return false;
			}
			seen |= 1u << i;
		}
		if (!strncmp(tok, "slot=", 5) && parse__uint(tok + 5, 31, &slot) && slot > 0) {
			pt->slot = slot;
		} else if (!strncmp(tok, "fault=", 6) && parse_fault(tok + 6, &pt->fault)) {
			continue;
		} else if (!strncmp(tok, "backend=", 8) &&
			   parse_backend(tok + 8, &pt->backend)) {
			continue;
		} else if (!strcmp(tok, "managed")) {
			pt->managed = true;
		} else if (!strcmp(tok, "msix=on") || !strcmp(tok, "msix=off")) {
			pt->msix_off = !strcmp(tok, "msix=off");
		} else {
			fprintf(err, "pcivmm: error: --passthrough %s: bad option '%s'; use slot=N (1-31), backend=vfio|kvm-assign, managed, msix=on|off\n",
				pt->bdf, tok);
			return false;
		}
	}
	if (pt->managed && pt->backend == PT_BACKEND_KVM_ASSIGN) {
		fprintf(err, "pcivmm: error: --passthrough %s: managed binds the device to vfio-pci; it cannot go with backend=kvm-assign\n",
			pt->bdf);
		return false;
	}
	return true;
}
