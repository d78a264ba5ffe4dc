// SPDX-License-Identifier: GPL-2.0
/* The strategies faultline knows, in the order reports list them. */
#include <string.h>
#include "strategy.h"

extern const struct strategy strategy_baseline, strategy_locked, strategy_mb,
	strategy_wmb_rmb, strategy_dep, strategy_seqlock, strategy_relacq,
	strategy_none, strategy_wmb_only, strategy_rmb_only;

const struct strategy *const fl_strategies[] = {
	&strategy_baseline,
	&strategy_locked,
	&strategy_mb,
	&strategy_wmb_rmb,
	&strategy_dep,
	&strategy_seqlock,
	&strategy_relacq,
	&strategy_none,
	&strategy_wmb_only,
	&strategy_rmb_only,
};

const unsigned fl_nr_strategies = ARRAY_SIZE(fl_strategies);

const struct strategy *strategy_find(const char *name)
{
	unsigned i;

	for (i = 0; i < fl_nr_strategies; i++)
		if (!strcmp(fl_strategies[i]->name, name))
			return fl_strategies[i];
	return NULL;
}

const char *strategy_kind_name(enum strategy_kind k)
{
	switch (k) {
	case STRAT_CORRECT:
		return "correct";
	case STRAT_CONTROL:
		return "control";
	case STRAT_BASELINE:
		return "baseline";
	}
	return "?";
}
