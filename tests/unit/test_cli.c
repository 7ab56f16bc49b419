// SPDX-License-Identifier: GPL-2.0
/* Command-line parsing: good input fills the config, bad input says one line. */
#include "unit.h"
#include "cli.h"
#include "parse_num.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define ARGV(...) ((char *[]){ "pcivmm", __VA_ARGS__, NULL })

static char errbuf[4096];

static enum cli_result parse(char **argv, struct vmm_config *cfg)
{
	int argc = 0;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");
	FILE *out = fopen("/dev/null", "w");
	enum cli_result r;

	while (argv[argc])
		argc++;
	memset(errbuf, 0, sizeof(errbuf));
	r = cli__parse(argc, argv, cfg, out, err);
	fclose(err);
	fclose(out);
	return r;
}

static unsigned lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

#define EXPECT_ERROR(mention, ...)                                            \
	do {                                                                  \
		struct vmm_config _c;                                         \
		EXPECT_EQ(parse(ARGV(__VA_ARGS__), &_c), CLI_ERROR);          \
		EXPECT_EQ(lines(errbuf), 1);                                  \
		EXPECT(strstr(errbuf, mention));                              \
	} while (0)

TEST(defaults_and_full_command_line)
{
	struct vmm_config c;
	char **a = ARGV("--kernel", "k.elf", "--mem", "1G", "--cpus", "4", "--cmdline", "count=5",
			"--testdev", "--testdev=8,fault=stale-status",
			"--passthrough", "00:04.0,slot=12", "--passthrough", "0001:02:1f.7");

	EXPECT_EQ(parse(a, &c), CLI_RUN);
	EXPECT(!strcmp(c.kernel, "k.elf"));
	EXPECT_EQ(c.mem_size, 1ULL << 30);
	EXPECT_EQ(c.nr_cpus, 4);
	EXPECT(!strcmp(c.cmdline, "count=5"));
	EXPECT_EQ(c.nr_testdevs, 2);
	EXPECT_EQ(c.testdevs[0].slot, -1);
	EXPECT_EQ(c.testdevs[1].slot, 8);
	EXPECT_EQ(c.testdevs[1].fault, TESTDEV_FAULT_STALE_STATUS);
	EXPECT_EQ(c.nr_passthrough, 2);
	EXPECT(!strcmp(c.passthrough[0].bdf, "0000:00:04.0"));
	EXPECT_EQ(c.passthrough[0].slot, 12);
	EXPECT(!strcmp(c.passthrough[1].bdf, "0001:02:1f.7"));
	EXPECT_EQ(c.passthrough[1].func, 7);
}

TEST(sizes_parse_with_suffixes_and_bare_mib)
{
	uint64_t v;

	EXPECT(parse__size("256M", &v) && v == 256ULL << 20);
	EXPECT(parse__size("2g", &v) && v == 2ULL << 30);
	EXPECT(parse__size("512", &v) && v == 512ULL << 20);
	EXPECT(parse__size("64KB", &v) && v == 64ULL << 10);
	EXPECT(!parse__size("", &v));
	EXPECT(!parse__size("-1G", &v));
	EXPECT(!parse__size("12Q", &v));
	EXPECT(!parse__size("99999999999999999999", &v));
	EXPECT(!parse__size("18446744073709551615T", &v));
}

TEST(bad_bdf_is_one_line_naming_it)
{
	EXPECT_ERROR("00:zz.9", "--passthrough", "00:zz.9", "--kernel", "k");
	EXPECT_ERROR("wildcards", "--passthrough", "00:*.0", "--kernel", "k");
	EXPECT_ERROR("slot=", "--passthrough", "00:04.0,slot=0", "--kernel", "k");
	EXPECT_ERROR("bad option", "--passthrough", "00:04.0,bogus", "--kernel", "k");
	EXPECT_ERROR("bad option 'msix=maybe'", "--passthrough", "00:04.0,msix=maybe", "--kernel", "k");
}

TEST(msix_off_hides_msix_and_msix_on_is_the_default)
{
	struct vmm_config c;

	EXPECT_EQ(parse(ARGV("--kernel", "k", "--passthrough", "00:04.0,msix=off",
			     "--passthrough", "00:05.0,msix=on", "--passthrough", "00:06.0"), &c), CLI_RUN);
	EXPECT(c.passthrough[0].msix_off);
	EXPECT(!c.passthrough[1].msix_off);
	EXPECT(!c.passthrough[2].msix_off);
	EXPECT_ERROR("msix given twice", "--kernel", "k", "--passthrough", "00:04.0,msix=off,msix=on");
}

TEST(bad_memory_cpus_and_testdev_values_are_refused)
{
	EXPECT_ERROR("--mem 0", "--mem", "0", "--kernel", "k");
	EXPECT_ERROR("not a size", "--mem", "lots", "--kernel", "k");
	EXPECT_ERROR("--cpus 0", "--cpus", "0", "--kernel", "k");
	EXPECT_ERROR("--cpus 65", "--cpus", "65", "--kernel", "k");
	EXPECT_ERROR("slot 0", "--testdev=0", "--kernel", "k");
	EXPECT_ERROR("unknown fault", "--testdev=fault=melt", "--kernel", "k");
	EXPECT_ERROR("not a slot", "--testdev=40", "--kernel", "k");
}

