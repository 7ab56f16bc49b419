// SPDX-License-Identifier: GPL-2.0
/* pcivmm: parse the command line, build the machine, boot it, report. */
#include "acpi.h"
#include "boot.h"
#include "cli.h"
#include "commands.h"
#include "exit_codes.h"
#include "layout.h"
#include "log.h"
#include "machine_fdt.h"
#include "stats.h"
#include "vm.h"
#include "acpi_pm.h"
#include "exit_ports.h"
#include "passthrough.h"
#include "reaper.h"
#include "coalesced_pio.h"
#include "console.h"
#include "pci.h"
#include "testdev.h"
#include "uart.h"
#include "rtc_cmos.h"
#include "control_plane.h"
#include "pci_hotplug.h"
#include "privileges.h"
#include "sandbox_policy.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>


struct boot_files {
	struct boot_file kernel, initrd;
	enum kernel_kind kind;
};

/* Reads and validates the files before any VM exists: bad files are reported as such. */
static int read_boot_files(const struct vmm_config *cfg, struct boot_files *f)
{
	memset(f, 0, sizeof(*f));
	if (cfg->kernel) {
		if (boot_file__read(&f->kernel, cfg->kernel) ||
		    kernel__probe(&f->kernel, &f->kind))
			return EXIT_BAD_IMAGE;
	}
	if (cfg->initrd) {
		if (f->kind == KERNEL_ELF64) {
			pr_err("--initrd %s: only Linux guests (a bzImage, or a vmlinux with a PVH entry) take an initrd",
			       cfg->initrd);
			return EXIT_USAGE;
		}
		if (boot_file__read(&f->initrd, cfg->initrd))
			return EXIT_BAD_IMAGE;
		if (!f->initrd.size) {
			pr_err("%s: the initrd is empty; give an initramfs image, or leave --initrd out",
			       cfg->initrd);
			return EXIT_BAD_IMAGE;
		}
	}
	return 0;
}

/*
 * KVM_IRQ_LINE fails only without an in-kernel irqchip or on a bad GSI,
 * neither of which a running VM can have: if it does, an interrupt would be
 * lost or stuck, so the VM stops with the reason rather than go on wrong.
 */
static void pci_intx_to_kvm(void *opaque, unsigned gsi, bool level)
{
	struct vm *vm = opaque;
	int ret = vm__irq_line(vm, gsi, level);

	if (ret) {
		pr_err("KVM_IRQ_LINE: setting GSI %u %s: %s; stopping the VM", gsi,
		       level ? "high" : "low", strerror(-ret));
		vm__request_exit(vm, EXIT_HOST);
	}
}

static void pci_host_teardown(struct vm *vm, void *opaque)
{
	(void)vm;
	pci_host__exit(opaque);
}

static int create_devices(struct vm *vm, const struct vmm_config *cfg, struct pci_host *pci,
			  struct passthrough_ctx *pt_ctx, struct acpi_pm **pm,
			  struct pci_hotplug **hotplug)
{
	if (exit_ports__create(vm) || acpi_pm__create(vm, pm) || uart__create(vm) ||
	    rtc_cmos__create(vm) || pci_hotplug__create(vm, *pm, hotplug)) {
		pr_err("cannot claim the legacy ports");
		return EXIT_HOST;
	}
	if (pci_host__init(pci, &vm->pio, &vm->mmio, &vm->mem)) {
		pr_err("cannot set up the PCI host bridge");
		return EXIT_HOST;
	}
	*pt_ctx = (struct passthrough_ctx){ .vm = vm, .host = pci };
	pci->reset_request = exit_ports__reset;
	pci->reset_opaque = vm;
	pci->intx.set_gsi_level = pci_intx_to_kvm;
	pci->intx.opaque = vm;
	vm->pci = pci;
	vm__add_teardown(vm, pci_host_teardown, pci);
	/* CONFIG_ADDRESS writes need no exit of their own (coalesced_pio.h). */
	if (coalesced_pio__add(vm, PCI_HOST_CF8_PORT, 4))
		pr_debug("0xcf8 writes are not coalesced: every config access costs two exits");

	for (unsigned i = 0; i < cfg->nr_testdevs; i++) {
		int ret = testdev__create(vm, pci, cfg->testdevs[i].slot,
					  cfg->testdevs[i].fault, NULL);

		if (ret)
			return ret == -EBUSY || ret == -EINVAL ? EXIT_USAGE : EXIT_HOST;
	}
	for (unsigned i = 0; i < cfg->nr_passthrough; i++) {
		if (passthrough__create(pt_ctx, &cfg->passthrough[i], NULL))
			return EXIT_HOST;
	}
	if (pci_host__assign_bars(pci))
		return EXIT_HOST;
	return 0;
}

