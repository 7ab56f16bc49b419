// SPDX-License-Identifier: GPL-2.0
/* pcivmm check BDF...: facts, then a verdict with the command that fixes each problem. */
#include "check.h"
#include "exit_codes.h"
#include "layout.h"
#include "parse_num.h"
#include "backend_choice.h"
#include "eoi_probe.h"
#include "host_dev.h"
#include "host_net.h"
#include "memlock.h"
#include "passthrough.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pci/pci.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef KVM_CAP_PCI_2_3
#define KVM_CAP_PCI_2_3 75
#endif

#define CHECK_MAX_PROBLEMS 12

/* What libpci reads in one go (host_dev__query). */
struct check_pci {
	char name[160], driver[64];
	int group; /* -1: none */
	uint16_t vendor, device, class;
	int irq, pin;
	bool caps_read; /* root only: config space past 64 bytes */
	int msi_vectors, msix_vectors; /* 0: no such capability */
	bool msi_64bit;
	uint64_t bar_size[6], bar_flags[6], rom_size;
};

struct check {
	const char *bdf;
	struct check_pci pci;
	char problems[CHECK_MAX_PROBLEMS][512];
	unsigned nr_problems;
};

static void problem(struct check *c, const char *fmt, ...)
{
	va_list ap;

	if (c->nr_problems == CHECK_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(c->problems[c->nr_problems++], sizeof(c->problems[0]), fmt, ap);
	va_end(ap);
}

/*
 * --json: each device's facts go into this object (key without its colon)
 * instead of to stdout; NULL for the human report.
 */
static json_t *json_facts;

static void fact(const char *key, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (json_facts) {
		char name[32];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(key, ":"), key);
		json_object_set_new(json_facts, name, json_string(text));
		return;
	}
	printf("  %-16s %s\n", key, text);
}

static void read_pci(struct pci_access *pacc, struct pci_dev *d, void *opaque)
{
	struct check_pci *p = opaque;
	const char *driver = pci_get_string_property(d, PCI_FILL_DRIVER);
	const char *group = pci_get_string_property(d, PCI_FILL_IOMMU_GROUP);
	struct pci_cap *cap;

	pci_lookup_name(pacc, p->name, sizeof(p->name), PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE,
			d->vendor_id, d->device_id);
	snprintf(p->driver, sizeof(p->driver), "%s", driver ? driver : "");
	p->group = group ? atoi(group) : -1;
	p->vendor = d->vendor_id;
	p->device = d->device_id;
	p->class = d->device_class;
	p->irq = d->irq;
	p->pin = pci_read_byte(d, PCI_INTERRUPT_PIN);
	for (int i = 0; i < 6; i++) {
		p->bar_size[i] = d->size[i];
		p->bar_flags[i] = d->base_addr[i];
	}
	p->rom_size = d->rom_size;
	if (!p->caps_read)
		return;
	pci_fill_info(d, PCI_FILL_CAPS);
	cap = pci_find_cap(d, PCI_CAP_ID_MSI, PCI_CAP_NORMAL);
	if (cap) {
		uint16_t flags = pci_read_word(d, cap->addr + PCI_MSI_FLAGS);

		p->msi_vectors = 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1);
		p->msi_64bit = flags & PCI_MSI_FLAGS_64BIT;
	}
	cap = pci_find_cap(d, PCI_CAP_ID_MSIX, PCI_CAP_NORMAL);
	if (cap)
		p->msix_vectors = (pci_read_word(d, cap->addr + 2) /* Message Control */ & PCI_MSIX_TABSIZE) + 1;
}

/* Bound to nothing that does DMA for the host: what VFIO accepts in a group. */
static bool driver_leaves_group_viable(const char *driver)
{
	return !driver[0] || !strcmp(driver, "vfio-pci") || !strcmp(driver, "pci-stub") ||
	       !strcmp(driver, "pcieport");
}

/*
 * The process holding the device: its VFIO group file or one of its sysfs
 * config/resource files (the kvm-assign backend) open. "" when nobody.
 */
