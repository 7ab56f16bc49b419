// SPDX-License-Identifier: GPL-2.0
/*
 * ext-caps: the extended config space (0x100-0xfff, through ECAM) of every
 * device, walked as Linux's pci_find_ext_capability() does: the chain must
 * be well formed (dword aligned, inside the space, no loops) and writes
 * there must change nothing. Prints "ext-caps BB:DD.F: ID@OFF ..." per
 * device with extended capabilities (a null header, ID 0, is skipped as
 * Linux does), so the caller can compare with the host's view of the
 * device. Needs ECAM (pcivmm's FDT); under QEMU without it there is
 * nothing to walk.
 */
#include "guest.h"

const char test_name[] = "ext-caps";

#define EXT_START 0x100
#define EXT_MAX_CAPS ((4096 - 256) / 8)

void test_main(void)
{
	struct pci_dev devs[PCI_MAX_DEVS];
	int n = pci_discover(devs, PCI_MAX_DEVS), with_ext = 0;

	if (!pci_ecam_base) {
		check(false, "ECAM is known (booted by pcivmm, which describes it in the FDT)");
		return;
	}
	for (int i = 0; i < n; i++) {
		const struct pci_dev *d = &devs[i];
		uint32_t hdr = pci_ecam_read(d->bus, d->dev, d->fn, EXT_START, 4), before;
		unsigned off = EXT_START, count = 0;
		char line[512];
		int used;
		bool ok = true;

		if (hdr == 0 || hdr == 0xffffffff) {
			uint64_t a = pci_ecam_base + ((uint64_t)d->bus << 20 | d->dev << 15 |
						      d->fn << 12 | EXT_START);

			/* Conventional: the space reads 0 (all ones would mean absent). */
			mmio_write32(a, 0x12345678);
			check(hdr == 0 && pci_ecam_read(d->bus, d->dev, d->fn, EXT_START, 4) == 0 &&
				      pci_ecam_read(d->bus, d->dev, d->fn, 0xffc, 4) == 0,
			      "%02x:%02x.%x: conventional: its extended space reads 0, writes change nothing",
			      d->bus, d->dev, d->fn);
			continue;
		}
		with_ext++;
		used = snprintf(line, sizeof(line), "ext-caps %02x:%02x.%x:", d->bus, d->dev, d->fn);
		while (off) {
			if (off < EXT_START || off > 0xffc || (off & 3) || ++count > EXT_MAX_CAPS) {
				ok = false;
				break;
			}
			hdr = pci_ecam_read(d->bus, d->dev, d->fn, off, 4);
			if (PCI_EXT_CAP_ID(hdr) && used < (int)sizeof(line))
				used += snprintf(line + used, sizeof(line) - used, " 0x%04x@0x%03x",
						 PCI_EXT_CAP_ID(hdr), off);
			off = PCI_EXT_CAP_NEXT(hdr);
		}
		printf("%s\n", line);
		check(ok, "%02x:%02x.%x: its extended capability chain is well formed (%u)", d->bus,
		      d->dev, d->fn, count);
		/* Read-only to the guest: a write to the first header changes nothing. */
		before = pci_ecam_read(d->bus, d->dev, d->fn, EXT_START, 4);
		mmio_write32(pci_ecam_base + ((uint64_t)d->bus << 20 | d->dev << 15 | d->fn << 12 |
					      EXT_START), 0xffffffff);
		check(pci_ecam_read(d->bus, d->dev, d->fn, EXT_START, 4) == before,
		      "%02x:%02x.%x: a write to its extended space changes nothing", d->bus, d->dev,
		      d->fn);
	}
	printf("ext-caps: %d of %d devices with extended space\n", with_ext, n);
}
