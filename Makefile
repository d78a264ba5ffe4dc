# faultline: `make bench` runs the default sweep, `make test` runs the tests.
# Both install their Debian prerequisites first (scripts/install-deps).

CC	?= gcc
CXX	?= g++
BUILD	?= build
SAN	?=
PYTHON	?= /usr/bin/python3

GIT_REV	:= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
WARN	:= -Wall -Wextra -Werror
OPT	:= -O2 -g
SANFLAGS := $(if $(SAN),-fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all)
CFLAGS_FL := -std=gnu11 $(OPT) $(WARN) -fno-strict-aliasing -pthread $(SANFLAGS)
CXXFLAGS_FL := -std=c++17 $(OPT) $(WARN) -pthread -DNDEBUG $(SANFLAGS)
CPPFLAGS_FL := -I. -I$(BUILD) -D_GNU_SOURCE
# jemalloc is the allocator, except under sanitizers, which bring their own.
LDLIBS_FL := -lhwloc $(if $(SAN),,-ljemalloc) -lpthread -lm

CORE_SRC  := model/mm.c $(wildcard strategies/*.c)
CORE_SRC  += sync/locks/qspinlock.c	# the queued spinlock's slow path
BENCH_SRC := bench/workload.c bench/placement.c bench/sysinfo.c bench/cli.c bench/cli_mixes.c bench/harness.c bench/counters.c bench/describe.c bench/main.c
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
WORK_OBJ  := $(BUILD)/bench/workload.o $(BUILD)/bench/counters.o $(BUILD)/bench/placement.o $(BUILD)/bench/sysinfo.o \
	     $(BUILD)/bench/binomial.o
BENCH_OBJ := $(BENCH_SRC:%.c=$(BUILD)/%.o) $(BUILD)/bench/gb.o
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
HDRS      := $(wildcard sync/*.h sync/arch/*.h model/*.h strategies/*.h bench/*.h tests/*.h emu/*.h)
HDRS      += $(wildcard sync/locks/*.h)	# the lock flavours (issue 11, item 3)
# The weak-memory emulation build: the same model and strategy sources with
# -DFL_EMU (never under sanitizers: ASan cannot follow ucontext switches).
EMU_SRC   := emu/emu.c emu/scenario.c
EMU_OBJ   := $(CORE_SRC:%.c=$(BUILD)/emu/%.o) $(EMU_SRC:%.c=$(BUILD)/emu/%.o)
EMU_TEST_BIN := $(patsubst tests/emu/%.c,$(BUILD)/emu/tests/%,$(wildcard tests/emu/test_*.c))
EMU_ALL   := $(if $(SAN),,$(BUILD)/faultline-emu $(EMU_TEST_BIN))

# ---- rcu block (issue 11, item 4): sync/rcu.h's back-ends. Natively
# liburcu's memb flavour (sync/rcu_urcu.c, linked into everything that links
# the strategies); in the emulation build the same algorithm in the
# vocabulary (sync/rcu_emu.c); the recording build needs no object. Only the
# libraries are taken from pkg-config (its -I is the build machine's
# multiarch directory; each compiler searches its own).
URCU_LIBS := $(shell pkg-config --libs liburcu-memb 2>/dev/null || echo -lurcu-memb -lurcu-common)
CORE_OBJ  += $(BUILD)/sync/rcu_urcu.o
EMU_OBJ   += $(BUILD)/emu/sync/rcu_emu.o
LDLIBS_FL += $(URCU_LIBS)
# ---- end of the rcu block ----

# ---- perf counters, and the real kernel beside the model (issue 11, items 1-2) ----
# bench/perf.c: per-thread perf counters over every window; the workload
# driver calls it, so everything that links workload.o links it too.
PERF_OBJ   := $(BUILD)/bench/perf.o
WORK_OBJ   += $(PERF_OBJ)
BENCH_OBJ  += $(PERF_OBJ)
# build/faultline-kernel: real anonymous faults (page_fault1-style) and a
# real GUP-fast path (vmsplice) at the model's CPU counts (docs/design.md §12).
KERNEL_OBJ := $(BUILD)/bench/kernel_run.o $(BUILD)/bench/kernel_fault.o \
	      $(BUILD)/bench/kernel_gup.o $(BUILD)/bench/kernel_main.o $(BUILD)/bench/cli.o \
	      $(BUILD)/bench/sysinfo.o $(BUILD)/bench/placement.o $(PERF_OBJ)
all tests: $(BUILD)/faultline-kernel
$(BUILD)/bench/kernel_main.o: $(BUILD)/fl_build.h
$(BUILD)/faultline-kernel: $(CORE_OBJ) $(KERNEL_OBJ)
	$(CC) $(SANFLAGS) -pthread $^ -o $@ $(LDLIBS_FL)
# make perf-c2c STRATEGY=x [MIX=gup] [CPUS=1,2]: cache-line contention with perf c2c
# (scripts/perf-c2c). Where the CPU has no memory-sampling events (this VM),
# one line saying why, as perf answers, and exit 0; bad usage exits 2.
.PHONY: perf-c2c
perf-c2c: deps
	@$(MAKE) --no-print-directory -s $(BUILD)/faultline
	@FAULTLINE=$(BUILD)/faultline scripts/perf-c2c "$(STRATEGY)" $(if $(MIX),--mix=$(MIX)) \
		$(if $(CPUS),--cpus=$(CPUS))
# ---- end of the perf and kernel block ----

.PHONY: all deps cross-deps bench test tests emu litmus litmus-derive litmus-update stress barriers barrier-table qemu-smoke report compare new-strategy evaluate bench-precision clean help FORCE
all: $(BUILD)/faultline $(BUILD)/faultline-stress $(BUILD)/faultline-pair $(BUILD)/faultline-litmusgen $(if $(SAN),,$(BUILD)/faultline-emu)

help:
	@echo "make bench [QUICK=1] [STRATEGY=a,b] [MIX=m] [CPUS=1,2]   sweep -> results/<host>-<UTC>/"
	@echo "                       [PLACEMENT=p]  where threads are pinned (faultline --help lists p)"
	@echo "make test              all tests: gcc, clang, ASan+UBSan, CLI, JSON (installs deps)"
	@echo "make report [RUN=dir...]  report.md/.html + plots/ for the newest (or given) runs;"
	@echo "                       several runs: results/compare-<A>-<B>/"
	@echo "make compare [A=run B=run]  runs against runs (default: the two newest), %change"
	@echo "make compare S=ref,x [RUN=dir]  strategies within one run (default: the newest), ratios"
	@echo "                       both: [MIX=m] [CPUS=1,2] (S= filters runs against runs) [TEXT=1|MD=1]"
	@echo "make emu               build/faultline-emu (weak-memory emulation; --matrix for the verdicts)"
	@echo "make stress            litmus7-style stress of the race on this hardware"
	@echo "make barriers          cross-compile, disassemble, check the emitted barriers per arch"
	@echo "make qemu-smoke        the arm64 build of faultline under qemu-user"
	@echo "make litmus            litmus/ derived from the code and current; lint, coverage; herd7 when present"
	@echo "make litmus-update     derive litmus/ from the code again (then review git diff litmus/)"
	@echo "make litmus LITMUS_DIR=dir   any directory of .litmus: herd7, emulator, this hardware, one table"
	@echo "make new-strategy NAME=x FROM=dep   scaffold strategies/x.c and its litmus tests"
	@echo "make evaluate STRATEGY=x [BASE=dep]  verdicts, instructions and paired cost of x (< 3 min)"
	@echo "make bench-precision [RUNS=20]      the paired design's precision, measured"
	@echo "make perf-c2c STRATEGY=x [MIX=gup]  perf c2c cache-line contention (one line where unsupported)"
	@echo "make soak [MINUTES=10] [PLACEMENT=p] [RUN=dir]  every correct strategy x mix at 2x oversubscription:"
	@echo "                       0 violations, flat RSS, controls caught in emulation -> results/soak-*/"
	@echo "make                   build/faultline, faultline-stress, faultline-pair, faultline-emu"

deps:
	@scripts/install-deps

# Cross compilers (arm64, ppc64le, alpha), qemu-user and the arm64 libraries.
cross-deps:
	@scripts/install-cross-deps

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_FL) $(CFLAGS_FL) -c $< -o $@

