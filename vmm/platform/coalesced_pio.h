/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Coalesced port writes (KVM_CAP_COALESCED_PIO, Linux 4.19+): for a
 * registered port range KVM appends the guest's OUTs to a ring shared with
 * us instead of exiting to user space. Used for 0xCF8 (CONFIG_ADDRESS):
 * mechanism #1 costs two exits per config access, and the write to 0xCF8
 * can wait. The ring is replayed in order before every exit is handled (so
 * the CF8 write is applied before the CFC access after it) and at least
 * every 10 ms from the main loop (0xCF9, the reset control register, is
 * inside the range and must act even if the guest then halts).
 */
#ifndef PCIVMM_COALESCED_PIO_H
#define PCIVMM_COALESCED_PIO_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/* The main loop's longest sleep while a range is coalesced (ms). */
#define COALESCED_PIO_FLUSH_MS 10

/*
 * Coalesces guest writes to [port, port + len); 0 on success, -ENOTSUP when
 * KVM cannot (then every access exits, as before: callers just go on).
 */
int coalesced_pio__add(struct vm *vm, uint16_t port, unsigned len);
/* Replays the pending writes onto the port bus; any thread. */
void coalesced_pio__flush(struct vm *vm);
bool coalesced_pio__active(const struct vm *vm);

#endif
