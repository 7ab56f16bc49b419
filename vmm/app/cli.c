// SPDX-License-Identifier: GPL-2.0
#include "cli.h"
#include "exit_codes.h"
#include "out_file.h"
#include "parse_num.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
	"Usage: pcivmm [OPTIONS] --kernel FILE\n"
	"       pcivmm check [--mem SIZE] BDF...   is each device usable? what to fix\n"
	"       pcivmm release BDF...              give managed devices back (after SIGKILL)\n"
	"A KVM virtual machine monitor with PCI passthrough and shared-INTx support.\n"
	"\n"
	"  --kernel FILE          64-bit ELF test guest, Linux bzImage or vmlinux (PVH) to boot\n"
	"  --initrd FILE          initial ramdisk (Linux guests: bzImage or vmlinux)\n"
	"  --cmdline STR          kernel command line (ELF guests get it via PVH start_info)\n"
	"  --mem SIZE             guest RAM, e.g. 256M, 1G; a bare number is MiB (default 256M)\n"
	"  --cpus N               number of vCPUs, 1-64 (default 1)\n"
	"  --passthrough BDF[,slot=N][,backend=vfio|kvm-assign][,managed][,msix=off][,fault=NAME]\n"
	"                         give the guest host PCI device BDF ([dddd:]bb:dd.f); repeatable.\n"
	"                         Default slot: first free from 1. Default backend: vfio if the\n"
	"                         device is bound to vfio-pci (scripts/vfio-bind), else kvm-assign\n"
	"                         if KVM has KVM_CAP_PCI_2_3 (kernel-patch/) and no driver has it.\n"
	"                         managed: move it to vfio-pci for the run and give it back to its\n"
	"                         driver afterwards (also after SIGKILL; else pcivmm release BDF)\n"
	"                         msix=off: hide its MSI-X capability; the guest driver then\n"
	"                         uses MSI (one vector) or INTx\n"
	"                         fault=local-intx-disable|stale-status|byte-command breaks it on\n"
	"                         purpose (devices/passthrough/pt_faults.c)\n"
	"  --testdev[=SLOT][,fault=NAME]\n"
	"                         add an emulated edu-compatible INTx test device; repeatable.\n"
	"                         Slots s and s+4 share a GSI (16 + (slot + pin - 1) % 4).\n"
	"                         fault=ignore-intx-disable|stale-status breaks it on purpose\n"
	"  --dump-dtb FILE        write the machine's flattened device tree to FILE (- for stdout);\n"
	"                         without --kernel only that (no /dev/kvm needed)\n"
	"  --dump-acpi DIR        write the machine's ACPI tables to DIR (made if missing), one\n"
	"                         NAME.dat each, for iasl -d; without --kernel only that\n"
	"  --stats                print exit and INTx counts at exit, and on SIGUSR1\n"
	"  --api-socket path=PATH|fd=N\n"
	"                         serve the control API (HTTP + JSON, cloud-hypervisor's\n"
	"                         /api/v1/ shapes) on a Unix socket made at PATH (mode 0600,\n"
	"                         removed at exit) or handed over as fd N; pcivmm-ctl and\n"
	"                         curl --unix-socket drive it (doc/api.md)\n"
	"  --event-monitor path=PATH|fd=N\n"
	"                         write one JSON object per line for each event (booted,\n"
	"                         paused, resumed, guest-power-off, guest-reset, exit...)\n"
	"  --seccomp on|off|log   a seccomp filter per thread (default on): a system call\n"
	"                         outside its thread's list ends the VM with one line\n"
	"                         naming it (exit 14); log lets it through and the kernel\n"
	"                         logs it (dmesg); off: no filter (doc/attack-surface.md)\n"
	"  --user USER[:GROUP]    drop root before the guest runs: everything is opened\n"
	"                         first, then pcivmm runs as USER (names or numbers); the\n"
	"                         reaper keeps root to give managed devices back\n"
	"  --chroot DIR           and chroot to DIR (e.g. an empty directory) before that\n"
	"  --log-level LEVEL      error, warning, info (default) or debug: the most detailed\n"
	"                         diagnostics printed (lines say 'error:', 'warning:', 'debug:')\n"
	"  -v, --verbose          --log-level debug: setup and teardown steps, timestamped\n"
	"  --log-file FILE        diagnostics to FILE (appended, each line with its UTC time\n"
	"                         and pid) instead of stderr; for a supervisor's log\n"
	"  -h, --help             this text\n"
	"  -V, --version          version\n"
	"\n"
	"Console (stdin a terminal, raw mode): Ctrl-A x quit, Ctrl-A h keys,\n"
	"Ctrl-A Ctrl-A send Ctrl-A. Signals: SIGINT, SIGTERM, SIGHUP stop the VM\n"
	"(exit 10); SIGUSR1 prints --stats. The manual: man pcivmm.\n"
	"\n" EXIT_CODES_HELP;