static void holder(const char *bdf, int group, char *buf, size_t len)
{
	char needle[64], vfio[32], path[300], target[512], comm[64];
	struct dirent *p, *f;
	DIR *proc = opendir("/proc"), *fds;

	buf[0] = '\0';
	snprintf(needle, sizeof(needle), "/%s/", bdf);
	snprintf(vfio, sizeof(vfio), "/dev/vfio/%d", group);
	while (proc && !buf[0] && (p = readdir(proc))) {
		int pid = atoi(p->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		fds = opendir(path);
		while (fds && !buf[0] && (f = readdir(fds))) {
			ssize_t n;

			snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, f->d_name);
			n = readlink(path, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (strstr(target, needle) || (group >= 0 && !strcmp(target, vfio))) {
				FILE *cf;

				snprintf(path, sizeof(path), "/proc/%d/comm", pid);
				cf = fopen(path, "r");
				if (!cf || !fgets(comm, sizeof(comm), cf))
					snprintf(comm, sizeof(comm), "?");
				comm[strcspn(comm, "\n")] = '\0';
				if (cf)
					fclose(cf);
				snprintf(buf, len, "%s (pid %d)", comm, pid);
			}
		}
		if (fds)
			closedir(fds);
	}
	if (proc)
		closedir(proc);
}

struct group_members {
	struct check *c;
	char list[512];
	size_t used;
};

static void check_group_member(const char *peer, const char *drv, void *opaque)
{
	struct group_members *m = opaque;
	struct check *c = m->c;

	m->used += snprintf(m->list + m->used, m->used < sizeof(m->list) ? sizeof(m->list) - m->used : 0,
			    "%s%s (%s)", m->used ? ", " : "", peer, drv[0] ? drv : "no driver");
	if (!driver_leaves_group_viable(drv))
		problem(c, "IOMMU group %d also holds %s, bound to host driver %s: VFIO takes a group only when none of it is on a host driver; run scripts/vfio-bind %s (or unbind it: echo %s > /sys/bus/pci/devices/%s/driver/unbind)",
			c->pci.group, peer, drv, peer, peer, peer);
}

/* The IOMMU group's other members; each on a host driver is a problem. */
static void check_group(struct check *c)
{
	struct group_members m = { .c = c };

	if (c->pci.group < 0) {
		fact("IOMMU group:", "none: the host's IOMMU is off");
		problem(c, "no IOMMU group: turn the IOMMU on (VT-d/AMD-Vi in the firmware, intel_iommu=on or amd_iommu=on on the kernel command line); both backends confine the device's DMA with it");
		return;
	}
	host_dev__for_each_group_peer(c->bdf, c->pci.group, check_group_member, &m);
	fact("IOMMU group:", "%d, %s%s", c->pci.group, m.used ? "also " : "no other members", m.list);
}

/*
 * VFIO_IOMMU_TYPE1 refuses a group unless interrupts are remapped (or the
 * admin allowed unsafe interrupts): with remapping on, the IO-APIC and MSI
 * chips in /proc/interrupts are the "IR-" ones.
 */
static void check_intremap(struct check *c)
{
	char line[1024], unsafe[8] = "N";
	bool remap = false;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && !remap && fgets(line, sizeof(line), f))
		remap = strstr(line, " IR-IO-APIC ") || strstr(line, " IR-PCI-MSI");
	if (f)
		fclose(f);
	f = fopen("/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "r");
	if (f) {
		if (!fgets(unsafe, sizeof(unsafe), f))
			unsafe[0] = 'N';
		fclose(f);
	}
	if (remap) {
		fact("interrupt remap:", "on (IR- interrupt chips in /proc/interrupts)");
	} else if (unsafe[0] == 'Y') {
		fact("interrupt remap:", "off, but vfio_iommu_type1 allow_unsafe_interrupts=Y (a guest can forge MSIs to the host)");
	} else {
		fact("interrupt remap:", "off");
		problem(c, "no interrupt remapping, so VFIO refuses the group: enable it (intremap=on, the IOMMU's IR in the firmware); as a last resort, knowing a guest can then forge interrupts to the host: modprobe vfio_iommu_type1 allow_unsafe_interrupts=1");
	}
}

/*
 * PCI 2.3 INTx masking, probed as the kernel does (pci_intx_mask_supported):
 * flip INTX_DISABLE, see whether it sticks, restore. 16-bit writes of the
 * whole COMMAND register (QEMU 7.2's devices update their line only on a
 * write that covers byte 4). 1 yes, 0 no, -1 not probed.
 */
static void flip_intx_disable(struct pci_access *pacc, struct pci_dev *d, void *opaque)
{
	int *ret = opaque;
	uint16_t cmd = pci_read_word(d, PCI_COMMAND), flipped = cmd ^ PCI_COMMAND_DISABLE_INTx;

	(void)pacc;
	if (pci_write_word(d, PCI_COMMAND, flipped))
		*ret = pci_read_word(d, PCI_COMMAND) == flipped;
	if (!pci_write_word(d, PCI_COMMAND, cmd))
		*ret = -1;
}

static int probe_intx_masking(const char *bdf)
{
	int ret = -1;

	if (host_dev__query(bdf, 0, flip_intx_disable, &ret))
		return -1;
	return ret;
}

/*
 * sysfs "enable": how many have pci_enable_device()d it. Until then its
 * "irq" is what the firmware wrote to INTERRUPT_LINE; enabling routes the
 * pin through ACPI (_PRT), often to another IRQ (on QEMU q35: 10 -> 20).
 */
static bool device_enabled(const char *bdf)
{
	char path[300];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/enable", bdf);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n > 0;
}

static void check_intx(struct check *c, bool idle)
{
	char sharers[512];
	int masking;

	if (!c->pci.pin) {
		fact("INTx:", "no pin: the device interrupts by MSI/MSI-X only, which pcivmm offers on the VFIO backend");
		return;
	}
	host_dev__irq_sharers(c->pci.irq, c->bdf, sharers, sizeof(sharers));
	fact("INTx:", "pin %c, host IRQ %d%s, %s%s", 'A' + c->pci.pin - 1, c->pci.irq,
	     device_enabled(c->bdf) ? "" :
		     " (the firmware's: the kernel may route it to another when it enables the device)",
	     sharers[0] ? "line shared with " : "no other handler on the line", sharers);
	masking = idle && geteuid() == 0 ? probe_intx_masking(c->bdf) : -1;
	if (masking == 1)
		fact("INTx masking:", "PCI 2.3 (INTX_DISABLE sticks): the host line can be shared");
	else if (masking < 0)
		fact("INTx masking:", "unknown (probed only as root, on a device no driver is using)");
	else if (sharers[0])
		problem(c, "it cannot mask its INTx (INTX_DISABLE does not stick) and host IRQ %d also serves %s: vfio-pci needs such a line alone; move the card to a slot with its own line or unload those drivers",
			c->pci.irq, sharers);
	else
		fact("INTx masking:", "none (INTX_DISABLE does not stick): fine while nothing else uses IRQ %d",
		     c->pci.irq);
}

static void check_msi_reset(struct check *c)
{
	char path[300], methods[128] = "";
	FILE *f;

	if (!c->pci.caps_read)
		fact("MSI, MSI-X:", "unknown (capabilities are readable by root only)");
	else
		fact("MSI, MSI-X:", "%s%.0d%s%s, %s%.0d%s%s", c->pci.msi_vectors ? "MSI " : "no MSI",
		     c->pci.msi_vectors, c->pci.msi_vectors ? " vector(s)" : "",
		     c->pci.msi_64bit ? " 64-bit" : "", c->pci.msix_vectors ? "MSI-X " : "no MSI-X",
		     c->pci.msix_vectors, c->pci.msix_vectors ? " vector(s)" : "",
		     c->pci.msi_vectors || c->pci.msix_vectors ?
			     "; pcivmm offers them on the VFIO backend (MSI: one vector)" : "");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset_method", c->bdf);
	f = fopen(path, "r");
	if (f) {
		if (fgets(methods, sizeof(methods), f))
			methods[strcspn(methods, "\n")] = '\0';
		fclose(f);
	}
	if (!methods[0])
		fact("reset:", "none: the device keeps its state from one VM to the next");
	else if (!strcmp(methods, "pm"))
		/*
		 * A PM reset is a D3hot -> D0 transition (PCI PM 1.2, NoSoftRst
		 * clear); a device may ignore it. QEMU's e1000e does: its
		 * receiver stays on, and Linux's e1000e leaves it on at shutdown
		 * too (the 82574's FLAG2_NO_DISABLE_RX), so the NIC writes
		 * through the old ring into the next VM's RAM as soon as that
		 * VM's driver sets bus mastering (Linux lists such parts with
		 * PCI_DEV_FLAGS_NO_PM_RESET).
		 */
		fact("reset:", "pm only (D3hot to D0), which some devices ignore: one a VM left receiving can go on with its DMA into the next VM's RAM; give it to its host driver and back between VMs if it does");
	else
		fact("reset:", "%s", methods);
}

/* BAR sizes and kinds; a 32-bit BAR larger than pcivmm's window below 4 GiB cannot fit. */
static void check_bars(struct check *c)
{
	char line[512] = "", size[32];
	size_t used = 0;

	for (int i = 0; i < 6; i++) {
		uint64_t flags = c->pci.bar_flags[i];
		bool io = flags & PCI_BASE_ADDRESS_SPACE_IO;

		if (!c->pci.bar_size[i])
			continue;
		format_size(c->pci.bar_size[i], size, sizeof(size));
		used += snprintf(line + used, used < sizeof(line) ? sizeof(line) - used : 0,
				 "%sBAR%d %s %s%s%s", used ? ", " : "", i, size, io ? "I/O" : "memory",
				 !io && (flags & PCI_BASE_ADDRESS_MEM_TYPE_64) ? " 64-bit" : "",
				 !io && (flags & PCI_BASE_ADDRESS_MEM_PREFETCH) ? " prefetchable" : "");
		/* 32-bit BARs share the window below 4 GiB; 64-bit ones go above it (layout.h). */
		if (!io && !(flags & PCI_BASE_ADDRESS_MEM_TYPE_64) && c->pci.bar_size[i] > PCI_MMIO_SIZE)
			problem(c, "BAR%d is a 32-bit BAR of %s, larger than pcivmm's %llu MiB window below 4 GiB",
				i, size, PCI_MMIO_SIZE >> 20);
	}
	if (c->pci.rom_size) {
		format_size(c->pci.rom_size, size, sizeof(size));
		used += snprintf(line + used, used < sizeof(line) ? sizeof(line) - used : 0,
				 "%sROM %s (offered read-only on the VFIO backend)", used ? ", " : "", size);
	}
	fact("BARs:", "%s", used ? line : "none");
}

/* VFIO pins all of guest RAM for DMA: it counts against RLIMIT_MEMLOCK. */
static void check_memlock(struct check *c, uint64_t mem)
{
	char limit[32], need[32];
	bool by_cap;
	uint64_t allowed = memlock__allowance(&by_cap);

	format_size(mem, need, sizeof(need));
	if (allowed == UINT64_MAX) {
		fact("locked memory:", "%s; a %s guest pins %s",
		     by_cap ? "no limit (CAP_IPC_LOCK)" : "unlimited", need, need);
		return;
	}
	format_size(allowed, limit, sizeof(limit));
	fact("locked memory:", "%s; a %s guest pins %s", limit, need, need);
	if (allowed < mem)
		problem(c, "the locked-memory limit (%s) is below the guest's RAM (%s), which VFIO pins: ulimit -l unlimited (or LimitMEMLOCK=infinity in a systemd unit), or run pcivmm as root",
			limit, need);
}

static bool kvm_has_cap_pci_2_3(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	bool yes = fd >= 0 && ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_PCI_2_3) > 0;

	if (fd >= 0)
		close(fd);
	return yes;
}