TEST(unknown_option_missing_value_and_nothing_to_boot)
{
	EXPECT_ERROR("unknown option", "--frobnicate", "--kernel", "k");
	EXPECT_ERROR("needs a value", "--kernel");
	EXPECT_ERROR("nothing to boot", "--mem", "1G");
	EXPECT_ERROR("unexpected argument", "--kernel", "k", "extra");
}

TEST(an_option_or_sub_option_given_twice_is_refused_not_overridden)
{
	EXPECT_ERROR("--kernel given twice; give it once", "--kernel", "a", "--kernel", "b");
	EXPECT_ERROR("--mem given twice", "--kernel", "k", "--mem", "1G", "--mem", "2G");
	EXPECT_ERROR("--initrd given twice", "--kernel", "k", "--initrd", "a", "--initrd=b");
	EXPECT_ERROR("slot given twice", "--kernel", "k", "--passthrough", "00:04.0,slot=1,slot=2");
	EXPECT_ERROR("managed given twice", "--kernel", "k", "--passthrough", "00:04.0,managed,managed");
	EXPECT_ERROR("two slots; give one", "--kernel", "k", "--testdev=3,3");
	EXPECT_ERROR("two faults; give one", "--kernel", "k",
		     "--testdev=fault=stale-status,fault=ignore-intx-disable");
}

TEST(a_bdf_without_its_function_says_so)
{
	EXPECT_ERROR("00:04: no function number; give one function, like 00:04.0", "--kernel", "k",
		     "--passthrough", "00:04");
}

TEST(help_and_version_exit_without_running)
{
	struct vmm_config c;

	EXPECT_EQ(parse(ARGV("--help"), &c), CLI_EXITED);
	EXPECT_EQ(parse(ARGV("-V"), &c), CLI_EXITED);
}

/* Issue 11's findings, each pinned down. */
TEST(a_pci_domain_above_ffff_is_kept_whole)
{
	struct vmm_config c;

	EXPECT_EQ(parse(ARGV("--kernel", "k", "--passthrough", "10000:01:00.0"), &c), CLI_RUN);
	EXPECT(!strcmp(c.passthrough[0].bdf, "10000:01:00.0"));
}

TEST(slot_numbers_are_decimal_not_octal)
{
	struct vmm_config c;

	EXPECT_EQ(parse(ARGV("--kernel", "k", "--testdev=010", "--passthrough", "0:4.0,slot=09"), &c),
		  CLI_RUN);
	EXPECT_EQ(c.testdevs[0].slot, 10);
	EXPECT_EQ(c.passthrough[0].slot, 9);
}

TEST(guest_ram_is_a_whole_number_of_pages)
{
	EXPECT_ERROR("4 KiB pages", "--kernel", "k", "--mem", "16385K");
}

TEST(an_empty_passthrough_says_no_device)
{
	EXPECT_ERROR("no device given", "--kernel", "k", "--passthrough", "");
	EXPECT_ERROR("no device given", "--kernel", "k", "--passthrough", ",slot=3");
}

TEST(a_command_line_too_long_for_the_boot_data_is_a_usage_error)
{
	static char big[CLI_MAX_CMDLINE + 100];

	memset(big, 'a', sizeof(big) - 1);
	EXPECT_ERROR("--cmdline", "--kernel", "k", "--cmdline", big);
	big[CLI_MAX_CMDLINE - 1] = '\0';
	{
		struct vmm_config c;

		EXPECT_EQ(parse(ARGV("--kernel", "k", "--cmdline", big), &c), CLI_RUN);
	}
}

TEST(a_dump_dtb_path_that_cannot_be_written_is_a_usage_error)
{
	static char longname[PATH_MAX + 10];

	EXPECT_ERROR("directory /nonexistent-pcivmm", "--dump-dtb", "/nonexistent-pcivmm/m.dtb");
	memset(longname, 'x', sizeof(longname) - 1);
	EXPECT_ERROR("too long", "--dump-dtb", longname);
}

TEST(the_same_device_twice_or_two_devices_in_one_slot_are_usage_errors)
{
	EXPECT_ERROR("0000:00:04.0 is given twice (options 1 and 2)", "--kernel", "k",
		     "--passthrough", "00:04.0", "--passthrough", "0000:00:04.0,slot=5");
	EXPECT_ERROR("--passthrough 0000:00:04.0,slot=6 and --passthrough 0000:00:08.0,slot=6",
		     "--kernel", "k", "--passthrough", "00:04.0,slot=6", "--passthrough", "00:08.0,slot=6");
	EXPECT_ERROR("--testdev=6 and --passthrough 0000:00:04.0,slot=6", "--kernel", "k",
		     "--passthrough", "00:04.0,slot=6", "--testdev=6");
}