enum {
	OPT_KERNEL = 256, OPT_INITRD, OPT_CMDLINE, OPT_MEM, OPT_CPUS,
	OPT_PASSTHROUGH, OPT_TESTDEV, OPT_DUMP_DTB, OPT_STATS, OPT_DUMP_ACPI,
	OPT_LOG_LEVEL, OPT_LOG_FILE, OPT_API_SOCKET, OPT_EVENT_MONITOR, OPT_SECCOMP,
	OPT_USER, OPT_CHROOT,
};

static const struct option cli_options[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "passthrough", required_argument, NULL, OPT_PASSTHROUGH },
	{ "testdev", optional_argument, NULL, OPT_TESTDEV },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "dump-acpi", required_argument, NULL, OPT_DUMP_ACPI },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "log-file", required_argument, NULL, OPT_LOG_FILE },
	{ "api-socket", required_argument, NULL, OPT_API_SOCKET },
	{ "event-monitor", required_argument, NULL, OPT_EVENT_MONITOR },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "user", required_argument, NULL, OPT_USER },
	{ "chroot", required_argument, NULL, OPT_CHROOT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* Options that take one value: a second one is refused, never silently the winner. */
static bool cli_once(int opt, unsigned long *seen, FILE *err)
{
	unsigned long bit;

	if (opt < OPT_KERNEL || opt == OPT_PASSTHROUGH || opt == OPT_TESTDEV || opt == OPT_STATS)
		return true; /* repeatable, or a flag */
	bit = 1ul << (opt - OPT_KERNEL);
	if (!(*seen & bit)) {
		*seen |= bit;
		return true;
	}
	for (const struct option *o = cli_options; o->name; o++)
		if (o->val == opt)
			fprintf(err, "pcivmm: error: --%s given twice; give it once\n", o->name);
	return false;
}

/*
 * --dump-dtb FILE as out_file.h writes it: "-" is stdout, a device node or
 * FIFO is written through, a directory is refused, anything else needs a
 * writable directory (for FILE.tmp.PID) and a name that fits. Checked here
 * so a bad path costs no VM and leaves nothing.
 */
static bool dump_dtb_path_ok(const char *path, FILE *err)
{
	struct out_file_plan plan;
	const char *why;
	int ret = out_file__plan(path, &plan, &why);

	if (ret == -ENAMETOOLONG) {
		fprintf(err, "pcivmm: error: --dump-dtb: %s; use a path of at most %zu characters, or - for stdout\n",
			why, sizeof(plan.path) - 32);
	} else if (ret == -EISDIR) {
		fprintf(err, "pcivmm: error: --dump-dtb %s: %s in it, or - for stdout\n", path, why);
	} else if (ret && plan.kind == OUT_FILE_REPLACE) {
		fprintf(err, "pcivmm: error: --dump-dtb %s: directory %s: %s; create it or pick a writable one\n",
			path, plan.dir, strerror(-ret));
	} else if (ret) {
		fprintf(err, "pcivmm: error: --dump-dtb %s: %s; pick another file, or - for stdout\n", path,
			strerror(-ret));
	}
	return ret == 0;
}

/*
 * One host device goes to one guest slot, and a slot holds one device:
 * the same BDF twice, or two devices asking for one slot, is a usage
 * error that names both options.
 */
static bool devices_consistent(const struct vmm_config *cfg, FILE *err)
{
	int slots[32] = { 0 }; /* 1 + index of the option that took the slot */

	for (unsigned i = 0; i < cfg->nr_passthrough; i++) {
		const struct passthrough_opts *p = &cfg->passthrough[i];

		for (unsigned j = 0; j < i; j++)
			if (!strcmp(cfg->passthrough[j].bdf, p->bdf)) {
				fprintf(err, "pcivmm: error: --passthrough %s is given twice (options %u and %u); pass each device once\n",
					p->bdf, j + 1, i + 1);
				return false;
			}
		if (p->slot > 0 && slots[p->slot]) {
			fprintf(err, "pcivmm: error: --passthrough %s,slot=%d and --passthrough %s,slot=%d want the same guest slot; pick another\n",
				cfg->passthrough[slots[p->slot] - 1].bdf, p->slot, p->bdf, p->slot);
			return false;
		}
		if (p->slot > 0)
			slots[p->slot] = i + 1;
	}
	for (unsigned i = 0; i < cfg->nr_testdevs; i++) {
		int slot = cfg->testdevs[i].slot;

		if (slot > 0 && slots[slot]) {
			fprintf(err, "pcivmm: error: --testdev=%d and --passthrough %s,slot=%d want the same guest slot; pick another\n",
				slot, cfg->passthrough[slots[slot] - 1].bdf, slot);
			return false;
		}
	}
	return true;
}

/*
 * --dump-acpi DIR: a directory pcivmm can write in, or a name that can be
 * made one (its parent exists and is writable). Checked here so a bad
 * path costs no VM.
 */
static bool dump_acpi_dir_ok(const char *dir, FILE *err)
{
	char parent[4096];
	struct stat st;
	char *slash;

	if (!dir[0]) {
		fprintf(err, "pcivmm: error: --dump-acpi: the directory name is empty; give a directory, made if missing\n");
		return false;
	}
	if (strlen(dir) >= sizeof(parent) - 16) {
		fprintf(err, "pcivmm: error: --dump-acpi: the path is too long; use at most %zu characters\n",
			sizeof(parent) - 17);
		return false;
	}
	if (!stat(dir, &st)) {
		if (!S_ISDIR(st.st_mode)) {
			fprintf(err, "pcivmm: error: --dump-acpi %s: not a directory; give a directory, made if missing\n",
				dir);
			return false;
		}
		if (access(dir, W_OK | X_OK)) {
			fprintf(err, "pcivmm: error: --dump-acpi %s: %s; pick a writable directory\n", dir,
				strerror(errno));
			return false;
		}
		return true;
	}
	snprintf(parent, sizeof(parent), "%s", dir);
	while ((slash = strrchr(parent, '/')) && slash[1] == '\0' && slash != parent)
		*slash = '\0'; /* "out/" is "out" */
	slash = strrchr(parent, '/');
	if (!slash)
		snprintf(parent, sizeof(parent), ".");
	else if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	if (access(parent, W_OK | X_OK)) {
		fprintf(err, "pcivmm: error: --dump-acpi %s: directory %s: %s; create it or pick a writable one\n",
			dir, parent, strerror(errno));
		return false;
	}
	return true;
}

/* --mem: a size from CLI_MIN_MEM to CLI_MAX_MEM, a whole number of 4 KiB pages. */
static bool cli_mem(const char *arg, uint64_t *size, FILE *err)
{
	if (!parse__size(arg, size)) {
		fprintf(err, "pcivmm: error: --mem %s: not a size; use e.g. 256M or 1G\n", arg);
		return false;
	}
	if (*size < CLI_MIN_MEM || *size > CLI_MAX_MEM) {
		fprintf(err, "pcivmm: error: --mem %s: out of range; use 16M to 512G\n", arg);
		return false;
	}
	if (*size % 4096) {
		fprintf(err, "pcivmm: error: --mem %s: not a whole number of 4 KiB pages\n", arg);
		return false;
	}
	return true;
}

/* Room for one more --passthrough or --testdev: n of them so far. */
static bool cli_room_for(const char *opt, unsigned n, FILE *err)
{
	if (n < CLI_MAX_DEVICES)
		return true;
	fprintf(err, "pcivmm: error: --%s: at most %d devices\n", opt, CLI_MAX_DEVICES);
	return false;
}

/* --api-socket and --event-monitor: path=PATH or fd=N (checked when opened). */
static bool cli_endpoint(const char *opt, const char *arg, FILE *err)
{
	if (!strncmp(arg, "path=", 5) || !strncmp(arg, "fd=", 3))
		return true;
	fprintf(err, "pcivmm: error: --%s %s: use path=PATH or fd=N\n", opt, arg);
	return false;
}

/*
 * One option into cfg. CLI_RUN: go on; CLI_EXITED (--help or --version
 * printed to out) or CLI_ERROR (one line printed to err): stop there.
 */
static enum cli_result cli_option(int opt, char **argv, struct vmm_config *cfg, bool *verbose,
				  FILE *out, FILE *err)
{
	unsigned long n;
	bool ok = true;

	switch (opt) {
	case OPT_KERNEL: cfg->kernel = optarg; break;
	case OPT_INITRD: cfg->initrd = optarg; break;
	case OPT_CMDLINE:
		ok = strlen(optarg) < CLI_MAX_CMDLINE;
		if (ok)
			cfg->cmdline = optarg;
		else
			fprintf(err, "pcivmm: error: --cmdline: %zu bytes; at most %d fit the boot data\n",
				strlen(optarg), CLI_MAX_CMDLINE - 1);
		break;
	case OPT_DUMP_DTB:
		ok = dump_dtb_path_ok(optarg, err);
		cfg->dump_dtb = ok ? optarg : NULL;
		break;
	case OPT_DUMP_ACPI:
		ok = dump_acpi_dir_ok(optarg, err);
		cfg->dump_acpi = ok ? optarg : NULL;
		break;
	case OPT_MEM: ok = cli_mem(optarg, &cfg->mem_size, err); break;
	case OPT_CPUS:
		ok = parse__uint(optarg, CLI_MAX_CPUS, &n) && n != 0;
		if (ok)
			cfg->nr_cpus = n;
		else
			fprintf(err, "pcivmm: error: --cpus %s: use a number from 1 to %d\n", optarg, CLI_MAX_CPUS);
		break;
	case OPT_PASSTHROUGH:
		ok = cli_room_for("passthrough", cfg->nr_passthrough, err) &&
		     passthrough__parse_option(optarg, &cfg->passthrough[cfg->nr_passthrough], err);
		cfg->nr_passthrough += ok;
		break;
	case OPT_TESTDEV:
		ok = cli_room_for("testdev", cfg->nr_testdevs, err) &&
		     testdev__parse_option(optarg, &cfg->testdevs[cfg->nr_testdevs], err);
		cfg->nr_testdevs += ok;
		break;
	case 'v': *verbose = true; break;
	case OPT_LOG_LEVEL:
		ok = log__parse_level(optarg, &cfg->log_level);
		if (!ok)
			fprintf(err, "pcivmm: error: --log-level %s: use error, warning, info or debug\n",
				optarg);
		break;
	case OPT_LOG_FILE:
		ok = optarg[0] != '\0';
		if (ok)
			cfg->log_file = optarg;
		else
			fprintf(err, "pcivmm: error: --log-file: the path is empty; give a file to append to\n");
		break;
	case OPT_STATS: cfg->stats = true; break;
	case OPT_API_SOCKET:
	case OPT_EVENT_MONITOR:
		ok = cli_endpoint(opt == OPT_API_SOCKET ? "api-socket" : "event-monitor", optarg, err);
		if (ok)
			*(opt == OPT_API_SOCKET ? &cfg->api_socket : &cfg->event_monitor) = optarg;
		break;
	case OPT_SECCOMP:
		ok = sandbox__parse_mode(optarg, &cfg->seccomp);
		if (!ok)
			fprintf(err, "pcivmm: error: --seccomp %s: use on, off or log\n", optarg);
		break;
	case OPT_USER: ok = privileges__parse_user(optarg, &cfg->run_as, err); break;
	case OPT_CHROOT: ok = privileges__parse_chroot(optarg, &cfg->run_as, err); break;
	case 'h': fputs(usage_text, out); return CLI_EXITED;
	case 'V': fputs("pcivmm " PCIVMM_VERSION "\n", out); return CLI_EXITED;
	case ':':
		fprintf(err, "pcivmm: error: %s needs a value; see pcivmm --help\n", argv[optind - 1]);
		return CLI_ERROR;
	default:
		fprintf(err, "pcivmm: error: unknown option '%s'; see pcivmm --help\n", argv[optind - 1]);
		return CLI_ERROR;
	}
	return ok ? CLI_RUN : CLI_ERROR;
}

/*
 * What only the whole command line tells: -v beside --log-level, a stray
 * argument, nothing to boot, two devices for one place.
 */
static enum cli_result cli_whole(int argc, char **argv, struct vmm_config *cfg, bool verbose,
				 unsigned long seen, FILE *err)
{
	if (verbose) {
		if (seen & (1ul << (OPT_LOG_LEVEL - OPT_KERNEL))) {
			fprintf(err, "pcivmm: error: -v is --log-level debug; give one of the two\n");
			return CLI_ERROR;
		}
		cfg->log_level = LOG_DEBUG;
	}
	if (optind < argc) {
		fprintf(err, "pcivmm: error: unexpected argument '%s'; see pcivmm --help\n", argv[optind]);
		return CLI_ERROR;
	}
	if (!cfg->kernel && !cfg->dump_dtb && !cfg->dump_acpi) {
		fprintf(err, "pcivmm: error: nothing to boot; give --kernel FILE (see pcivmm --help)\n");
		return CLI_ERROR;
	}
	return devices_consistent(cfg, err) ? CLI_RUN : CLI_ERROR;
}

enum cli_result cli__parse(int argc, char **argv, struct vmm_config *cfg, FILE *out,
			   FILE *err)
{
	enum cli_result res = CLI_RUN;
	unsigned long seen = 0;
	bool verbose = false;
	int opt;

	*cfg = (struct vmm_config){ .mem_size = 256ULL << 20, .nr_cpus = 1, .log_level = LOG_INFO,
				    .seccomp = sandbox__default_mode() };
	optind = 0; /* glibc: full re-initialisation, so tests can parse repeatedly */
	opterr = 0;
	while (res == CLI_RUN && (opt = getopt_long(argc, argv, ":vhV", cli_options, NULL)) != -1)
		res = cli_once(opt, &seen, err) ? cli_option(opt, argv, cfg, &verbose, out, err)
						: CLI_ERROR;
	return res == CLI_RUN ? cli_whole(argc, argv, cfg, verbose, seen, err) : res;
}
