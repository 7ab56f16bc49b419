// SPDX-License-Identifier: GPL-2.0
#include "host_dev.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYSFS_PCI "/sys/bus/pci/devices/"

bool host_dev__exists(const char *bdf)
{
	char path[HOST_DEV_PATH_MAX];

	snprintf(path, sizeof(path), SYSFS_PCI "%s", bdf);
	return access(path, F_OK) == 0;
}

void host_dev__for_each_group_peer(const char *bdf, int group, host_dev_peer_fn fn,
				   void *opaque)
{
	char path[HOST_DEV_PATH_MAX], drv[64];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices", group);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, bdf))
			continue;
		host_dev__driver(e->d_name, drv, sizeof(drv));
		fn(e->d_name, drv, opaque);
	}
	closedir(d);
}

struct peer_list {
	char *buf;
	size_t len, used;
};

static void peer_list_add(const char *peer, const char *driver, void *opaque)
{
	struct peer_list *l = opaque;

	l->used += snprintf(l->buf + l->used, l->used < l->len ? l->len - l->used : 0, "%s%s (%s)",
			    l->used ? ", " : "", peer, driver[0] ? driver : "unbound");
}

void host_dev__group_peers(const char *bdf, int group, char *buf, size_t len)
{
	struct peer_list l = { buf, len, 0 };

	buf[0] = '\0';
	host_dev__for_each_group_peer(bdf, group, peer_list_add, &l);
}

/*
 * irq's line of /proc/interrupts into line; the text after its "IRQ:" (the
 * per-CPU counts, the chip, the actions), or NULL when there is none.
 */
static char *irq_line(int irq, char *line, size_t len)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char *end, *found = NULL;

	if (!f)
		return NULL;
	while (!found && fgets(line, len, f)) {
		/* Lines start with "  IRQ:"; NMI, LOC and the like never match. */
		if (strtol(line, &end, 10) == irq && end != line && *end == ':')
			found = end + 1;
	}
	fclose(f);
	return found;
}

uint64_t host_dev__irq_count(int irq)
{
	char line[1024], *p = irq_line(irq, line, sizeof(line)), *end;
	uint64_t total = 0;

	/* One count per CPU column, then the chip name. */
	for (; p; p = end) {
		unsigned long long n = strtoull(p, &end, 10);

		if (end == p)
			break;
		total += n;
	}
	return total;
}

void host_dev__irq_sharers(int irq, const char *skip, char *buf, size_t len)
{
	char line[1024], *p = irq_line(irq, line, sizeof(line)), *tok, *save, *chip;
	size_t used = 0;

	buf[0] = '\0';
	if (!p)
		return;
	/* Actions follow the chip columns: "... IO-APIC 10-fasteoi ahci, vfio-intx(...)". */
	chip = strstr(p, "-fasteoi");
	if (!chip)
		chip = strstr(p, "-edge");
	p = chip ? strchr(chip, ' ') : NULL;
	for (tok = p ? strtok_r(p, ",\n", &save) : NULL; tok; tok = strtok_r(NULL, ",\n", &save)) {
		tok += strspn(tok, " ");
		if (!*tok || (skip && strstr(tok, skip)))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s", used ? ", " : "",
				 tok);
	}
}

/*
 * libpci's error callback must not return (it exits by default, e.g. when
 * a mandatory sysfs file such as "vendor" cannot be read): jump back to
 * host_dev__query instead, which then reports the failure.
 */
static sigjmp_buf libpci_failed;
static char libpci_msg[192];

__attribute__((noreturn)) static void libpci_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(libpci_msg, sizeof(libpci_msg), msg, ap);
	va_end(ap);
	siglongjmp(libpci_failed, 1);
}

static void libpci_quiet(char *msg, ...)
{
	(void)msg;
}

int host_dev__query(const char *bdf, unsigned fill, host_dev_query_fn fn, void *opaque)
{
	struct pci_access *volatile pacc = pci_alloc();
	struct pci_dev *volatile pdev = NULL;
	unsigned dom, bus, dev, fn_nr;
	volatile int ret = -ENODEV;

	if (!pacc)
		return -ENOMEM;
	if (sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &dev, &fn_nr) != 4) {
		pci_cleanup(pacc);
		return -EINVAL;
	}
	pacc->error = libpci_error;
	pacc->warning = libpci_quiet;
	if (sigsetjmp(libpci_failed, 0)) {
		pr_warn("%s: libpci: %s", bdf, libpci_msg);
		ret = -EIO;
		goto out;
	}
	pci_init(pacc);
	pdev = pci_get_dev(pacc, dom, bus, dev, fn_nr);
	if (pdev && host_dev__exists(bdf)) {
		pci_fill_info(pdev, fill);
		fn(pacc, pdev, opaque);
		ret = 0;
	}
