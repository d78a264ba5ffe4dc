#!/bin/bash
# The new-strategy journey, as the README tells it: in a scratch copy of the
# tree, `make new-strategy NAME=scratch-wmb FROM=wmb-rmb` and nothing else;
# then every tool must know the new strategy: --list, --describe=json, the
# emulator matrix, the barrier table (when the cross compilers are there),
# its derived litmus tests and litmus coverage. Negative controls: before
# `make litmus-update` litmus/ is stale and coverage names it; a hook changed
# without regenerating makes litmus/ stale; a descriptor whose .probe or
# .expect lies about its hooks fails the descriptor tests.
#
# usage: tests/new_strategy.sh    prints "ok - ..." / "not ok - ..." per check
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok - new-strategy: $*"; }
notok() {
	echo "not ok - new-strategy: $*"
	fails=$((fails + 1))
}

# The tree as git sees it (tracked and untracked, not ignored), with the
# main build's objects so only what changes is rebuilt.
tree=$tmp/tree
mkdir -p "$tree"
(cd "$root" && git ls-files -co --exclude-standard 2>/dev/null | while read -r f; do
	[ -e "$f" ] && printf '%s\n' "$f"; done | tar -cf - -T -) | tar -xf - -C "$tree" ||
	{ notok "could not copy the tree"; exit 1; }
for d in bench emu model strategies tests record clitmus fl_build.h; do
	[ -e "$root/build/$d" ] && mkdir -p "$tree/build" && cp -a "$root/build/$d" "$tree/build/"
done
cd "$tree" || exit 1
m() { make --no-print-directory -s -j2 "$@"; }
if ! m build/faultline >"$tmp/build0.log" 2>&1; then
	notok "the copy does not build: $(tail -1 "$tmp/build0.log")"
	exit 1
fi

if make --no-print-directory -s new-strategy NAME=scratch-wmb FROM=wmb-rmb >"$tmp/new.log" 2>&1 &&
	[ -f strategies/scratch_wmb.c ]; then
	ok "make new-strategy wrote $(grep -c wrote "$tmp/new.log") files"
else
	notok "make new-strategy failed: $(tail -1 "$tmp/new.log")"
	exit 1
