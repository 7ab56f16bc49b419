// SPDX-License-Identifier: GPL-2.0
/* The passthrough backends as one table: what each asks for, its ops (backend_choice.h). */
#include "backend_choice.h"
#include "pt.h"

#include <stddef.h>
#include <string.h>

static enum pt_choice_problem vfio_lacks(const char *driver, bool kvm_cap_pci_2_3)
{
	(void)kvm_cap_pci_2_3;
	return strcmp(driver, "vfio-pci") ? PT_CHOICE_BIND_VFIO : PT_CHOICE_OK;
}

/* Both ask that no host driver touches the device; pci-stub only claims it so that none does. */
static enum pt_choice_problem kvm_assign_lacks(const char *driver, bool kvm_cap_pci_2_3)
{
	if (!kvm_cap_pci_2_3)
		return PT_CHOICE_NO_KVM_ASSIGN;
	if (driver[0] && strcmp(driver, "pci-stub"))
		return PT_CHOICE_UNBIND;
	return PT_CHOICE_OK;
}

/*
 * The backends, in the order backend=auto tries them; the first is also
 * the one named when none can have the device as it is. A third backend
 * is a row here (and a value of enum passthrough_backend).
 */
static const struct pt_backend_row {
	enum passthrough_backend backend;
	const struct pt_backend_ops *ops; /* ops->name is backend=NAME's */
	const char *why;                  /* why auto picks it */
	const char *why_once;             /* the first row: why auto names it when none fits */
	/* What the device or KVM lacks for it: PT_CHOICE_OK when nothing. */
	enum pt_choice_problem (*lacks)(const char *driver, bool kvm_cap_pci_2_3);
} backends[] = {
	{ PT_BACKEND_VFIO, &vfio_backend, "bound to vfio-pci", "VFIO, once bound to vfio-pci",
	  vfio_lacks },
	{ PT_BACKEND_KVM_ASSIGN, &kvm_assign_backend,
	  "not bound to vfio-pci, and KVM has KVM_CAP_PCI_2_3", NULL, kvm_assign_lacks },
};

#define NR_BACKENDS (sizeof(backends) / sizeof(backends[0]))

static const struct pt_backend_row *pt_backend_row(enum passthrough_backend b)
{
	for (size_t i = 0; i < NR_BACKENDS; i++)
		if (backends[i].backend == b)
			return &backends[i];
	return NULL;
}

struct pt_backend_choice pt_backend__choose(const char *driver, bool kvm_cap_pci_2_3,
					    enum passthrough_backend asked)
{
	const struct pt_backend_row *r = pt_backend_row(asked);

	if (r)
		return (struct pt_backend_choice){ asked, "as asked",
						   r->lacks(driver, kvm_cap_pci_2_3) };
	for (size_t i = 0; i < NR_BACKENDS; i++)
		if (backends[i].lacks(driver, kvm_cap_pci_2_3) == PT_CHOICE_OK)
			return (struct pt_backend_choice){ backends[i].backend, backends[i].why,
							   PT_CHOICE_OK };
	/* The common case: say what the first (VFIO) needs. */
	return (struct pt_backend_choice){ backends[0].backend, backends[0].why_once,
					   backends[0].lacks(driver, kvm_cap_pci_2_3) };
}

const struct pt_backend_ops *pt_backend__ops(enum passthrough_backend b)
{
	const struct pt_backend_row *r = pt_backend_row(b);

	return r ? r->ops : NULL;
}

bool pt_backend__parse(const char *name, enum passthrough_backend *b)
{
	for (size_t i = 0; i < NR_BACKENDS; i++) {
		if (!strcmp(name, backends[i].ops->name)) {
			*b = backends[i].backend;
			return true;
		}
	}
	return false;
}
