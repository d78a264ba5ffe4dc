/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The native back-end (native_backend.c): the interpreter's operations
 * as the barrier vocabulary on this machine, and the few lock helpers the
 * runner (hw.c) needs without including the vocabulary itself.
 */
#ifndef FL_CLITMUS_NATIVE_BACKEND_H
#define FL_CLITMUS_NATIVE_BACKEND_H

#include "run.h"

#define LT_LOCK_SIZE	64	/* >= sizeof(spinlock_t) (native_backend.c checks) */

extern const struct lt_ops lt_native_ops;
extern const char lt_native_arch[];	/* FL_ARCH_NAME: x86_64, arm64, ppc64le, alpha */

void lt_native_lock_init(void *l);
bool lt_native_lock_held(const void *l);	/* after a round: next != owner */
void lt_native_relax(void);			/* cpu_relax() */

#endif /* FL_CLITMUS_NATIVE_BACKEND_H */