# The revision and flags a result was built from, rewritten only when they
# change, so a result never claims a revision its binary was not built at.
$(BUILD)/fl_build.h: FORCE
	@mkdir -p $(BUILD)
	@printf '#define FL_GIT_REV "%s"\n#define FL_CFLAGS "%s"\n' '$(GIT_REV)' '$(CFLAGS_FL)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/bench/harness.o: $(BUILD)/fl_build.h

$(BUILD)/bench/gb.o: bench/gb.cc bench/gb.h
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS_FL) $(CXXFLAGS_FL) -c $< -o $@

STRESS_OBJ := $(BUILD)/bench/stress.o $(BUILD)/bench/stress_main.o $(BUILD)/bench/cli.o
PAIR_OBJ := $(BUILD)/bench/pair.o $(BUILD)/bench/pair_main.o $(BUILD)/bench/cli.o \
	    $(BUILD)/bench/cli_mixes.o $(BUILD)/bench/describe.o

$(BUILD)/bench/pair_main.o: $(BUILD)/fl_build.h

# Paired measurement of strategies (docs/design.md §9).
$(BUILD)/faultline-pair: $(CORE_OBJ) $(WORK_OBJ) $(PAIR_OBJ)
	$(CC) $(SANFLAGS) -pthread $^ -o $@ $(LDLIBS_FL)

