// SPDX-License-Identifier: GPL-2.0
/* --passthrough: host checks, backend, guest slot, INTx, teardown. */
#include "passthrough.h"
#include "backend_choice.h"
#include "binding.h"
#include "host_dev.h"
#include "host_net.h"
#include "pt.h"
#include "reaper.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The device given up, on every path (a VM's end, a failed setup): leave it
 * asserting nothing on the host line (the reaper holds the last file of a
 * VFIO device: the release happens when it lets go, and it masks the device
 * right after), back on its driver if managed, and pt freed. Only a device
 * we had (pt->acquired) is released, never one another VM holds.
 */
static void pt_disown(struct pt_dev *pt, const char *after)
{
	if (pt->acquired && reaper__release(pt->bdf) == 1)
		pr_warn("%s: still asserting INTx after %s; left with INTX_DISABLE set so the host line stays quiet",
			pt->bdf, after);
	if (pt->managed)
		reaper__give_back(pt->bdf);
	free(pt);
}

static void pt_destroy(struct vm *vm, void *opaque)
{
	struct pt_dev *pt = opaque;

	(void)vm;
	if (pt->pci.host)
		pci_host__remove(pt->pci.host, &pt->pci);
	pt_msi__exit(pt);
	pt_msix__exit(pt);
	pt->backend->close(pt);
	pt_disown(pt, "the VM");
}

/*
 * Host checks before anything is done to the device (,managed's driver
 * switch included), most fundamental first: the device, not a bridge, an
 * IOMMU (both backends confine DMA with it).
 */
static int pt_host_checks(const char *bdf)
{
	if (!host_dev__exists(bdf)) {
		pr_err("%s: no such PCI device on this host; check the address with lspci -D", bdf);
		return -ENODEV;
	}
	/* Class 06xx: host, ISA, PCI-to-PCI bridges. Their functions are the host's plumbing. */
	if ((host_dev__class(bdf) >> 8) == 0x06) {
		pr_err("%s: is a bridge (class %04x); pcivmm passes endpoint devices, not bridges",
		       bdf, host_dev__class(bdf));
		return -EINVAL;
	}
	if (host_dev__iommu_group(bdf) < 0) {
		pr_err("%s: no IOMMU group: the host has no IOMMU enabled; boot it with intel_iommu=on or amd_iommu=on",
		       bdf);
		return -ENODEV;
	}
	return 0;
}

/* The backend (backend_choice.h's rule), or one line saying what to do. */
static int pt_choose_backend(struct passthrough_ctx *ctx, const struct passthrough_opts *opt,
			     enum passthrough_backend *backend, const char **why)
{
	const char *bdf = opt->bdf;
	struct pt_backend_choice c;
	char driver[64];

	host_dev__driver(bdf, driver, sizeof(driver));
	c = pt_backend__choose(driver, kvm_assign_backend.available(ctx), opt->backend);
	*backend = c.backend;
	*why = c.why;
	switch (c.problem) {
	case PT_CHOICE_OK:
		return 0;
	case PT_CHOICE_BIND_VFIO:
		if (driver[0])
			pr_err("%s: bound to %s, not vfio-pci; run scripts/vfio-bind %s, or pass it with ,managed",
			       bdf, driver, bdf);
		else
			pr_err("%s: not bound to any driver; run scripts/vfio-bind %s, or pass it with ,managed",
			       bdf, bdf);
		return -EBUSY;
	case PT_CHOICE_NO_KVM_ASSIGN:
		pr_err("%s: this KVM has no legacy device assignment (KVM_CAP_PCI_2_3); load the modules kernel-patch/build makes, or use backend=vfio",
		       bdf);
		return -ENOTSUP;
	case PT_CHOICE_UNBIND:
		pr_err("%s: bound to %s; unbind it (echo %s > /sys/bus/pci/devices/%s/driver/unbind) for backend=kvm-assign",
		       bdf, driver, bdf, bdf);
		return -EBUSY;
	}
	return -EINVAL;
}

/* What the startup line says of MSI and MSI-X. */
static const char *pt_msi_offer(const struct pt_dev *pt)
{
	if (pt->msi.cap && pt->msix.cap)
		return "; MSI (one vector) and MSI-X offered";
	if (pt->msix.cap)
		return "; MSI-X offered";
	if (pt->msi.cap)
		return pt->hidden_caps ? "; MSI offered (one vector), MSI-X hidden"
				       : "; MSI offered (one vector)";
	return pt->hidden_caps ? "; MSI/MSI-X hidden (INTx only)" : "";
}