static void report_devices(const struct pci_host *pci)
{
	for (unsigned s = 1; s < PCI_MAX_SLOTS; s++) {
		const struct pci_device *d = pci->slots[s];

		if (d && d->pin)
			pr_info("%s: %04x:%04x, INT%c -> GSI %u, BAR0 0x%llx", d->name,
				d->vendor_id, d->device_id, 'A' + d->pin - 1, d->gsi,
				(unsigned long long)pci_device__bar_addr(d, 0));
		else if (d)
			pr_info("%s: %04x:%04x, no INTx, BAR0 0x%llx", d->name, d->vendor_id,
				d->device_id, (unsigned long long)pci_device__bar_addr(d, 0));
	}
}

static int collect_pci_irqs(const struct pci_host *pci, struct boot_pci_irq *irqs)
{
	unsigned n = 0;

	for (unsigned s = 1; s < PCI_MAX_SLOTS; s++) {
		const struct pci_device *d = pci->slots[s];

		if (d && d->pin)
			irqs[n++] = (struct boot_pci_irq){ d->slot, d->pin, d->gsi };
	}
	return n;
}

static int load_guest(struct vm *vm, const struct vmm_config *cfg, struct boot_files *f,
		      const void *fdt, size_t fdt_size, const struct acpi_tables *acpi)
{
	struct boot_pci_irq irqs[PCI_MAX_SLOTS];
	void *acpi_dst = guest_mem__ptr(&vm->mem, ACPI_TABLES_ADDR, acpi->size);
	struct boot_setup setup = {
		.kernel = &f->kernel,
		.initrd = cfg->initrd ? &f->initrd : NULL,
		.cmdline = cfg->cmdline,
		.fdt = fdt,
		.fdt_size = fdt_size,
		.nr_cpus = vm->nr_vcpus,
		.pci_irqs = irqs,
		.nr_pci_irqs = collect_pci_irqs(vm->pci, irqs),
		.acpi_rsdp = acpi->rsdp_addr,
		.long_mode_only = vcpu_boot__long_mode_only(),
	};
	struct boot_regs regs;
	int ret;

	if (!acpi_dst) {
		pr_err("no guest RAM at 0x%llx for the ACPI tables", ACPI_TABLES_ADDR);
		return EXIT_HOST;
	}
	memcpy(acpi_dst, acpi->data, acpi->size);

	if (f->kind != KERNEL_BZIMAGE)
		ret = boot_elf__load(&vm->mem, &setup, &regs);
	else
		ret = boot_linux__load(&vm->mem, &setup, &regs);
	if (ret)
		return EXIT_BAD_IMAGE;
	if (regs.protected32)
		pr_info("%s: entered at its PVH entry 0x%llx in 32-bit protected mode", cfg->kernel,
			(unsigned long long)regs.rip);
	if (vcpu_boot__set_regs(vm->vcpus[0].fd, &regs)) {
		pr_err("cannot set the boot vCPU's registers");
		return EXIT_HOST;
	}
	return 0;
}

/* Everything one run builds, in the order main() builds it. */
struct machine {
	struct vmm_config cfg;
	struct boot_files files;
	struct control_plane cp;
	struct vm vm;
	struct pci_host pci;
	struct passthrough_ctx pt_ctx;
	struct acpi_pm *pm;
	struct pci_hotplug *hotplug;
	uint8_t fdt[MACHINE_FDT_MAX];
	int fdt_size;
	struct acpi_tables acpi;
};

/* --log-level and --log-file; EXIT_USAGE with one line if the file cannot be had. */
static int setup_log(const struct vmm_config *cfg)
{
	int err;

	log_level = cfg->log_level;
	if (!cfg->log_file)
		return 0;
	err = log__open_file(cfg->log_file);
	if (err) {
		fprintf(stderr, "pcivmm: error: --log-file %s: %s; pick a file pcivmm can append to\n",
			cfg->log_file, strerror(-err));
		return EXIT_USAGE;
	}
	return 0;
}

/* The VM and its devices; without --kernel only described (no /dev/kvm needed). */
static int build_machine(struct machine *m)
{
	const struct vmm_config *cfg = &m->cfg;
	int ret;

	if (cfg->kernel ? vm__create(&m->vm, cfg->mem_size, cfg->nr_cpus)
			: vm__create_described(&m->vm, cfg->mem_size))
		return EXIT_HOST;
	pr_debug("VM created: %llu MiB of RAM, %u vCPUs", (unsigned long long)(cfg->mem_size >> 20),
		 cfg->nr_cpus);
	ret = create_devices(&m->vm, cfg, &m->pci, &m->pt_ctx, &m->pm, &m->hotplug);
	if (!ret)
		pr_debug("devices ready");
	return ret;
}