# The same objects in other link orders: layout K has the strategies' objects
# rotated by K (odd K also reversed), so each strategy's code lands elsewhere.
# scripts/pair --layouts=N spreads its rounds over layouts 0..N-1, because the
# layout alone moved identical code by up to 1.7% here (docs/design.md §9).
STRAT_OBJ := $(filter $(BUILD)/strategies/%,$(CORE_OBJ))
rotate = $(wordlist $(shell expr $(1) % $(words $(2)) + 1),$(words $(2)),$(2)) \
	 $(wordlist 1,$(shell expr $(1) % $(words $(2))),$(2))
reverse = $(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1))) $(firstword $(1)))
layout_order = $(if $(filter 1,$(shell expr $(1) % 2)),$(call reverse,$(call rotate,$(1),$(STRAT_OBJ))),$(call rotate,$(1),$(STRAT_OBJ)))
$(BUILD)/layout/faultline-pair.%: $(CORE_OBJ) $(WORK_OBJ) $(PAIR_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SANFLAGS) -pthread $(filter-out $(STRAT_OBJ),$(CORE_OBJ)) \
		$(call layout_order,$*) $(WORK_OBJ) $(PAIR_OBJ) -o $@ $(LDLIBS_FL)

$(BUILD)/faultline-stress: $(CORE_OBJ) $(WORK_OBJ) $(STRESS_OBJ)
	$(CC) $(SANFLAGS) -pthread $^ -o $@ $(LDLIBS_FL)

$(BUILD)/faultline: $(CORE_OBJ) $(BENCH_OBJ)
	$(CXX) $(SANFLAGS) -pthread $^ -o $@ -lbenchmark $(LDLIBS_FL)

# test_stress includes bench/stress.c itself, to reach its static helpers.
$(BUILD)/tests/test_stress: bench/stress.c

$(BUILD)/tests/%: tests/%.c $(CORE_OBJ) $(WORK_OBJ) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_FL) $(CFLAGS_FL) $< $(CORE_OBJ) $(WORK_OBJ) -o $@ -lcmocka $(LDLIBS_FL)

$(BUILD)/emu/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_FL) -DFL_EMU $(CFLAGS_FL) -c $< -o $@

$(BUILD)/faultline-emu: $(EMU_OBJ) $(BUILD)/emu/emu/main.o $(BUILD)/emu/bench/cli.o
	$(CC) -pthread $^ -o $@ -lm

$(BUILD)/emu/tests/%: tests/emu/%.c $(EMU_OBJ) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_FL) -DFL_EMU $(CFLAGS_FL) $< $(EMU_OBJ) -o $@ -lcmocka -lm

emu: $(BUILD)/faultline-emu

tests: $(TEST_BIN) $(BUILD)/faultline $(BUILD)/faultline-stress $(BUILD)/faultline-pair $(BUILD)/faultline-litmusgen $(EMU_ALL)

