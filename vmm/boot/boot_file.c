// SPDX-License-Identifier: GPL-2.0
#include "boot.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files larger than this cannot be a kernel or initrd for our RAM sizes. */
#define BOOT_FILE_MAX (2ULL << 30)

int boot_file__read(struct boot_file *f, const char *path)
{
	struct stat st;
	int fd, ret = 0;

	*f = (struct boot_file){ .path = path };
	/* O_NONBLOCK: opening a FIFO for reading must not wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		ret = -errno;
		pr_err("%s: %s; check the path", path, strerror(errno));
		return ret;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pr_err("%s: not a regular file", path);
		ret = -EINVAL;
		goto out;
	}
	if ((unsigned long long)st.st_size > BOOT_FILE_MAX) {
		pr_err("%s: %lld bytes is too large to boot", path, (long long)st.st_size);
		ret = -EFBIG;
		goto out;
	}
	f->size = st.st_size;
	if (!f->size)
		goto out; /* empty: the probe says what it is not */
	f->data = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (f->data == MAP_FAILED) {
		ret = -errno;
		f->data = NULL;
		pr_err("%s: cannot map it: %s", path, strerror(errno));
		goto out;
	}
	f->mapped = true;
out:
	close(fd);
	if (ret)
		boot_file__free(f);
	return ret;
}

void boot_file__free(struct boot_file *f)
{
	if (f->mapped && f->data)
		munmap(f->data, f->size);
	else
		free(f->data);
	f->data = NULL;
	f->size = 0;
	f->mapped = false;
}

int kernel__probe(const struct boot_file *k, enum kernel_kind *kind)
{
	static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (k->size >= 4 && memcmp(k->data, elf_magic, 4) == 0) {
		return elf__validate(k, kind);
	}
	/* The bzImage setup header carries "HdrS" at 0x202 (boot protocol 2.00+). */
	if (k->size >= 0x206 && memcmp(k->data + 0x202, "HdrS", 4) == 0) {
		*kind = KERNEL_BZIMAGE;
		return bzimage__validate(k);
	}
	pr_err("%s: neither a 64-bit ELF nor a Linux bzImage%s", k->path,
	       k->size < 0x206 ? " (file is truncated or empty)" : "");
	return -EINVAL;
}
