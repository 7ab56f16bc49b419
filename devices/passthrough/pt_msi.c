// SPDX-License-Identifier: GPL-2.0
/*
 * MSI of a passed-through function (PCI 3.0 6.8.1). The guest sees an
 * emulated capability: the device's 64-bit-ness, one vector (Multiple
 * Message Capable 0), no per-vector masking; its message address and data
 * stay in our model and never reach the device, whose real message the host
 * kernel programs when the backend enables MSI (vfio-pci). The guest's
 * message becomes a KVM MSI route (irq_routing.h) that the backend's irqfd
 * fires, so an MSI costs no exit to pcivmm:
 *   enable     route(addr, data), backend msi_enable: INTx down, MSI up
 *   new message while enabled: the route follows (affinity changes)
 *   disable    backend msi_disable: MSI down, INTx back (with a final
 *              unmask, so an EOI missed meanwhile is not lost); route freed
 * Multi-message MSI and per-vector masking are not offered: a guest driver
 * then uses one vector. One is what an x86 Linux guest would take anyway
 * on this machine: Linux gives a device several MSI vectors only through
 * an interrupt-remapping domain (MSI_FLAG_MULTI_PCI_MSI is added by the
 * Intel DMAR and AMD-Vi IR parents, not by the plain vector domain's
 * X86_VECTOR_MSI_FLAGS_SUPPORTED), and pcivmm offers no virtual IOMMU.
 * A driver that wants a vector per queue uses MSI-X (pt_msix.c), as the
 * nvme job shows with three.
 */
#include "pt.h"
#include "irq_routing.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

unsigned pt_msi__setup(struct pt_dev *pt, unsigned cap, uint16_t dev_flags)
{
	struct pci_config *c = &pt->pci.cfg;
	bool is64 = dev_flags & PCI_MSI_FLAGS_64BIT;

	pt->msi = (struct pt_msi){ .cap = cap, .is64 = is64, .gsi = -1, .efd = -1 };
	pci_config__set(c, cap, 1, PCI_CAP_ID_MSI);
	pci_config__set(c, cap + PCI_MSI_FLAGS, 2, is64 ? PCI_MSI_FLAGS_64BIT : 0);
	pci_config__set_wmask(c, cap + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	pci_config__set_wmask(c, cap + PCI_MSI_ADDRESS_LO, 4, 0xfffffffc); /* dword aligned */
	if (is64) {
		pci_config__set_wmask(c, cap + PCI_MSI_ADDRESS_HI, 4, 0xffffffff);
		pci_config__set_wmask(c, cap + PCI_MSI_DATA_64, 2, 0xffff);
		return PCI_MSI_DATA_64 + 2;
	}
	pci_config__set_wmask(c, cap + PCI_MSI_DATA_32, 2, 0xffff);
	return PCI_MSI_DATA_32 + 2;
}

static void msi_read_message(struct pt_dev *pt, uint64_t *addr, uint32_t *data)
{
	const struct pci_config *c = &pt->pci.cfg;
	unsigned cap = pt->msi.cap;

	*addr = pci_config__read(c, cap + PCI_MSI_ADDRESS_LO, 4);
	if (pt->msi.is64)
		*addr |= (uint64_t)pci_config__read(c, cap + PCI_MSI_ADDRESS_HI, 4) << 32;
	*data = pci_config__read(c, cap + (pt->msi.is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32), 2);
}

/* A route KVM refuses (a message it finds invalid) is the guest's loss: one warning. */
static void msi_route_failed(struct pt_dev *pt, int err)
{
	if (pt->msi.route_failure_reported)
		return;
	pt->msi.route_failure_reported = true;
	pr_warn("%s: the guest's MSI message 0x%llx/0x%x cannot be routed (%s): its MSIs are lost; further failures are not reported",
		pt->bdf, (unsigned long long)pt->msi.addr, pt->msi.data, strerror(-err));
}

static void msi_on(struct pt_dev *pt)
{
	int gsi, efd, ret;

	/* PCI 3.0 6.8: software must not enable both; the device's behaviour is undefined. */
	if (pt->msix.enabled) {
		pr_warn_ratelimited("%s: the guest enabled MSI with MSI-X on; MSI stays off",
				    pt->bdf);
		return;
	}
	gsi = irq_routing__add_msi(pt->vm, pt->msi.addr, pt->msi.data);

	if (gsi < 0) {
		msi_route_failed(pt, gsi);
		return;
	}
	/* The device's vector 0 signals efd, an irqfd on the route: no exit per MSI. */
	efd = eventfd(0, EFD_CLOEXEC);
	ret = efd < 0 ? -errno : vm__add_irqfd(pt->vm, gsi, efd);
	if (!ret) {
		ret = pt->backend->msi_enable(pt, PT_MSI, 1, &efd);
		if (ret)
			vm__del_irqfd(pt->vm, gsi, efd);
	}
	if (ret) {
		pr_warn_ratelimited("%s: enabling MSI failed (%s): the guest gets no MSIs from it",
				    pt->bdf, strerror(-ret));
		if (efd >= 0)
			close(efd);
		irq_routing__del_msi(pt->vm, gsi);
		return;
	}
	pt->msi.gsi = gsi;
	pt->msi.efd = efd;
	pt->msi.enabled = true;
	pr_debug_ratelimited("%s: MSI on: message 0x%llx/0x%x on GSI %d", pt->bdf,
		 (unsigned long long)pt->msi.addr, pt->msi.data, gsi);
	pt->pci.stats.msi_enables++;
}

static void msi_off(struct pt_dev *pt, bool restore_intx)
{
	pt->backend->msi_disable(pt, PT_MSI, restore_intx);
	vm__del_irqfd(pt->vm, pt->msi.gsi, pt->msi.efd);
	close(pt->msi.efd);
	irq_routing__del_msi(pt->vm, pt->msi.gsi);
	pt->msi.gsi = pt->msi.efd = -1;
	pt->msi.enabled = false;
}

void pt_msi__update(struct pt_dev *pt)
{
	bool enable = pci_config__read(&pt->pci.cfg, pt->msi.cap + PCI_MSI_FLAGS, 2) &
		      PCI_MSI_FLAGS_ENABLE;
	uint64_t addr;
	uint32_t data;
	int ret;

	msi_read_message(pt, &addr, &data);
	if (enable && !pt->msi.enabled) {
		pt->msi.addr = addr;
		pt->msi.data = data;
		msi_on(pt);
	} else if (!enable && pt->msi.enabled) {
		msi_off(pt, true);
		pr_debug_ratelimited("%s: MSI off, INTx back", pt->bdf);
	} else if (enable && (addr != pt->msi.addr || data != pt->msi.data)) {
		pt->msi.addr = addr;
		pt->msi.data = data;
		ret = irq_routing__set_msi(pt->vm, pt->msi.gsi, addr, data);
		if (ret)
			msi_route_failed(pt, ret);
		pr_debug_ratelimited("%s: MSI message now 0x%llx/0x%x", pt->bdf, (unsigned long long)addr, data);
	}
}

void pt_msi__exit(struct pt_dev *pt)
{
	if (pt->msi.enabled)
		msi_off(pt, false);
}
