// SPDX-License-Identifier: GPL-2.0
/*
 * The one backend rule (backend_choice.h) that --passthrough and pcivmm
 * check follow, for every driver state, KVM capability and backend= value.
 */
#include "unit.h"
#include "backend_choice.h"

struct row {
	const char *driver;
	bool cap_pci_2_3;
	enum passthrough_backend asked, got;
	enum pt_choice_problem problem;
};

TEST(every_driver_capability_and_request_gets_the_documented_backend)
{
	static const struct row rows[] = {
		/* backend= not given */
		{ "vfio-pci", false, PT_BACKEND_AUTO, PT_BACKEND_VFIO, PT_CHOICE_OK },
		{ "vfio-pci", true, PT_BACKEND_AUTO, PT_BACKEND_VFIO, PT_CHOICE_OK },
		{ "", true, PT_BACKEND_AUTO, PT_BACKEND_KVM_ASSIGN, PT_CHOICE_OK },
		{ "pci-stub", true, PT_BACKEND_AUTO, PT_BACKEND_KVM_ASSIGN, PT_CHOICE_OK },
		{ "", false, PT_BACKEND_AUTO, PT_BACKEND_VFIO, PT_CHOICE_BIND_VFIO },
		{ "pci-stub", false, PT_BACKEND_AUTO, PT_BACKEND_VFIO, PT_CHOICE_BIND_VFIO },
		{ "e1000e", true, PT_BACKEND_AUTO, PT_BACKEND_VFIO, PT_CHOICE_BIND_VFIO },
		{ "e1000e", false, PT_BACKEND_AUTO, PT_BACKEND_VFIO, PT_CHOICE_BIND_VFIO },
		/* backend=vfio */
		{ "vfio-pci", true, PT_BACKEND_VFIO, PT_BACKEND_VFIO, PT_CHOICE_OK },
		{ "", true, PT_BACKEND_VFIO, PT_BACKEND_VFIO, PT_CHOICE_BIND_VFIO },
		/* backend=kvm-assign */
		{ "", true, PT_BACKEND_KVM_ASSIGN, PT_BACKEND_KVM_ASSIGN, PT_CHOICE_OK },
		{ "pci-stub", true, PT_BACKEND_KVM_ASSIGN, PT_BACKEND_KVM_ASSIGN, PT_CHOICE_OK },
		{ "", false, PT_BACKEND_KVM_ASSIGN, PT_BACKEND_KVM_ASSIGN, PT_CHOICE_NO_KVM_ASSIGN },
		{ "vfio-pci", true, PT_BACKEND_KVM_ASSIGN, PT_BACKEND_KVM_ASSIGN, PT_CHOICE_UNBIND },
		{ "e1000e", true, PT_BACKEND_KVM_ASSIGN, PT_BACKEND_KVM_ASSIGN, PT_CHOICE_UNBIND },
	};

	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pt_backend_choice c =
			pt_backend__choose(rows[i].driver, rows[i].cap_pci_2_3, rows[i].asked);

		EXPECT_EQ(c.backend, rows[i].got);
		EXPECT_EQ(c.problem, rows[i].problem);
		EXPECT(c.why && c.why[0]);
	}
}