fi
# Bad input: one line, exit 2.
for bad in "NAME=scratch-wmb FROM=wmb-rmb:exists already" "NAME=Bad_Name FROM=dep:NAME" \
	"NAME=other FROM=nope:no such strategy"; do
	args=${bad%%:*} want=${bad#*:}
	# shellcheck disable=SC2086
	out=$(make --no-print-directory -s new-strategy $args 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && printf '%s' "$out" | grep -q "$want"; then
		ok "rejects $args: $(printf '%s' "$out" | grep -m1 "$want")"
	else
		notok "rejects $args: rc=$rc, output: $out"
	fi
done

if ! m all build/emu/tests/test_probe build/emu/tests/test_verdicts >"$tmp/build1.log" 2>&1; then
	notok "the tree with the new strategy does not build: $(grep -m1 error "$tmp/build1.log")"
	exit 1
fi
if build/faultline --list | grep -q '^  scratch-wmb '; then
	ok "--list shows scratch-wmb"
else
	notok "--list does not show scratch-wmb"
fi
if build/faultline --describe=json | /usr/bin/python3 -c 'import json, sys
s = {x["name"]: x for x in json.load(sys.stdin)["strategies"]}["scratch-wmb"]
assert s["source"] == "strategies/scratch_wmb.c" and s["id"] == "scratch_wmb", s
assert s["verdicts"]["chain"]["lkmm"] == "Sometimes", s["verdicts"]'; then
	ok "--describe=json describes scratch-wmb, from strategies/scratch_wmb.c"
else
	notok "--describe=json lacks scratch-wmb or describes it wrongly"
fi
if build/faultline-emu --matrix --strategy=scratch-wmb --seeds=20 >"$tmp/matrix.log" 2>&1; then
	ok "emulator matrix: $(grep -c '^ok' "$tmp/matrix.log") scratch-wmb cells as expected"
else
	notok "emulator matrix for scratch-wmb: $(grep -m1 '^not ok' "$tmp/matrix.log")"
fi
if command -v aarch64-linux-gnu-gcc >/dev/null && command -v alpha-linux-gnu-gcc >/dev/null &&
	command -v powerpc64le-linux-gnu-gcc >/dev/null; then
	m barrier-table >"$tmp/bt.log" 2>&1
	/usr/bin/python3 tests/check_barriers.py build/barriers/barriers.json --no-controls >"$tmp/cb.log" 2>&1
	rc=$? rows=$(grep -c '^ok - scratch-wmb ' "$tmp/cb.log")
	if [ $rc -eq 0 ] && [ "$rows" -eq 8 ]; then
		ok "barrier table: 8 scratch-wmb rows (4 arches x 2 sides) as its descriptor says"
	else
		notok "barrier table: rc=$rc, $rows scratch-wmb rows; $(grep -m1 '^not ok' "$tmp/cb.log")"
	fi
else
	echo "# new-strategy: barrier table not checked: cross compilers missing (make cross-deps)"
fi
# Its litmus tests are derived: litmus/ is stale until litmus-update.
lit() {
	FAULTLINE=build/faultline FAULTLINE_EMU=build/faultline-emu bash scripts/run-litmus --lint-only litmus "$@"
}
if m litmus-derive >"$tmp/derive.log" 2>&1 && [ "$(grep -c '"strategy": "scratch-wmb"' build/litmus/derived/index.json)" -eq 3 ]; then
	ok "faultline-litmusgen derives scratch-wmb's dep, indep and chain tests"
else
	notok "no three derived tests for scratch-wmb: $(tail -1 "$tmp/derive.log")"
fi
if scripts/litmus-derived-check build/litmus/derived litmus >"$tmp/stale.log" 2>&1; then
	notok "control: litmus/ passed as current without scratch-wmb's tests"
elif grep -q 'is new' "$tmp/stale.log"; then
	ok "control: before litmus-update, litmus/ is stale ($(cut -c1-60 "$tmp/stale.log")...)"
else
	notok "control: stale, but not for the new tests: $(cat "$tmp/stale.log")"
fi
if lit >"$tmp/lit2.log" 2>&1; then
	notok "litmus coverage passed without scratch-wmb's tests"
elif grep -q '^not ok - coverage: .*scratch-wmb' "$tmp/lit2.log"; then
	ok "control: without its litmus tests, coverage names scratch-wmb"
else
	notok "control: coverage failed, but not naming scratch-wmb: $(grep -m1 '^not ok' "$tmp/lit2.log")"
fi
# The strategies litmus/index.json covers before, and scratch-wmb.
nstrat=$(/usr/bin/python3 -c 'import json, sys
print(len({t["strategy"] for t in json.load(open(sys.argv[1]))["tests"]}) + 1)' \
	"$root/litmus/index.json")
if m litmus-update >"$tmp/update.log" 2>&1 && lit >"$tmp/lit.log" 2>&1 &&
	grep -q "^ok - coverage: each of the $nstrat strategies" "$tmp/lit.log" &&
	scripts/litmus-derived-check build/litmus/derived litmus >/dev/null; then
	ok "after make litmus-update: litmus/ current, coverage counts scratch-wmb ($nstrat strategies)"
else
	notok "after litmus-update: $(grep -m1 'not ok' "$tmp/lit.log")"
fi

# A hook changed without its descriptor: smp_wmb() -> smp_mb() on the writer,
# and the chain expectation dropped.
sed -i -e '0,/smp_wmb();/s//smp_mb();/' -e '/\[SHAPE_CHAIN\]/d' strategies/scratch_wmb.c
# The code changed, litmus/ not regenerated: the staleness check names its tests.
if ! m build/faultline-litmusgen >"$tmp/build3.log" 2>&1; then
	notok "control: faultline-litmusgen does not build: $(grep -m1 error "$tmp/build3.log")"
else
	build/faultline-litmusgen --out="$tmp/derived2" --strategy=scratch-wmb >"$tmp/derive2.log" 2>&1
	mkdir -p "$tmp/committed2"
	grep -l 'Strategy: scratch-wmb' litmus/*.litmus | xargs -r cp -t "$tmp/committed2/"
	cp "$tmp/derived2/index.json" "$tmp/committed2/"
	if scripts/litmus-derived-check "$tmp/derived2" "$tmp/committed2" >"$tmp/stale2.log" 2>&1; then
		notok "control: a writer changed from smp_wmb() to smp_mb() left its litmus tests current"
	else
		ok "control: the writer's smp_wmb() -> smp_mb() makes litmus/ stale: $(cut -c1-90 "$tmp/stale2.log")"
	fi
fi
if ! m build/emu/tests/test_probe build/emu/tests/test_verdicts >"$tmp/build2.log" 2>&1; then
	notok "control: the edited tree does not build: $(grep -m1 error "$tmp/build2.log")"
else
	if build/emu/tests/test_probe >"$tmp/probe.log" 2>&1; then
		notok "control: test_probe passed a writer that no longer does what .probe says"
	elif grep -q 'scratch-wmb writer: the hook does "smp_mb WRITE_ONCE"' "$tmp/probe.log"; then
		ok "control: test_probe catches the writer that drifted from .probe"
	else
		notok "control: test_probe failed, but not on scratch-wmb: $(grep -m1 scratch "$tmp/probe.log")"
	fi
	if build/emu/tests/test_verdicts >"$tmp/verd.log" 2>&1; then
		notok "control: test_verdicts passed a descriptor without a chain expectation"
	elif grep -q 'scratch-wmb: no expected verdicts for shape chain' "$tmp/verd.log"; then
		ok "control: test_verdicts catches the missing chain expectation"
	else
		notok "control: test_verdicts failed, but not on scratch-wmb: $(grep -m1 scratch "$tmp/verd.log")"
	fi
fi
exit $((fails > 0))
