/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seqcount_t as in include/linux/seqlock.h (current form).
 *
 * Reader: read_seqcount_begin() spins while the count is odd, loading it
 * with smp_load_acquire(); read_seqcount_retry() is smp_rmb() and a re-read.
 * Writer (serialised by the caller's lock): write_seqcount_begin() is
 * "sequence++; smp_wmb()", write_seqcount_end() is "smp_wmb(); sequence++".
 *
 * Pairings: begin's smp_wmb() pairs with the reader's smp_rmb() in
 * read_seqcount_retry(); end's smp_wmb() pairs with the acquire in
 * read_seqcount_begin().
 */
#ifndef FL_SYNC_SEQCOUNT_H
#define FL_SYNC_SEQCOUNT_H

#include <stdbool.h>
#include "barrier.h"

typedef struct {
	unsigned long sequence;
} seqcount_t;

static inline void seqcount_init(seqcount_t *s)
{
	s->sequence = 0;
}

static __always_inline unsigned long read_seqcount_begin(const seqcount_t *s)
{
	unsigned long seq;

	while ((seq = smp_load_acquire(&s->sequence)) & 1)
		cpu_relax();
	return seq;
}

static __always_inline bool read_seqcount_retry(const seqcount_t *s,
						unsigned long start)
{
	smp_rmb();	/* Pairs with smp_wmb() in write_seqcount_begin(). */
	return READ_ONCE(s->sequence) != start;
}

static __always_inline void write_seqcount_begin(seqcount_t *s)
{
	WRITE_ONCE(s->sequence, LOAD_PLAIN(s->sequence) + 1);
	smp_wmb();	/* Pairs with smp_rmb() in read_seqcount_retry(). */
}

static __always_inline void write_seqcount_end(seqcount_t *s)
{
	smp_wmb();	/* Pairs with the acquire in read_seqcount_begin(). */
	WRITE_ONCE(s->sequence, LOAD_PLAIN(s->sequence) + 1);
}

#endif /* FL_SYNC_SEQCOUNT_H */
