/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A litmus store as the barrier vocabulary's store, for both back-ends:
 * included by emu_backend.c (built with -DFL_EMU: the emulator's accesses)
 * and native_backend.c (this machine's instructions), so the one mapping
 * expands to each build's vocabulary.
 */
#ifndef FL_CLITMUS_VOCAB_H
#define FL_CLITMUS_VOCAB_H

#include "litmus.h"
#include "../sync/barrier.h"

static inline void lt_vocab_store(enum lt_access acc, unsigned long *addr, unsigned long v)
{
	switch (acc) {
	case LT_PLAIN:
		STORE_PLAIN(*addr, v);
		return;
	case LT_ONCE:
	case LT_ACQUIRE:
		WRITE_ONCE(*addr, v);
		return;
	case LT_RELEASE:
		smp_store_release(addr, v);
		return;
	}
}

#endif /* FL_CLITMUS_VOCAB_H */
