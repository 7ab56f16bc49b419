// SPDX-License-Identifier: GPL-2.0
#include "boot.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files larger than this cannot be a kernel or initrd for our RAM sizes. */
#define BOOT_FILE_MAX (2ULL << 30)

/*
 * Reads exactly f->size bytes of fd into f->data. A file that ends sooner
 * was truncated since fstat (or is no ordinary file: a sysfs attribute's
 * size is a page, whatever it holds).
 */
static int boot_file_read_all(struct boot_file *f, int fd)
{
	size_t done = 0;

	while (done < f->size) {
		ssize_t n = read(fd, f->data + done, f->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			pr_err("%s: reading it: %s", f->path, strerror(err));
			return -err;
		}
		if (n == 0) {
			pr_err("%s: ends after %zu of its %zu bytes: it changed while pcivmm read it; boot a copy nothing rewrites",
			       f->path, done, f->size);
			return -EIO;
		}
		done += n;
	}
	return 0;
}

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
	f->data = malloc(f->size);
	if (!f->data) {
		ret = -ENOMEM;
		pr_err("%s: no memory for its %zu bytes", path, f->size);
		goto out;
	}
	ret = boot_file_read_all(f, fd);
out:
	close(fd);
	if (ret)
		boot_file__free(f);
	return ret;
}

void boot_file__free(struct boot_file *f)
{
	free(f->data);
	f->data = NULL;
	f->size = 0;
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