/*
 * The host's KVM at a level-triggered EOI (eoi_probe.h), probed once per
 * pcivmm check: on a KVM that EOIs at injection no backend can deliver a
 * passed device's INTx exactly. A fact, not a problem: the device works.
 */
static void check_host_kvm(const struct check *c)
{
	static struct eoi_probe probe;
	static int probed; /* 0 not yet, 1 done, negative errno: no /dev/kvm */

	if (!probed) {
		int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

		probed = fd < 0 ? -errno : 1;
		if (fd >= 0) {
			eoi_probe__run(fd, &probe);
			eoi_probe__finish(&probe);
			close(fd);
		}
	}
	if (probed < 0)
		fact("host KVM:", "not probed: /dev/kvm: %s", strerror(-probed));
	else if (probe.eoi == KVM_EOI_AT_INJECTION)
		fact("host KVM:", "%s (%s)%s", eoi_probe__verdict(&probe), probe.detail,
		     c->pci.pin ? ": this device's INTx may reach the guest twice per assertion on either backend; its MSI/MSI-X are exact" : "");
	else
		fact("host KVM:", "%s (%s)", eoi_probe__verdict(&probe), probe.detail);
}

/* The backend --passthrough would pick (backend_choice.h), and what binding it needs. */
static void check_backend(struct check *c, const char *who)
{
	struct pt_backend_choice b;

	if ((c->pci.class >> 8) == PCI_BASE_CLASS_BRIDGE) {
		fact("backend:", "none: a bridge is not passed (no binding would change that)");
		return;
	}
	if (who[0]) {
		fact("backend:", "none now: in use by %s", who);
		problem(c, "in use by %s: stop that VM (or process) first", who);
		return;
	}
	b = pt_backend__choose(c->pci.driver, kvm_has_cap_pci_2_3(), PT_BACKEND_AUTO);
	if (b.problem == PT_CHOICE_OK) {
		fact("backend:", "%s (%s)", b.backend == PT_BACKEND_VFIO ? "vfio" : "kvm-assign", b.why);
	} else if (!c->pci.driver[0] || !strcmp(c->pci.driver, "pci-stub")) {
		fact("backend:", "none yet: vfio once it is bound to vfio-pci");
		problem(c, "%s: bind it to vfio-pci: scripts/vfio-bind %s, or let pcivmm do it for the run: --passthrough %s,managed",
			c->pci.driver[0] ? "held by pci-stub" : "no driver has it", c->bdf, c->bdf);
	} else {
		fact("backend:", "vfio with --passthrough %s,managed", c->bdf);
		problem(c, "bound to the host driver %s: pass it with --passthrough %s,managed (moved to vfio-pci for the run, given back after), or bind it now: scripts/vfio-bind %s",
			c->pci.driver, c->bdf, c->bdf);
	}
}

