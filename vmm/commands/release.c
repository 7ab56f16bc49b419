// SPDX-License-Identifier: GPL-2.0
/* pcivmm release BDF...: managed devices back to their host drivers (release.h). */
#include "release.h"
#include "binding.h"
#include "exit_codes.h"
#include "host_dev.h"
#include "log.h"
#include "passthrough.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

int release__main(int argc, char **argv)
{
	int ret = 0;

	if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		fputs("Usage: pcivmm release BDF...\n"
		      "Gives each device a killed pcivmm managed (,managed) back to its host driver,\n"
		      "masking it first if it still asserts INTx. Refuses a device a running pcivmm\n"
		      "has. Exit status: 0 done, 2 bad input, 6 a device could not be given back.\n",
		      stdout);
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "pcivmm: error: release: no device given; usage: pcivmm release BDF... (see pcivmm release --help)\n");
		return EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		struct passthrough_opts dev;
		const char *bdf = dev.bdf;
		char driver[64];
		pid_t owner;

		if (!passthrough__parse_bdf(argv[i], &dev, "release", stderr)) {
			ret = EXIT_USAGE;
			continue;
		}
		if (!host_dev__exists(bdf)) {
			pr_err("%s: no such PCI device on this host; check the address with lspci -D", bdf);
			ret = EXIT_USAGE;
			continue;
		}
		owner = binding__owner(bdf);
		if (owner > 0 && kill(owner, 0) == 0) {
			pr_err("%s: pcivmm %d still has it; stop that VM instead", bdf, (int)owner);
			ret = EXIT_USAGE;
			continue;
		}
		/*
		 * A device a host driver has (not vfio-pci, pci-stub or none, where
		 * pcivmm leaves devices) is that driver's, its interrupt too.
		 */
		host_dev__driver(bdf, driver, sizeof(driver));
		if (!owner && driver[0] && strcmp(driver, "vfio-pci") && strcmp(driver, "pci-stub")) {
			pr_info("%s: bound to %s, not left by pcivmm: nothing to do", bdf, driver);
			continue;
		}
		if (host_dev__quiesce_intx(bdf) == 1)
			pr_warn("%s: was asserting INTx; left with INTX_DISABLE set", bdf);
		if (!owner) {
			pr_info("%s: not managed by pcivmm: nothing to give back", bdf);
			continue;
		}
		if (binding__give_back(bdf, 0))
			ret = EXIT_HOST;
		else
			pr_info("%s: given back to its driver", bdf);
	}
	return ret;
}
