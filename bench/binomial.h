/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exact binomial confidence bounds (Clopper & Pearson, Biometrika 26 (1934)
 * 404-413), for "x violations in n trials".
 */
#ifndef FL_BENCH_BINOMIAL_H
#define FL_BENCH_BINOMIAL_H

#include <stdint.h>

/* The regularized incomplete beta function I_x(a, b), a, b > 0. */
double binom_betai(double a, double b, double x);
/* No success in n trials: the one-sided (1 - alpha) upper bound, 1 - alpha^(1/n). */
double binom_upper0(uint64_t n, double alpha);
/* x successes in n trials: the two-sided (1 - alpha) interval [lo, hi]. */
void binom_clopper_pearson(uint64_t x, uint64_t n, double alpha, double *lo, double *hi);

#endif /* FL_BENCH_BINOMIAL_H */