static void pt_report(struct pt_dev *pt, const char *why)
{
	char name[128], sharers[512];
	int irq;

	host_dev__describe(pt->bdf, name, sizeof(name));
	pt->pci.backend = pt->backend->name; /* vm.info */
	/*
	 * A function without a pin (PCI_INTERRUPT_PIN 0: every SR-IOV VF,
	 * whose sysfs irq then reads 0, which is no line of its own) has no
	 * INTx to report, count or route.
	 */
	if (!pt->pci.pin) {
		pr_info("%s (%s) -> guest 00:%02x.0 via %s (%s); no INTx (no pin)%s", pt->bdf,
			name, pt->pci.slot, pt->backend->name, why, pt_msi_offer(pt));
		return;
	}
	irq = host_dev__irq(pt->bdf);
	host_dev__irq_sharers(irq, pt->bdf, sharers, sizeof(sharers));
	/* For --stats: KVM delivers this device's INTx; the host line is what we can count. */
	pt->pci.stats.kernel_delivers = true;
	pt->pci.stats.host_irq = irq;
	pt->pci.stats.host_irq_start = host_dev__irq_count(irq);
	pr_info("%s (%s) -> guest 00:%02x.0 via %s (%s); INT%c host IRQ %d%s%s -> GSI %u%s",
		pt->bdf, name, pt->pci.slot, pt->backend->name, why, 'A' + pt->pci.pin - 1, irq,
		sharers[0] ? " shared with " : " unshared", sharers, pt->pci.gsi,
		pt_msi_offer(pt));
	/*
	 * Both backends learn of the guest's EOI from KVM (the resampling
	 * irqfd, the kernel patch's ack notifier). A KVM that EOIs at
	 * injection tells them before the handler has run: the device, still
	 * asserting, is unmasked and interrupts again. pcivmm sees neither
	 * the device's acknowledge nor the real EOI, so it has no exact way
	 * (devices/INTX-MASKING.md, "KVM hosts").
	 */
	if (vm__eoi_at_injection(pt->vm))
		pr_warn("%s: this host's KVM EOIs level-triggered interrupts as it injects them (the probe in pcivmm -v): the device's INTx is unmasked again before the guest's handler has run, so the guest may take each interrupt twice, the second finding nothing to do; use MSI/MSI-X in the guest where the device has it, or a KVM that waits for the guest's EOI",
			pt->bdf);
}

void passthrough__unplug(struct vm *vm, struct pci_device *pci)
{
	vm__run_teardown_now(vm, pt_destroy, (char *)pci - offsetof(struct pt_dev, pci));
}

int passthrough__create(struct passthrough_ctx *ctx, const struct passthrough_opts *opt,
			struct pci_device **out)
{
	enum passthrough_backend backend;
	const char *why = "";
	struct pt_dev *pt;
	int ret;

	ret = pt_host_checks(opt->bdf);
	if (ret)
		return ret;
	if (opt->managed) {
		struct host_net net;
		char what[320];

		host_net__query(opt->bdf, &net);
		if (host_net__describe_up(&net, what, sizeof(what)))
			pr_warn("%s: %s; the host loses it while pcivmm has the device", opt->bdf, what);
		ret = binding__take(opt->bdf);
		if (ret)
			return ret;
	}
	ret = pt_choose_backend(ctx, opt, &backend, &why);
	pt = ret ? NULL : calloc(1, sizeof(*pt));
	if (!pt) {
		if (opt->managed)
			binding__give_back(opt->bdf, getpid());
		return ret ? ret : -ENOMEM;
	}
	pt->vm = ctx->vm;
	pt->managed = opt->managed;
	pt->msix_off = opt->msix_off;
	snprintf(pt->bdf, sizeof(pt->bdf), "%s", opt->bdf);
	ret = pt_backend__ops(backend)->open(ctx, pt);
	if (ret) {
		if (pt->backend)
			pt->backend->close(pt); /* what open did, whichever step failed */
		pt_disown(pt, "the failed setup");
		return ret;
	}
	pt->fault = opt->fault;
	pt_faults__install(pt);
	if (pt->fault)
		pr_warn("%s: fault injected on purpose: guests will see a broken device", pt->bdf);
	snprintf(pt->pci.host_bdf, sizeof(pt->pci.host_bdf), "%s", pt->bdf);
	ret = pci_host__add(ctx->host, &pt->pci, opt->slot);
	if (ret) {
		pr_err("%s: guest slot %d: %s; pick a free slot from 1 to 31 with ,slot=N", pt->bdf,
		       opt->slot, ret == -EBUSY ? "already taken" : "no free slot");
		pt_destroy(ctx->vm, pt);
		return ret;
	}
	snprintf(pt->pci.name, sizeof(pt->pci.name), "%s (guest 00:%02x.0)", pt->bdf, pt->pci.slot);
	ret = pt->backend->enable_intx(pt);
	if (ret) {
		pt_destroy(ctx->vm, pt);
		return ret;
	}
	pt_report(pt, why);
	if (!pt->pci.pin && !pt->msi.cap && !pt->msix.cap)
		pr_warn("%s: has no INTx pin and no MSI or MSI-X pcivmm can offer (kvm-assign assigns INTx only): the guest gets no interrupts from it",
			pt->bdf);
	vm__add_teardown(ctx->vm, pt_destroy, pt);
	if (out)
		*out = &pt->pci;
	return 0;
}
