// SPDX-License-Identifier: GPL-2.0
// The C side of bench/gb.h. Built with -DNDEBUG: Debian's libbenchmark is a
// debug build, and the header's inline asserts would otherwise stay in.
#include <benchmark/benchmark.h>
#include "gb.h"

// gb_state and gb_bench stay incomplete: they are only ever pointers to
// benchmark::State and benchmark::internal::Benchmark.

static benchmark::State &S(gb_state *st) { return *reinterpret_cast<benchmark::State *>(st); }
static const benchmark::State &S(const gb_state *st)
{
	return *reinterpret_cast<const benchmark::State *>(st);
}
static benchmark::internal::Benchmark *B(gb_bench *b)
{
	return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

extern "C" {

int gb_init(int *argc, char **argv)
{
	// Initialize() removes the flags it knows; whatever is left after
	// argv[0] is unknown, and the caller reports it in its own words.
	benchmark::Initialize(argc, argv);
	return *argc > 1 ? -1 : 0;
}

size_t gb_run(void) { return benchmark::RunSpecifiedBenchmarks(); }
void gb_shutdown(void) { benchmark::Shutdown(); }
void gb_add_context(const char *key, const char *value) { benchmark::AddCustomContext(key, value); }

gb_bench *gb_register(const char *name, gb_fn fn, void *arg)
{
	auto *b = benchmark::RegisterBenchmark(name, [fn, arg](benchmark::State &s) {
		fn(reinterpret_cast<gb_state *>(&s), arg);
	});
	return reinterpret_cast<gb_bench *>(b);
}

void gb_threads(gb_bench *b, int n) { B(b)->Threads(n); }
void gb_use_manual_time(gb_bench *b) { B(b)->UseManualTime(); }

void gb_unit(gb_bench *b, enum gb_unit u)
{
	static const benchmark::TimeUnit map[] = { benchmark::kNanosecond, benchmark::kMicrosecond,
						   benchmark::kMillisecond, benchmark::kSecond };
	B(b)->Unit(map[u]);
}

bool gb_keep_running_batch(gb_state *st, int64_t n) { return S(st).KeepRunningBatch(n); }
int64_t gb_max_iterations(const gb_state *st) { return S(st).max_iterations; }
int gb_thread_index(const gb_state *st) { return S(st).thread_index(); }
int gb_num_threads(const gb_state *st) { return S(st).threads(); }
void gb_set_iteration_time(gb_state *st, double seconds) { S(st).SetIterationTime(seconds); }

void gb_counter_set(gb_state *st, const char *name, double v, unsigned flags)
{
	S(st).counters[name] = benchmark::Counter(v, static_cast<benchmark::Counter::Flags>(flags));
}

void gb_skip_with_error(gb_state *st, const char *msg) { S(st).SkipWithError(msg); }
void gb_set_label(gb_state *st, const char *label) { S(st).SetLabel(label); }

} // extern "C"
