// SPDX-License-Identifier: GPL-2.0
#include "backend_choice.h"

#include <string.h>

struct pt_backend_choice pt_backend__choose(const char *driver, bool kvm_cap_pci_2_3,
					    enum passthrough_backend asked)
{
	bool on_vfio = !strcmp(driver, "vfio-pci");
	/* pci-stub only claims a device so that no real driver does. */
	bool free_for_kvm = !driver[0] || !strcmp(driver, "pci-stub");
	struct pt_backend_choice c = { .backend = asked, .why = "as asked" };

	if (asked == PT_BACKEND_AUTO) {
		if (on_vfio) {
			c.backend = PT_BACKEND_VFIO;
			c.why = "bound to vfio-pci";
		} else if (kvm_cap_pci_2_3 && free_for_kvm) {
			c.backend = PT_BACKEND_KVM_ASSIGN;
			c.why = "not bound to vfio-pci, and KVM has KVM_CAP_PCI_2_3";
		} else {
			c.backend = PT_BACKEND_VFIO; /* the common case: say what VFIO needs */
			c.why = "VFIO, once bound to vfio-pci";
		}
	}
	if (c.backend == PT_BACKEND_VFIO && !on_vfio)
		c.problem = PT_CHOICE_BIND_VFIO;
	else if (c.backend == PT_BACKEND_KVM_ASSIGN && !kvm_cap_pci_2_3)
		c.problem = PT_CHOICE_NO_KVM_ASSIGN;
	else if (c.backend == PT_BACKEND_KVM_ASSIGN && !free_for_kvm)
		c.problem = PT_CHOICE_UNBIND;
	return c;
}
