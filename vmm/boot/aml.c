// SPDX-License-Identifier: GPL-2.0
#include "aml.h"

#include <string.h>

#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_STRING_PREFIX 0x0d
#define AML_QWORD_PREFIX 0x0e
#define AML_SCOPE_OP 0x10
#define AML_BUFFER_OP 0x11
#define AML_PACKAGE_OP 0x12
#define AML_EXT_OP_PREFIX 0x5b
#define AML_DEVICE_OP 0x82 /* after AML_EXT_OP_PREFIX */
#define AML_OPREGION_OP 0x80 /* after AML_EXT_OP_PREFIX */
#define AML_FIELD_OP 0x81 /* after AML_EXT_OP_PREFIX */
#define AML_METHOD_OP 0x14
#define AML_IF_OP 0xa0
#define AML_REGION_SYSTEM_IO 0x01
/* FieldFlags: AccessType DWordAcc (3), LockRule NoLock, UpdateRule WriteAsZeros (2 << 5). */
#define AML_FIELD_DWORD_WRITE_ZEROS (0x03 | 0x40)
#define AML_ROOT_CHAR '\\'
#define AML_DUAL_NAME_PREFIX 0x2e
#define AML_MULTI_NAME_PREFIX 0x2f

/* Kinds of opened term, kept in the byte a mark points past (see aml_open). */
enum { AML_OPEN_PLAIN, AML_OPEN_BUFFER };

void aml__init(struct aml *a, uint8_t *buf, size_t cap)
{
	*a = (struct aml){ .buf = buf, .cap = cap };
}

void aml__bytes(struct aml *a, const void *data, size_t n)
{
	if (a->overflow || n > a->cap - a->len) {
		a->overflow = true;
		return;
	}
	memcpy(a->buf + a->len, data, n);
	a->len += n;
}

static void aml_byte(struct aml *a, uint8_t b)
{
	aml__bytes(a, &b, 1);
}

static void aml_le(struct aml *a, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		aml_byte(a, (uint8_t)(v >> (8 * i)));
}

void aml__integer(struct aml *a, uint64_t v)
{
	if (v == 0) {
		aml_byte(a, AML_ZERO_OP);
	} else if (v == 1) {
		aml_byte(a, AML_ONE_OP);
	} else if (v <= 0xff) {
		aml_byte(a, AML_BYTE_PREFIX);
		aml_le(a, v, 1);
	} else if (v <= 0xffff) {
		aml_byte(a, AML_WORD_PREFIX);
		aml_le(a, v, 2);
	} else if (v <= 0xffffffff) {
		aml_byte(a, AML_DWORD_PREFIX);
		aml_le(a, v, 4);
	} else {
		aml_byte(a, AML_QWORD_PREFIX);
		aml_le(a, v, 8);
	}
}

/* NameString (20.2.2): [\] then one NameSeg, DualNamePrefix two, MultiNamePrefix n. */
void aml__name(struct aml *a, const char *path)
{
	size_t segs;

	if (*path == AML_ROOT_CHAR) {
		aml_byte(a, AML_ROOT_CHAR);
		path++;
	}
	segs = (strlen(path) + 1) / 5;
	if (segs == 2) {
		aml_byte(a, AML_DUAL_NAME_PREFIX);
	} else if (segs > 2) {
		aml_byte(a, AML_MULTI_NAME_PREFIX);
		aml_byte(a, (uint8_t)segs);
	}
	for (size_t i = 0; i < segs; i++)
		aml__bytes(a, path + 5 * i, 4);
}

void aml__name_op(struct aml *a, const char *path)
{
	aml_byte(a, AML_NAME_OP);
	aml__name(a, path);
}

void aml__eisaid(struct aml *a, const char *id)
{
	/* Three letters of 5 bits each ('A' is 1), then four hex digits, big-endian. */
	uint32_t v = (uint32_t)((id[0] - '@') << 26 | (id[1] - '@') << 21 | (id[2] - '@') << 16);

	for (unsigned i = 3; i < 7; i++) {
		char c = id[i];

		v |= (uint32_t)(c <= '9' ? c - '0' : c - 'A' + 10) << (4 * (6 - i));
	}
	aml_byte(a, AML_DWORD_PREFIX);
	aml_le(a, __builtin_bswap32(v), 4);
}

void aml__string(struct aml *a, const char *s)
{
	aml_byte(a, AML_STRING_PREFIX);
	aml__bytes(a, s, strlen(s) + 1);
}

/*
 * A mark is the offset where the term's PkgLength goes; the byte before
 * the body is a placeholder remembering the kind, replaced at close.
 */
