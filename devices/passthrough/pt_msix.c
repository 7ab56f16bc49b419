// SPDX-License-Identifier: GPL-2.0
/*
 * MSI-X of a passed-through function (PCI 3.0 6.8.2). The capability's
 * Message Control (enable, function mask) and the whole vector table are
 * our model's: the guest's messages never reach the device, whose real
 * table the host kernel programs when the backend enables MSI-X (vfio-pci);
 * the backend keeps the table's and the PBA's pages out of the guest's
 * direct BAR mapping so every access to them comes here.
 *
 * Each device vector signals an eventfd (made at enable, handed to the
 * backend). A vector that is deliverable (MSI-X on, function not masked,
 * its own mask clear) has a KVM MSI route for the guest's message and its
 * eventfd is an irqfd on that route: no exit per interrupt. A masked vector
 * has no irqfd, so its interrupts stay counted in the eventfd: that is its
 * Pending Bit (the PBA reads it without consuming it), and when the vector
 * is unmasked KVM_IRQFD, finding the eventfd already signalled, delivers
 * the message once: nothing raised while masked is lost.
 */
#include "pt.h"
#include "irq_routing.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define ENTRY_SIZE PCI_MSIX_ENTRY_SIZE /* 16: address lo, hi, data, vector control */

unsigned pt_msix__setup(struct pt_dev *pt, unsigned cap, const uint8_t *raw)
{
	struct pci_config *c = &pt->pci.cfg;
	struct pt_msix *m = &pt->msix;
	uint16_t flags = raw[cap + PCI_MSIX_FLAGS] | raw[cap + PCI_MSIX_FLAGS + 1] << 8;
	uint32_t table, pba;

	memcpy(&table, raw + cap + PCI_MSIX_TABLE, 4);
	memcpy(&pba, raw + cap + PCI_MSIX_PBA, 4);
	*m = (struct pt_msix){
		.cap = cap,
		.nr = (flags & PCI_MSIX_FLAGS_QSIZE) + 1,
		.table_bar = table & PCI_MSIX_TABLE_BIR,
		.table_off = table & PCI_MSIX_TABLE_OFFSET,
		.pba_bar = pba & PCI_MSIX_PBA_BIR,
		.pba_off = pba & PCI_MSIX_PBA_OFFSET,
	};
	m->vec = calloc(m->nr, sizeof(*m->vec));
	if (!m->vec) {
		m->cap = 0;
		return 0;
	}
	pthread_mutex_init(&m->lock, NULL);
	for (unsigned i = 0; i < m->nr; i++)
		m->vec[i] = (struct pt_msix_vector){ .ctrl = PCI_MSIX_ENTRY_CTRL_MASKBIT,
						     .efd = -1, .gsi = -1 };
	pci_config__set(c, cap, 1, PCI_CAP_ID_MSIX);
	pci_config__set(c, cap + PCI_MSIX_FLAGS, 2, flags & PCI_MSIX_FLAGS_QSIZE);
	pci_config__set_wmask(c, cap + PCI_MSIX_FLAGS, 2,
			      PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	pci_config__set(c, cap + PCI_MSIX_TABLE, 4, table);
	pci_config__set(c, cap + PCI_MSIX_PBA, 4, pba);
	return PCI_CAP_MSIX_SIZEOF;
}

static bool vector_deliverable(const struct pt_msix *m, const struct pt_msix_vector *v)
{
	return m->enabled && !m->fmask && !(v->ctrl & PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

/* Reports a vector the guest's message cannot reach (no route): once per device. */
static void vector_failed(struct pt_dev *pt, unsigned i, const char *what, int err)
{
	if (pt->msix.failure_reported)
		return;
	pt->msix.failure_reported = true;
	pr_warn("%s: MSI-X vector %u: %s (%s): its interrupts are lost; further failures are not reported",
		pt->bdf, i, what, strerror(-err));
}

/*
 * Makes vector i's wiring match the guest's view: a route for its message
 * while deliverable (kept, and re-pointed, once made) and the irqfd on it
 * exactly while deliverable. Lock held.
 */
static void vector_sync(struct pt_dev *pt, unsigned i)
{
	struct pt_msix *m = &pt->msix;
	struct pt_msix_vector *v = &m->vec[i];
	uint64_t addr = (uint64_t)v->addr_hi << 32 | v->addr_lo;
	int ret;

	if (v->efd < 0)
		return;
	if (!vector_deliverable(m, v)) {
		if (v->irqfd)
			vm__del_irqfd(pt->vm, v->gsi, v->efd);
		v->irqfd = false;
		return;
	}
	if (v->gsi < 0) {
		ret = irq_routing__add_msi(pt->vm, addr, v->data);
		if (ret < 0) {
			vector_failed(pt, i, "no MSI route", ret);
			return;
		}
		v->gsi = ret;
	} else if (addr != v->routed_addr || v->data != v->routed_data) {
		/* Each route change rewrites KVM's whole table: only when the message changed. */
		ret = irq_routing__set_msi(pt->vm, v->gsi, addr, v->data);
		if (ret)
			vector_failed(pt, i, "its new message cannot be routed", ret);
	}
	v->routed_addr = addr;
	v->routed_data = v->data;
	if (!v->irqfd) {
		/* An eventfd already signalled (raised while masked) is delivered now. */
		ret = vm__add_irqfd(pt->vm, v->gsi, v->efd);
		if (ret)
			vector_failed(pt, i, "no irqfd", ret);
		v->irqfd = !ret;
	}
}

static void msix_on(struct pt_dev *pt)
{
	struct pt_msix *m = &pt->msix;
	int *efds = calloc(m->nr, sizeof(*efds)), ret = -ENOMEM;

	if (pt->msi.enabled) {
		pr_warn_ratelimited("%s: the guest enabled MSI-X with MSI on; MSI-X stays off",
				    pt->bdf);
		free(efds);
		return;
	}
	for (unsigned i = 0; efds && i < m->nr; i++) {
		efds[i] = m->vec[i].efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (efds[i] < 0)
			goto err;
	}
	if (efds) {
		ret = pt->backend->msi_enable(pt, PT_MSIX, m->nr, efds);
		if (!ret) {
			m->enabled = true;
			pt->pci.stats.msix_enables++;
			for (unsigned i = 0; i < m->nr; i++)
				vector_sync(pt, i);
			free(efds);
			return;
		}
	}
err:
	pr_warn_ratelimited("%s: enabling MSI-X failed (%s): the guest gets no MSI-X from it",
			    pt->bdf, strerror(ret == -ENOMEM ? ENOMEM : -ret));
	for (unsigned i = 0; i < m->nr; i++) {
		if (m->vec[i].efd >= 0)
			close(m->vec[i].efd);
		m->vec[i].efd = -1;
	}
	free(efds);
}

static void msix_off(struct pt_dev *pt, bool restore_intx)
{
	struct pt_msix *m = &pt->msix;

	m->enabled = false;
	for (unsigned i = 0; i < m->nr; i++)
		vector_sync(pt, i); /* every irqfd goes */
	pt->backend->msi_disable(pt, PT_MSIX, restore_intx);
	for (unsigned i = 0; i < m->nr; i++) {
		struct pt_msix_vector *v = &m->vec[i];

		if (v->gsi >= 0)
			irq_routing__del_msi(pt->vm, v->gsi);
		if (v->efd >= 0)
			close(v->efd);
		v->gsi = v->efd = -1;
	}
}

void pt_msix__update(struct pt_dev *pt)
{
	struct pt_msix *m = &pt->msix;
	uint16_t ctl = pci_config__read(&pt->pci.cfg, m->cap + PCI_MSIX_FLAGS, 2);
	bool enable = ctl & PCI_MSIX_FLAGS_ENABLE;
	bool fmask = ctl & PCI_MSIX_FLAGS_MASKALL;

	pthread_mutex_lock(&m->lock);
	if (enable && !m->enabled) {
		m->fmask = fmask;
		msix_on(pt);
	} else if (!enable && m->enabled) {
		m->fmask = fmask;
		msix_off(pt, true);
	} else if (fmask != m->fmask) {
		/* Only a change of the function mask touches the vectors (a guest's
		 * rewrite of the same Message Control would resync every one). */
		m->fmask = fmask;
		for (unsigned i = 0; i < m->nr; i++)
			vector_sync(pt, i);
	}
	pthread_mutex_unlock(&m->lock);
}

/* A vector's pending bit: its eventfd signalled while it had no irqfd. */
static bool vector_pending(const struct pt_msix_vector *v)
{
	struct pollfd p = { .fd = v->efd, .events = POLLIN };

	return v->efd >= 0 && !v->irqfd && poll(&p, 1, 0) == 1;
}

static void table_access(struct pt_dev *pt, uint64_t off, uint8_t *data, unsigned len,
			 bool is_write)
{
	struct pt_msix *m = &pt->msix;
	unsigned i = off / ENTRY_SIZE, word = (off % ENTRY_SIZE) / 4;
	struct pt_msix_vector *v = &m->vec[i];
	uint32_t *regs[4] = { &v->addr_lo, &v->addr_hi, &v->data, &v->ctrl };

	/* PCI 3.0 6.8.2: dword or aligned qword accesses only; others are dropped. */
	if ((len != 4 && len != 8) || off % len || i >= m->nr) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	for (unsigned k = 0; k < len / 4; k++, word++) {
		if (!is_write) {
			memcpy(data + 4 * k, regs[word], 4);
		} else if (word == 3) {
			uint32_t ctrl;

			memcpy(&ctrl, data + 4 * k, 4);
			/* Only the mask bit is writable in Vector Control. */
			v->ctrl = ctrl & PCI_MSIX_ENTRY_CTRL_MASKBIT;
		} else {
			memcpy(regs[word], data + 4 * k, 4);
		}
	}
	if (is_write)
		vector_sync(pt, i);
}

static void pba_read(struct pt_dev *pt, uint64_t off, uint8_t *data, unsigned len)
{
	struct pt_msix *m = &pt->msix;

	for (unsigned b = 0; b < len; b++) {
		uint8_t byte = 0;

		for (unsigned bit = 0; bit < 8; bit++) {
			uint64_t i = (off + b) * 8 + bit;

			if (i < m->nr && vector_pending(&m->vec[i]))
				byte |= 1u << bit;
		}
		data[b] = byte;
	}
}

bool pt_msix__bar_access(struct pt_dev *pt, unsigned bar, uint64_t off, uint8_t *data,
			 unsigned len, bool is_write)
{
	struct pt_msix *m = &pt->msix;
	uint64_t table_end = m->table_off + (uint64_t)m->nr * ENTRY_SIZE;
	uint64_t pba_end = m->pba_off + (m->nr + 63) / 64 * 8;

	if (!m->cap)
		return false;
	if (bar == m->table_bar && off >= m->table_off && off + len <= table_end) {
		pthread_mutex_lock(&m->lock);
		table_access(pt, off - m->table_off, data, len, is_write);
		pthread_mutex_unlock(&m->lock);
		return true;
	}
	if (bar == m->pba_bar && off >= m->pba_off && off + len <= pba_end) {
		/* Read-only: a write to the PBA is dropped. */
		if (!is_write) {
			pthread_mutex_lock(&m->lock);
			pba_read(pt, off - m->pba_off, data, len);
			pthread_mutex_unlock(&m->lock);
		}
		return true;
	}
	return false;
}

void pt_msix__trapped_range(const struct pt_dev *pt, unsigned bar, uint64_t bar_size,
			    uint64_t page, uint64_t *start, uint64_t *end)
{
	const struct pt_msix *m = &pt->msix;
	uint64_t s = UINT64_MAX, e = 0;

	if (m->cap && bar == m->table_bar) {
		s = m->table_off;
		e = m->table_off + (uint64_t)m->nr * ENTRY_SIZE;
	}
	if (m->cap && bar == m->pba_bar) {
		s = s < m->pba_off ? s : m->pba_off;
		e = e > m->pba_off + (m->nr + 63) / 64 * 8 ? e : m->pba_off + (m->nr + 63) / 64 * 8;
	}
	/*
	 * A table or PBA the capability places past the BAR's end (a broken
	 * or hostile device) is nowhere in the BAR: what of it lies inside
	 * stays trapped, and the range never reaches past the BAR, so what
	 * is mapped after it cannot run beyond the device's mapping.
	 */
	if (e > bar_size)
		e = bar_size;
	if (s >= e) {
		*start = *end = 0;
		return;
	}
	*start = s & ~(page - 1);
	*end = (e + page - 1) & ~(page - 1);
	if (*end > bar_size)
		*end = bar_size;
}

void pt_msix__exit(struct pt_dev *pt)
{
	struct pt_msix *m = &pt->msix;

	if (!m->cap)
		return;
	pthread_mutex_lock(&m->lock);
	if (m->enabled)
		msix_off(pt, false);
	pthread_mutex_unlock(&m->lock);
	pthread_mutex_destroy(&m->lock);
	free(m->vec);
	m->vec = NULL;
	m->cap = 0;
}