out:
	if (pdev)
		pci_free_dev(pdev);
	pci_cleanup(pacc);
	return ret;
}

struct string_prop {
	unsigned prop;
	char *buf;
	size_t len;
};

static void copy_string_prop(struct pci_access *pacc, struct pci_dev *d, void *opaque)
{
	struct string_prop *p = opaque;
	const char *v = pci_get_string_property(d, p->prop);

	(void)pacc;
	snprintf(p->buf, p->len, "%s", v ? v : "");
}

void host_dev__driver(const char *bdf, char *buf, size_t len)
{
	struct string_prop p = { PCI_FILL_DRIVER, buf, len };

	buf[0] = '\0';
	host_dev__query(bdf, PCI_FILL_DRIVER, copy_string_prop, &p);
}

int host_dev__iommu_group(const char *bdf)
{
	char group[32];
	struct string_prop p = { PCI_FILL_IOMMU_GROUP, group, sizeof(group) };

	group[0] = '\0';
	host_dev__query(bdf, PCI_FILL_IOMMU_GROUP, copy_string_prop, &p);
	return group[0] ? atoi(group) : -1;
}

/* The IRQ (PCI_FILL_IRQ) or the class (PCI_FILL_CLASS): libpci's ints. */
struct int_prop {
	unsigned fill;
	int value;
};

static void copy_int_prop(struct pci_access *pacc, struct pci_dev *d, void *opaque)
{
	struct int_prop *p = opaque;

	(void)pacc;
	p->value = p->fill == PCI_FILL_IRQ ? d->irq : d->device_class;
}

static int query_int(const char *bdf, unsigned fill)
{
	struct int_prop p = { fill, -1 };

	host_dev__query(bdf, fill, copy_int_prop, &p);
	return p.value;
}

int host_dev__irq(const char *bdf)
{
	return query_int(bdf, PCI_FILL_IRQ);
}

int host_dev__class(const char *bdf)
{
	return query_int(bdf, PCI_FILL_CLASS);
}

static void copy_bars(struct pci_access *pacc, struct pci_dev *d, void *opaque)
{
	struct host_bar *bars = opaque;

	(void)pacc;
	for (unsigned i = 0; i < HOST_DEV_NR_BARS; i++) {
		/* The kernel's struct resource flags, from sysfs "resource". */
		bool io = d->flags[i] & PCI_IORESOURCE_IO, mem = d->flags[i] & PCI_IORESOURCE_MEM;

		bars[i] = (struct host_bar){ 0 };
		if ((io || mem) && d->size[i] && (d->base_addr[i] & ~(pciaddr_t)0xf))
			bars[i] = (struct host_bar){ .size = d->size[i], .io = io };
	}
}

int host_dev__bars(const char *bdf, struct host_bar bars[HOST_DEV_NR_BARS])
{
	return host_dev__query(bdf, PCI_FILL_BASES | PCI_FILL_SIZES | PCI_FILL_IO_FLAGS, copy_bars,
			       bars);
}

static void copy_name(struct pci_access *pacc, struct pci_dev *d, void *opaque)
{
	struct string_prop *p = opaque;

	/*
	 * Numbers only: a name would make libpci parse all of pci.ids into
	 * its hash (1.3 MB, thousands of allocations), which took 0.5 s of a
	 * 0.75 s start in the nested L1. pcivmm check gives the names.
	 */
	pci_lookup_name(pacc, p->buf, p->len,
			PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE | PCI_LOOKUP_NUMERIC, d->vendor_id,
			d->device_id);
}

void host_dev__describe(const char *bdf, char *buf, size_t len)
{
	struct string_prop p = { 0, buf, len };

	if (host_dev__query(bdf, PCI_FILL_IDENT, copy_name, &p))
		snprintf(buf, len, "%s", bdf); /* named by its address */
}

int host_dev__quiesce_intx_after_close(const char *bdf, int file)
{
	char path[HOST_DEV_PATH_MAX];
	uint16_t cmd, status;
	int fd, open_errno, ret = 0;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDWR | O_CLOEXEC);
	open_errno = errno;
	if (file >= 0)
		close(file);
	if (fd < 0)
		return -open_errno;
	if (pread(fd, &cmd, 2, PCI_COMMAND) != 2 || pread(fd, &status, 2, PCI_STATUS) != 2) {
		ret = -EIO;
	} else if ((status & PCI_STATUS_INTx) && !(cmd & PCI_COMMAND_DISABLE_INTx)) {
		cmd |= PCI_COMMAND_DISABLE_INTx; /* libpci's names for bit 10 and STATUS bit 3 */
		ret = pwrite(fd, &cmd, 2, PCI_COMMAND) == 2 ? 1 : -EIO;
	}
	close(fd);
	return ret;
}

int host_dev__quiesce_intx(const char *bdf)
{
	return host_dev__quiesce_intx_after_close(bdf, -1);
}