/* The tables that describe the machine to the guest (FDT, ACPI), and --dump-* of them. */
static int describe_machine(struct machine *m)
{
	const struct vmm_config *cfg = &m->cfg;

	m->fdt_size = machine_fdt__build(m->fdt, sizeof(m->fdt), &m->vm.mem, cfg->nr_cpus, &m->pci,
					 cfg->cmdline);
	if (m->fdt_size < 0)
		return EXIT_HOST;
	if (cfg->dump_dtb && machine_fdt__write_file(m->fdt, m->fdt_size, cfg->dump_dtb))
		return EXIT_USAGE;
	if (acpi__build(&m->acpi, cfg->nr_cpus, &m->pci))
		return EXIT_HOST;
	if (cfg->dump_acpi && acpi__write_dir(&m->acpi, cfg->dump_acpi))
		return EXIT_USAGE;
	return 0;
}

/* Loads the guest and runs it, with the control plane and the console, to its end. */
static int run_machine(struct machine *m)
{
	const struct vmm_config *cfg = &m->cfg;
	int ret = load_guest(&m->vm, cfg, &m->files, m->fdt, m->fdt_size, &m->acpi);

	/*
	 * The kernel and initrd now live in guest RAM: free pcivmm's copies,
	 * which would otherwise stay resident (and counted in our RSS) for
	 * the whole life of the VM.
	 */
	boot_file__free(&m->files.kernel);
	boot_file__free(&m->files.initrd);
	if (ret)
		return ret;
	pr_debug("guest loaded");
	report_devices(&m->pci);
	m->vm.report = cfg->stats ? stats__print : NULL;
	if (control_plane__start(&m->cp, &m->vm, m->pm, m->hotplug,
				 &(struct vm_control_machine){ cfg->kernel, cfg->cmdline,
							       cfg->mem_size, &m->pt_ctx }))
		return EXIT_HOST;
	ret = console__init(&m->vm);
	if (ret)
		pr_warn("stdin is a terminal but cannot be put in raw mode: %s", strerror(-ret));
	/*
	 * Everything is open: root goes now, before the guest runs. VFIO pins
	 * guest RAM once per container (at most one per passed device).
	 */
	if (cfg->run_as.drop && reaper__seal()) {
		pr_err("the reaper did not confirm it is sealed (it ended?): pcivmm stops rather than run the guest without root and an open reaper");
		console__restore();
		return EXIT_HOST;
	}
	if (privileges__drop(&cfg->run_as, cfg->mem_size * cfg->nr_passthrough)) {
		console__restore();
		return EXIT_HOST;
	}
	ret = vm__run(&m->vm);
	console__restore();
	return ret;
}

int main(int argc, char **argv)
{
	static struct machine m;
	const struct command *command;
	int ret;

	log__start();
	command = command__find(argc, argv);
	if (command)
		return command->main(argc, argv);
	switch (cli__parse(argc, argv, &m.cfg, stdout, stderr)) {
	case CLI_EXITED:
		return 0;
	case CLI_ERROR:
		return EXIT_USAGE;
	case CLI_RUN:
		break;
	}
	if (setup_log(&m.cfg))
		return EXIT_USAGE;
	/*
	 * A console reader that goes away must not kill us before teardown
	 * (a passed device would be left as the guest had it): writes to a
	 * closed stdout fail with EPIPE instead, and the UART drops the byte.
	 */
	signal(SIGPIPE, SIG_IGN);
	vm__hold_signals();
	/*
	 * jansson seeds its hash tables from /dev/urandom on first use: now,
	 * before any thread is confined (an event from a vCPU thread would
	 * otherwise be its first use).
	 */
	json_object_seed(0);
	if (sandbox_policy__configure(m.cfg.seccomp, &m.cfg.run_as))
		return EXIT_HOST;

	if (control_plane__open(&m.cp, m.cfg.api_socket, m.cfg.event_monitor, stderr))
		return EXIT_USAGE;
	ret = read_boot_files(&m.cfg, &m.files);
	if (ret)
		goto out_files;
	pr_debug("boot files read");
	/*
	 * Before any device is opened and before any thread exists (reaper.h);
	 * with the API too, which may plug host devices in later; and for a
	 * privilege drop, after which the reaper does what needs root.
	 */
	if (m.cfg.nr_passthrough || m.cfg.api_socket || m.cfg.run_as.drop)
		reaper__start();
	/* A pcivmm without root cannot remove its socket at exit; the reaper can. */
	if (m.cfg.run_as.drop && m.cfg.api_socket && !strncmp(m.cfg.api_socket, "path=", 5))
		reaper__remove_at_exit(m.cfg.api_socket + 5);

	ret = build_machine(&m);
	if (!ret)
		ret = describe_machine(&m);
	if (!ret && m.cfg.kernel)
		ret = run_machine(&m);
	control_plane__close(&m.cp, &m.vm);
	vm__destroy(&m.vm);
	pr_debug("VM destroyed; exit status %d", ret);
out_files:
	control_plane__close(&m.cp, NULL);
	boot_file__free(&m.files.kernel);
	boot_file__free(&m.files.initrd);
	return ret;
}
