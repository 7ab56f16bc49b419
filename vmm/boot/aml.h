/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small emitter of ACPI Machine Language (ACPI 6.5, chapter 20, "ACPI
 * Machine Language Specification") for the DSDT pcivmm builds (acpi.c):
 * the few term types a PCI host bridge, its interrupt routing and a sleep
 * state need. Bytes go into a caller's buffer; a term with a PkgLength
 * (Scope, Device, Package, Buffer) is opened, filled and closed, and its
 * length is encoded in as few bytes as the length needs (20.2.4).
 */
#ifndef PCIVMM_AML_H
#define PCIVMM_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aml {
	uint8_t *buf;
	size_t len, cap;
	bool overflow; /* a write did not fit: the result is unusable */
};

void aml__init(struct aml *a, uint8_t *buf, size_t cap);
void aml__bytes(struct aml *a, const void *data, size_t n);

/* Integers in their shortest encoding (ZeroOp, OneOp, Byte/Word/DWord/QWordPrefix). */
void aml__integer(struct aml *a, uint64_t v);
/* A NamePath: "\\_SB_", "PCI0", "_PRT" (4-character segments, '.' between, optional root '\\'). */
void aml__name(struct aml *a, const char *path);
/* Name(path, ...): the object's encoding follows. */
void aml__name_op(struct aml *a, const char *path);
/* EISAID("PNP0A08") as the DWord it compresses to (6.1.5, _HID). */
void aml__eisaid(struct aml *a, const char *id);
void aml__string(struct aml *a, const char *s);

/*
 * Scope(path) {...}, Device(path) {...}, Package(n) {...}, Buffer() {...}:
 * open returns a mark for close. A Buffer's size is known at close, so it
 * is encoded there.
 */
size_t aml__scope_open(struct aml *a, const char *path);
size_t aml__device_open(struct aml *a, const char *path);
size_t aml__package_open(struct aml *a, unsigned nr_elements);
size_t aml__buffer_open(struct aml *a);
/* Method(path, nr_args, NotSerialized) {...} (20.2.5.2). */
size_t aml__method_open(struct aml *a, const char *path, unsigned nr_args);
/* If (predicate) {...}: the predicate's terms follow the open (20.2.5.3). */
size_t aml__if_open(struct aml *a);
void aml__close(struct aml *a, size_t mark);

/*
 * OperationRegion(name, SystemIO, port, len) and a Field of 32-bit
 * registers in it, one name each, DWordAcc, NoLock, WriteAsZeros (20.2.5.2).
 */
void aml__io_region(struct aml *a, const char *name, uint16_t port, uint8_t len);
void aml__dword_fields(struct aml *a, const char *region, const char *const *names, unsigned n);

/* Opcodes whose operands simply follow, in prefix order (20.2.5.4, 20.2.6). */
#define AML_STORE_OP 0x70   /* Store(source, target) */
#define AML_AND_OP 0x7b     /* And(a, b, target): target AML_NULL_NAME to discard */
#define AML_NOTIFY_OP 0x86  /* Notify(object, value) */
#define AML_LOCAL_OP(n) (0x60 + (n)) /* Local0..Local7 */
#define AML_ARG_OP(n) (0x68 + (n))   /* Arg0..Arg6 */
#define AML_NULL_NAME 0x00
void aml__op(struct aml *a, uint8_t op);

#endif