/* check_device's result as --json gives it: the device, its facts, the verdict and the problems. */
static json_t *check_device_json(const struct check *c, json_t *facts, bool usable)
{
	json_t *problems = json_array();

	for (unsigned i = 0; i < c->nr_problems; i++)
		json_array_append_new(problems, json_string(c->problems[i]));
	json_object_del(facts, "verdict"); /* said by usable and problems */
	return json_pack("{sssssisisosbso}", "bdf", c->bdf, "name", c->pci.name, "vendor_id",
			 c->pci.vendor, "device_id", c->pci.device, "facts", facts, "usable", usable,
			 "problems", problems);
}

static bool check_device(const char *bdf, uint64_t mem, json_t *report)
{
	struct check c = { .bdf = bdf };
	struct host_net net;
	char who[128], net_up[320];
	bool idle;

	c.pci.caps_read = geteuid() == 0;
	/* Everything libpci knows of it in one lookup. */
	if (host_dev__query(bdf, PCI_FILL_IDENT | PCI_FILL_IRQ | PCI_FILL_CLASS | PCI_FILL_BASES |
				    PCI_FILL_SIZES | PCI_FILL_ROM_BASE | PCI_FILL_DRIVER |
				    PCI_FILL_IOMMU_GROUP,
			    read_pci, &c.pci)) {
		if (report)
			json_array_append_new(report, json_pack("{sssbs[s]}", "bdf", bdf, "usable", 0,
								"problems", "libpci cannot read it"));
		else
			printf("%s: libpci cannot read it\n  verdict:         not usable\n", bdf);
		return false;
	}
	json_facts = report ? json_object() : NULL;
	holder(bdf, c.pci.group, who, sizeof(who));
	idle = !who[0] && (!c.pci.driver[0] || !strcmp(c.pci.driver, "vfio-pci"));

	if (!report)
		printf("%s: %s [%04x:%04x]\n", bdf, c.pci.name, c.pci.vendor, c.pci.device);
	fact("driver:", "%s", c.pci.driver[0] ? c.pci.driver : "none");
	host_net__query(bdf, &net);
	if (host_net__describe_up(&net, net_up, sizeof(net_up)))
		fact("network:", "%s: the host loses it while the device is passed", net_up);
	else if (net.ifaces[0])
		fact("network:", "%s (down)", net.ifaces);
	if ((c.pci.class >> 8) == PCI_BASE_CLASS_BRIDGE)
		problem(&c, "it is a bridge (class %04x): pcivmm passes endpoint devices, not the host's plumbing",
			c.pci.class);
	check_group(&c);
	if (c.pci.group >= 0)
		check_intremap(&c); /* without an IOMMU, that is the problem */
	check_intx(&c, idle);
	check_host_kvm(&c);
	check_msi_reset(&c);
	check_bars(&c);
	check_memlock(&c, mem);
	check_backend(&c, who);
	if (report) {
		json_array_append_new(report, check_device_json(&c, json_facts, !c.nr_problems));
		json_facts = NULL;
		return !c.nr_problems;
	}
	if (!c.nr_problems) {
		fact("verdict:", "usable: pcivmm --passthrough %s --kernel ...", bdf);
		return true;
	}
	fact("verdict:", "not usable as it is (%u problem%s):", c.nr_problems,
	     c.nr_problems > 1 ? "s" : "");
	for (unsigned i = 0; i < c.nr_problems; i++)
		printf("    - %s\n", c.problems[i]);
	return false;
}