# make bench [QUICK=1] [STRATEGY=names|kinds] [MIX=names] [CPUS=1,2|1-8] [PLACEMENT=p]:
# bench-sweep's --strategy, --mix, --cpus and --placement (compact, scatter, smt).
bench: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) scripts/bench-sweep $(if $(QUICK),--quick) --binary $(BUILD)/faultline \
		$(if $(STRATEGY),--strategy=$(STRATEGY)) $(if $(MIX),--mix=$(MIX)) $(if $(CPUS),--cpus=$(CPUS)) \
		$(if $(PLACEMENT),--placement=$(PLACEMENT))

test: deps cross-deps
	@scripts/run-tests

# Real-hardware stress (x86 is TSO: expect zeros there; arm64/POWER differ).
stress: deps
	@$(MAKE) --no-print-directory $(BUILD)/faultline-stress
	$(BUILD)/faultline-stress --duration=$(if $(QUICK),0.2,1) $(if $(CPUS),--cpus=$(CPUS))

# Emitted barriers per architecture (docs/design.md §2) -> build/barriers/, checked
# against what each descriptor says its probe hooks do.
barriers: cross-deps
	@$(MAKE) --no-print-directory barrier-table
	@$(PYTHON) tests/check_barriers.py build/barriers/barriers.json

# The table alone, with the flags everything else is built with (no sanitizers).
barrier-table: $(BUILD)/describe.json
	@scripts/barrier-table --describe $(BUILD)/describe.json \
		--cflags "$(CPPFLAGS_FL) $(filter-out $(SANFLAGS),$(CFLAGS_FL))" build/barriers

# Everything the tools read about the strategies, mixes, shapes and models.
$(BUILD)/describe.json: $(BUILD)/faultline
	@$(BUILD)/faultline --describe=json >$@.tmp && mv $@.tmp $@

# The arm64 benchmark under qemu-user (functional only: qemu runs on x86-TSO).
qemu-smoke: cross-deps
	@$(MAKE) --no-print-directory BUILD=build/arm64 CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ build/arm64/faultline
	@scripts/qemu-smoke build/arm64/faultline

# make report [RUN="results/<dir> [results/<dir> ...]"]   default: the newest run; several
# runs: one report in results/compare-<A>-<B>/ (beside the first run), no run's own overwritten
report: deps
	@$(PYTHON) scripts/report.py $(RUN)

# make compare [A=<run> B=<run>] [S=..] [MIX=..] [CPUS=..] [TEXT=1|MD=1]: runs against runs
#   (default: the two newest under results/; S= filters the strategies)
# make compare S=<ref>,<x>[,...] [RUN=<run>] [MIX=..] [CPUS=..] [MD=1]: strategies within one
#   run (default: the newest), each against the first
# Bad arguments (A= without B=, RUN= with A=, one strategy in S=, ...): compare.py's one line, exit 2.
compare: deps
	@$(PYTHON) scripts/compare.py $(if $(TEXT),--text) $(if $(MD),--markdown) \
		$(if $(MIX),--mix=$(MIX)) $(if $(CPUS),--cpus=$(CPUS)) $(if $(S),--strategy=$(S)) \
		$(if $(RUN)$(if $(A)$(B),,$(S)),--within $(RUN)) $(A) $(B)

# make litmus: derive every strategy's tests from the code into build/litmus/derived/,
# fail if litmus/ differs from them, then lint, coverage, expected verdicts, herd7 (where
# HERD7/LKMM_DIR or herd7 on PATH) and the emulator over litmus/ and the hand-written
# tests/litmus/ (docs/design.md §7).
# make litmus-update: the same derivation, written into litmus/ (review the diff, commit it).
# make litmus LITMUS_DIR=<dir>: every .litmus in <dir> through herd7, the emulator and this
# hardware, as one table (a kernel tree's tools/memory-model/litmus-tests, say).
LITMUS_DERIVED := $(BUILD)/litmus/derived
LITMUS_TOOLS := $(BUILD)/faultline $(BUILD)/faultline-litmusgen $(BUILD)/faultline-litmus \
		$(if $(SAN),,$(BUILD)/faultline-emu)

