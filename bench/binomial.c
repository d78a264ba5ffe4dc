// SPDX-License-Identifier: GPL-2.0
/*
 * Exact binomial confidence bounds for the stress mode's trial counts: how
 * large a violation rate is still compatible with what was (not) seen.
 */
#include <math.h>
#include "binomial.h"

#define BETACF_MAXIT	10000000
#define BETACF_EPS	1e-15
#define BETACF_TINY	1e-300

/* One step of Lentz's method: fold coefficient aa into c and d; the factor
 * the continued fraction's value is multiplied by. */
static double lentz_step(double aa, double *c, double *d)
{
	*d = 1 + aa * *d;
	if (fabs(*d) < BETACF_TINY)
		*d = BETACF_TINY;
	*c = 1 + aa / *c;
	if (fabs(*c) < BETACF_TINY)
		*c = BETACF_TINY;
	*d = 1 / *d;
	return *d * *c;
}

/*
 * The continued fraction of the regularized incomplete beta function,
 * evaluated by the modified Lentz method: Press, Teukolsky, Vetterling,
 * Flannery, Numerical Recipes, 3rd ed. (2007), section 6.4 (betacf()).
 * It converges quickly for x < (a + 1) / (a + b + 2); binom_betai() uses
 * the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) for the rest.
 */
static double betacf(double a, double b, double x)
{
	double qab = a + b, qap = a + 1, qam = a - 1;
	double c = 1, d = 1 - qab * x / qap, h, del;
	long m;

	if (fabs(d) < BETACF_TINY)
		d = BETACF_TINY;
	d = 1 / d;
	h = d;
	for (m = 1; m <= BETACF_MAXIT; m++) {
		double m2 = 2.0 * (double)m, dm = (double)m;

		/* The even and the odd coefficient of step m. */
		h *= lentz_step(dm * (b - dm) * x / ((qam + m2) * (a + m2)), &c, &d);
		del = lentz_step(-(a + dm) * (qab + dm) * x / ((a + m2) * (qap + m2)), &c, &d);
		h *= del;
		if (fabs(del - 1) < BETACF_EPS)
			break;
	}
	return h;
}

/* The regularized incomplete beta function I_x(a, b), a, b > 0
 * (Numerical Recipes, 3rd ed., section 6.4). */
double binom_betai(double a, double b, double x)
{
	double lbt;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lbt) * betacf(a, b, x) / a;
	return 1 - exp(lbt) * betacf(b, a, 1 - x) / b;
}

/* The q-quantile of Beta(a, b): I_p(a, b) = q, by bisection (I_p grows with p). */
static double beta_quantile(double q, double a, double b)
{
	double lo = 0, hi = 1;
	int i;

	for (i = 0; i < 200 && hi - lo > 0; i++) {
		double mid = lo + (hi - lo) / 2;

		if (mid <= lo || mid >= hi)
			break;
		if (binom_betai(a, b, mid) < q)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

/*
 * No success in n trials: the exact one-sided (1 - alpha) upper confidence
 * bound on the success probability, the p with (1 - p)^n = alpha (Clopper &
 * Pearson, Biometrika 26 (1934) 404-413, with x = 0): 1 - alpha^(1/n),
 * about 3/n for alpha = 0.05 (the "rule of three").
 */
double binom_upper0(uint64_t n, double alpha)
{
	if (!n)
		return 1;
	return -expm1(log(alpha) / (double)n);
}

/*
 * x successes in n trials: the exact two-sided (1 - alpha) Clopper-Pearson
 * interval (Clopper & Pearson 1934), through the beta quantiles
 *   lo = B(alpha/2; x, n - x + 1)     (0 when x = 0)
 *   hi = B(1 - alpha/2; x + 1, n - x) (1 when x = n)
 * (e.g. Brown, Cai & DasGupta, Statistical Science 16 (2001) 101-133, eq. 4).
 */
void binom_clopper_pearson(uint64_t x, uint64_t n, double alpha, double *lo, double *hi)
{
	double dx = (double)x, dn = (double)n;

	if (!n || x > n) {
		*lo = 0;
		*hi = 1;
		return;
	}
	*lo = x == 0 ? 0 : beta_quantile(alpha / 2, dx, dn - dx + 1);
	*hi = x == n ? 1 : beta_quantile(1 - alpha / 2, dx + 1, dn - dx);
}