#define CHECK_USAGE                                                                   \
	"Usage: pcivmm check [--json] [--mem SIZE] BDF...\n"                            \
	"Says, for each host PCI device, whether --passthrough BDF would work as it\n"   \
	"is (driver, backend, IOMMU group, BARs, INTx and its masking, MSI, reset,\n"   \
	"locked memory) and, if not, the command that fixes it. --mem SIZE: the\n"      \
	"guest RAM, which VFIO pins, against the locked-memory limit. --json: one\n"    \
	"JSON document, {\"devices\": [{bdf, name, facts, usable, problems}]}.\n"       \
	"Exit status: 0 every device usable, 12 one is not, 2 bad input.\n"

int check__main(int argc, char **argv)
{
	uint64_t mem = 256ULL << 20;
	int first = 2, ret = 0;
	json_t *report = NULL;

	if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		fputs(CHECK_USAGE, stdout);
		return 0;
	}
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (!strcmp(argv[first], "--json") && !report) {
			report = json_array();
		} else if (!strcmp(argv[first], "--mem") && first + 1 < argc) {
			first++;
			if (!parse__size(argv[first], &mem) || !mem) {
				fprintf(stderr, "pcivmm: error: check --mem %s: not a size; use e.g. 256M or 1G\n",
					argv[first]);
				json_decref(report);
				return EXIT_USAGE;
			}
		} else {
			fprintf(stderr, "pcivmm: error: check: unknown option '%s'; see pcivmm check --help\n",
				argv[first]);
			json_decref(report);
			return EXIT_USAGE;
		}
	}
	if (first >= argc) {
		fprintf(stderr, "pcivmm: error: check: no device given; usage: pcivmm check [--json] [--mem SIZE] BDF... (see pcivmm check --help)\n");
		json_decref(report);
		return EXIT_USAGE;
	}
	for (int i = first; i < argc; i++) {
		struct passthrough_opts dev;

		if (!passthrough__parse_bdf(argv[i], &dev, "check", stderr)) {
			json_decref(report);
			return EXIT_USAGE;
		}
		if (!host_dev__exists(dev.bdf)) {
			fprintf(stderr, "pcivmm: error: %s: no such PCI device on this host; check the address with lspci -D\n",
				dev.bdf);
			json_decref(report);
			return EXIT_USAGE;
		}
	}
	for (int i = first; i < argc; i++) {
		struct passthrough_opts dev;

		passthrough__parse_bdf(argv[i], &dev, "check", stderr);
		if (i > first && !report)
			putchar('\n');
		if (!check_device(dev.bdf, mem, report))
			ret = EXIT_CHECK_UNUSABLE;
	}
	if (report) {
		json_dumpf(json_pack("{so}", "devices", report), stdout, JSON_INDENT(2));
		putchar('\n');
	}
	return ret;
}