litmus-derive: $(BUILD)/faultline-litmusgen
	@rm -rf $(LITMUS_DERIVED) && mkdir -p $(dir $(LITMUS_DERIVED))
	@$(BUILD)/faultline-litmusgen --out=$(LITMUS_DERIVED)

litmus: $(LITMUS_TOOLS)
	@if [ -n "$(LITMUS_DIR)" ]; then \
		FAULTLINE_EMU=$(BUILD)/faultline-emu FAULTLINE_LITMUS=$(BUILD)/faultline-litmus \
			$(PYTHON) scripts/litmus-table "$(LITMUS_DIR)"; \
	else \
		rc=0; $(MAKE) -s --no-print-directory litmus-derive || exit 1; \
		scripts/litmus-derived-check $(LITMUS_DERIVED) litmus || rc=1; \
		FAULTLINE=$(BUILD)/faultline FAULTLINE_EMU=$(BUILD)/faultline-emu \
			scripts/run-litmus litmus tests/litmus $(wildcard tests/emu/aarch64) || rc=1; \
		exit $$rc; \
	fi

litmus-update: $(BUILD)/faultline-litmusgen
	@$(MAKE) -s --no-print-directory litmus-derive
	@mkdir -p litmus && rm -f litmus/*.litmus litmus/index.json
	@cp $(LITMUS_DERIVED)/*.litmus $(LITMUS_DERIVED)/index.json litmus/
	@echo "litmus/: $$(ls litmus/*.litmus | wc -l) tests derived from the code; review with git diff litmus/"

# make evaluate STRATEGY=x [BASE=dep] [BUDGET=100]: verdicts, instructions and
# paired cost of one strategy, as a paste-able block (docs/design.md §9).
evaluate: deps
	@if [ -z "$(STRATEGY)" ]; then \
		echo "usage: make evaluate STRATEGY=<name> [BASE=dep] [BUDGET=seconds]" >&2; exit 2; fi
	@$(MAKE) -s --no-print-directory all
	@$(PYTHON) scripts/evaluate "$(STRATEGY)" $(if $(BASE),--base=$(BASE)) \
		$(if $(BUDGET),--budget=$(BUDGET)) $(if $(LAYOUTS),--layouts=$(LAYOUTS)) --build=$(BUILD)

# make bench-precision [RUNS=20] [BUDGET=60]: the paired design's precision, measured.
bench-precision: deps
	@$(MAKE) --no-print-directory $(BUILD)/faultline-pair
	@$(PYTHON) scripts/bench-precision --binary=$(BUILD)/faultline-pair \
		$(if $(RUNS),--runs=$(RUNS)) $(if $(BUDGET),--budget=$(BUDGET))

# make new-strategy NAME=x FROM=dep: strategies/x.c and its litmus tests, copied from FROM.
new-strategy: $(BUILD)/faultline
	@if [ -z "$(NAME)" ] || [ -z "$(FROM)" ]; then \
		echo "usage: make new-strategy NAME=<new name> FROM=<existing strategy>" >&2; exit 2; fi
	@FAULTLINE=$(BUILD)/faultline scripts/new-strategy "$(NAME)" "$(FROM)"

clean:
	rm -rf build

# The recording build (docs/design.md §7): the model and strategies against
# sync/arch/record.h, linked into faultline-litmusgen, which derives litmus/.
REC_SRC := litmusgen/record.c litmusgen/world.c litmusgen/explore.c litmusgen/render.c \
	   litmusgen/main.c bench/cli.c
REC_OBJ := $(CORE_SRC:%.c=$(BUILD)/record/%.o) $(REC_SRC:%.c=$(BUILD)/record/%.o)

$(BUILD)/record/%.o: %.c $(HDRS) $(wildcard litmusgen/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_FL) -DFL_RECORD $(CFLAGS_FL) -c $< -o $@

$(BUILD)/faultline-litmusgen: $(REC_OBJ)
	$(CC) $(SANFLAGS) -pthread $^ -o $@ -lm

# C litmus tests run by the emulator and natively (clitmus/)
# ---- clitmus block: herd7 C litmus tests interpreted on the emulator
# (faultline-emu --litmus) and on this machine (faultline-litmus);
# docs/emulation.md, "Running C litmus tests". The parser, the interpreter
# core and the outcome printer are neutral and built both ways; the emulator
# back-end only with -DFL_EMU (never under sanitizers: ucontext), the native
# one only without.
CLITMUS_HDRS   := $(wildcard clitmus/*.h)
CLITMUS_CORE   := clitmus/parse.c clitmus/run.c clitmus/outcome.c clitmus/files.c
CLITMUS_EMU_OBJ := $(patsubst %.c,$(BUILD)/emu/%.o,$(CLITMUS_CORE) clitmus/emu_backend.c clitmus/emu_front.c)
CLITMUS_HW_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(CLITMUS_CORE) clitmus/native_backend.c clitmus/hw.c clitmus/hw_main.c)

$(BUILD)/clitmus/%.o: clitmus/%.c $(HDRS) $(CLITMUS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_FL) $(CFLAGS_FL) -c $< -o $@

$(BUILD)/emu/clitmus/%.o: clitmus/%.c $(HDRS) $(CLITMUS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_FL) -DFL_EMU $(CFLAGS_FL) -c $< -o $@

# faultline-emu's own rule links $^: these join it.
$(BUILD)/faultline-emu: $(CLITMUS_EMU_OBJ)
$(BUILD)/emu/emu/main.o: $(CLITMUS_HDRS)

# The option table is bench/cli.c's, which needs the strategy registry.
$(BUILD)/faultline-litmus: $(CLITMUS_HW_OBJ) $(BUILD)/bench/cli.o $(CORE_OBJ)
	$(CC) $(SANFLAGS) -pthread $^ -o $@ $(LDLIBS_FL)

all tests: $(BUILD)/faultline-litmus
# ---- end of the clitmus block ----

# ---- soak block (issue 11, item 7): build/faultline-soak, one long-lived
# process running rounds of every correct strategy x mix at 2x
# oversubscription, its resident set sampled after each; scripts/soak adds
# the emulated controls (docs/design.md, "Soak").
SOAK_OBJ := $(BUILD)/bench/soak.o $(BUILD)/bench/soak_main.o $(BUILD)/bench/cli.o \
	    $(BUILD)/bench/cli_mixes.o
$(BUILD)/bench/soak.o: $(BUILD)/fl_build.h
$(BUILD)/faultline-soak: $(CORE_OBJ) $(WORK_OBJ) $(SOAK_OBJ)
	$(CC) $(SANFLAGS) -pthread $^ -o $@ $(LDLIBS_FL)
all tests: $(BUILD)/faultline-soak
# make soak [MINUTES=10] [PLACEMENT=p] [RUN=dir]: results/soak-<host>-<UTC>/soak.json and
# soak.md; RUN=results/<bench run>: beside its bench.json, so make report shows it.
.PHONY: soak
soak: deps
	@$(MAKE) --no-print-directory -s $(BUILD)/faultline-soak $(BUILD)/faultline-emu
	@$(PYTHON) scripts/soak --minutes=$(if $(MINUTES),$(MINUTES),10) --build=$(BUILD) \
		$(if $(PLACEMENT),--placement=$(PLACEMENT)) $(if $(RUN),--out=$(RUN))
# ---- end of the soak block ----
# ---- lock flavours: the raw lock+unlock benchmark (issue 11, item 3) ----
# build/faultline-lockbench: lockhammer's -c 0 -p 0 per flavour and thread
# count (bench/lockbench*.c; docs/design.md, "Lock flavours").
LOCKBENCH_OBJ := $(BUILD)/bench/lockbench.o $(BUILD)/bench/lockbench_main.o $(BUILD)/bench/cli.o \
		 $(BUILD)/bench/sysinfo.o $(BUILD)/bench/placement.o
all tests: $(BUILD)/faultline-lockbench
$(BUILD)/bench/lockbench_main.o: $(BUILD)/fl_build.h
$(BUILD)/faultline-lockbench: $(CORE_OBJ) $(LOCKBENCH_OBJ)
	$(CC) $(SANFLAGS) -pthread $^ -o $@ $(LDLIBS_FL)
# ---- end of the lock flavours block ----