static size_t aml_open(struct aml *a, uint8_t kind)
{
	size_t mark = a->len;

	aml_byte(a, kind);
	return mark;
}

size_t aml__scope_open(struct aml *a, const char *path)
{
	size_t mark;

	aml_byte(a, AML_SCOPE_OP);
	mark = aml_open(a, AML_OPEN_PLAIN);
	aml__name(a, path);
	return mark;
}

size_t aml__device_open(struct aml *a, const char *path)
{
	size_t mark;

	aml_byte(a, AML_EXT_OP_PREFIX);
	aml_byte(a, AML_DEVICE_OP);
	mark = aml_open(a, AML_OPEN_PLAIN);
	aml__name(a, path);
	return mark;
}

size_t aml__package_open(struct aml *a, unsigned nr_elements)
{
	size_t mark;

	aml_byte(a, AML_PACKAGE_OP);
	mark = aml_open(a, AML_OPEN_PLAIN);
	aml_byte(a, (uint8_t)nr_elements);
	return mark;
}

size_t aml__method_open(struct aml *a, const char *path, unsigned nr_args)
{
	size_t mark;

	aml_byte(a, AML_METHOD_OP);
	mark = aml_open(a, AML_OPEN_PLAIN);
	aml__name(a, path);
	aml_byte(a, (uint8_t)(nr_args & 7)); /* MethodFlags: ArgCount, NotSerialized, SyncLevel 0 */
	return mark;
}

size_t aml__if_open(struct aml *a)
{
	aml_byte(a, AML_IF_OP);
	return aml_open(a, AML_OPEN_PLAIN);
}

void aml__op(struct aml *a, uint8_t op)
{
	aml_byte(a, op);
}

void aml__io_region(struct aml *a, const char *name, uint16_t port, uint8_t len)
{
	aml_byte(a, AML_EXT_OP_PREFIX);
	aml_byte(a, AML_OPREGION_OP);
	aml__name(a, name);
	aml_byte(a, AML_REGION_SYSTEM_IO);
	aml__integer(a, port);
	aml__integer(a, len);
}

void aml__dword_fields(struct aml *a, const char *region, const char *const *names, unsigned n)
{
	size_t mark;

	aml_byte(a, AML_EXT_OP_PREFIX);
	aml_byte(a, AML_FIELD_OP);
	mark = aml_open(a, AML_OPEN_PLAIN);
	aml__name(a, region);
	aml_byte(a, AML_FIELD_DWORD_WRITE_ZEROS);
	for (unsigned i = 0; i < n; i++) {
		aml__bytes(a, names[i], 4); /* NamedField: NameSeg, then its width in bits */
		aml_byte(a, 32);            /* a PkgLength-encoded 32 (one byte: under 0x40) */
	}
	aml__close(a, mark);
}

size_t aml__buffer_open(struct aml *a)
{
	aml_byte(a, AML_BUFFER_OP);
	return aml_open(a, AML_OPEN_BUFFER);
}

/* PkgLength (20.2.4): the length includes its own 1 to 4 bytes. */
static unsigned pkg_length_encode(size_t body, uint8_t out[4])
{
	size_t total;
	unsigned n;

	for (n = 1; n <= 4; n++) {
		total = body + n;
		if (n == 1 ? total <= 0x3f : total < (1ULL << (4 + 8 * (n - 1))))
			break;
	}
	if (n == 1) {
		out[0] = (uint8_t)total;
		return 1;
	}
	out[0] = (uint8_t)((n - 1) << 6 | (total & 0xf));
	for (unsigned i = 1; i < n; i++)
		out[i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
	return n;
}

void aml__close(struct aml *a, size_t mark)
{
	uint8_t len[4], size_buf[9];
	struct aml size = { .buf = size_buf, .cap = sizeof(size_buf) };
	size_t body, grow;
	unsigned ln;

	if (a->overflow)
		return;
	body = a->len - (mark + 1);
	/* A Buffer's BufferSize (an integer: its byte count) leads its body. */
	if (a->buf[mark] == AML_OPEN_BUFFER)
		aml__integer(&size, body);
	ln = pkg_length_encode(body + size.len, len);
	grow = ln + size.len - 1; /* the placeholder byte at mark is replaced */
	if (grow > a->cap - a->len) {
		a->overflow = true;
		return;
	}
	memmove(a->buf + mark + 1 + grow, a->buf + mark + 1, body);
	memcpy(a->buf + mark, len, ln);
	memcpy(a->buf + mark + ln, size_buf, size.len);
	a->len += grow;
}
