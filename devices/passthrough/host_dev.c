// SPDX-License-Identifier: GPL-2.0
#include "host_dev.h"
#include "../../vmm/log.h"

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

/* Basename of a sysfs symlink's target into buf, or "" if there is no link. */
static void link_name(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	buf[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	snprintf(buf, len, "%s", basename(target));
}

void host_dev__driver(const char *bdf, char *buf, size_t len)
{
	char path[HOST_DEV_PATH_MAX];

	snprintf(path, sizeof(path), SYSFS_PCI "%s/driver", bdf);
	link_name(path, buf, len);
}

int host_dev__iommu_group(const char *bdf)
{
	char path[HOST_DEV_PATH_MAX], name[64];

	snprintf(path, sizeof(path), SYSFS_PCI "%s/iommu_group", bdf);
	link_name(path, name, sizeof(name));
	return name[0] ? atoi(name) : -1;
}

void host_dev__group_peers(const char *bdf, int group, char *buf, size_t len)
{
	char path[HOST_DEV_PATH_MAX], drv[64];
	struct dirent *e;
	size_t used = 0;
	DIR *d;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices", group);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, bdf))
			continue;
		host_dev__driver(e->d_name, drv, sizeof(drv));
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s (%s)",
				 used ? ", " : "", e->d_name, drv[0] ? drv : "unbound");
	}
	closedir(d);
}

/* A number from the device's sysfs attribute (hex with 0x, or decimal), or -1. */
static long sysfs_number(const char *bdf, const char *attr)
{
	char path[HOST_DEV_PATH_MAX];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), SYSFS_PCI "%s/%s", bdf, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%li", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

long host_dev__class(const char *bdf)
{
	return sysfs_number(bdf, "class");
}

int host_dev__irq(const char *bdf)
{
	return (int)sysfs_number(bdf, "irq");
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
 * host_dev__describe instead, which falls back to the bare address.
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

void host_dev__describe(const char *bdf, char *buf, size_t len)
{
	struct pci_access *pacc = pci_alloc();
	unsigned dom, bus, dev, fn;
	struct pci_dev *volatile pdev = NULL;

	snprintf(buf, len, "%s", bdf);
	if (!pacc || sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4) {
		if (pacc)
			pci_cleanup(pacc);
		return;
	}
	pacc->error = libpci_error;
	pacc->warning = libpci_quiet;
	if (sigsetjmp(libpci_failed, 0)) {
		pr_warn("%s: libpci cannot name it (%s); calling it by its address", bdf,
			libpci_msg);
		snprintf(buf, len, "%s", bdf);
		goto out;
	}
	pci_init(pacc);
	pdev = pci_get_dev(pacc, dom, bus, dev, fn);
	if (pdev) {
		pci_fill_info(pdev, PCI_FILL_IDENT);
		pci_lookup_name(pacc, buf, len, PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE,
				pdev->vendor_id, pdev->device_id);
	}
out:
	if (pdev)
		pci_free_dev(pdev);
	pci_cleanup(pacc);
}

int host_dev__quiesce_intx(const char *bdf)
{
	char path[HOST_DEV_PATH_MAX];
	uint16_t cmd, status;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, &cmd, 2, PCI_COMMAND) != 2 || pread(fd, &status, 2, PCI_STATUS) != 2) {
		ret = -EIO;
	} else if ((status & PCI_STATUS_INTx) && !(cmd & PCI_COMMAND_DISABLE_INTx)) {
		cmd |= PCI_COMMAND_DISABLE_INTx; /* libpci's names for bit 10 and STATUS bit 3 */
		ret = pwrite(fd, &cmd, 2, PCI_COMMAND) == 2 ? 1 : -EIO;
	}
	close(fd);
	return ret;
}
