/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compiler helpers, as in include/linux/compiler.h and compiler_types.h.
 */
#ifndef FL_SYNC_COMPILER_H
#define FL_SYNC_COMPILER_H

#define barrier()		__asm__ __volatile__("" ::: "memory")
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define __noinline		__attribute__((__noinline__))
#define __unused		__attribute__((__unused__))

/* Largest coherence granule we pad to: 128 covers arm64/ppc64 and x86 pairs. */
#define FL_CACHELINE		128
#define __cacheline_aligned	__attribute__((__aligned__(FL_CACHELINE)))

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* include/linux/stringify.h: a macro's value as a string literal. */
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#endif /* FL_SYNC_COMPILER_H */
