#!/bin/bash
# CLI behaviour of build/faultline-emu: bad input gets one stderr line and
# exit 2 with no output file; --expected is JSON that covers every shape;
# and the verdict rule's negative control: a matrix with too small a budget
# to exercise anything must say "not exercised" and fail, never pass as Never.
# usage: tests/emu_cli.sh BINARY     prints "ok - ..." / "not ok - ..." per check
set -u
bin=${1:?usage: tests/emu_cli.sh BINARY}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/cli_lib.sh"

expect_usage_error() { usage_error_check "" "$bin" 'faultline-emu: error: ' "$@"; }

expect_usage_error "unknown option" --matrix --bogus
expect_usage_error "unknown strategy" --matrix --strategy=dep,nosuch
expect_usage_error "unknown model" --matrix --model=power
expect_usage_error "three writers" --matrix --writers=3
expect_usage_error "zero seeds" --matrix --seeds=0
expect_usage_error "one seed needs a strategy and a model" --seed=3

if "$bin" --expected >"$tmp/exp.json" 2>"$tmp/err" &&
	python3 - "$tmp/exp.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["shapes"] == ["dep", "indep", "chain"], d["shapes"]
for s in d["strategies"]:
    for sh in d["shapes"]:
        c = s["cells"][sh]
        assert {"lkmm", "note", *d["models"]} <= set(c), (s["name"], sh)
assert d["rule"]["min_trials"] > 0
PY
then
	ok "--expected: JSON with every strategy, shape and model"
else
	notok "--expected: $(head -c 300 "$tmp/err")"
fi

# Negative control of the rule: one GUP per seed cannot exercise a cell.
"$bin" --matrix --strategy=dep --model=arm64 --seeds=2 --reader-gups=1 --writer-steps=1 \
	--json="$tmp/v.json" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'got not exercised' "$tmp/out" &&
	python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cells"]; assert all(x["verdict"] == "not exercised" and not x["ok"] for x in c)' "$tmp/v.json"; then
	ok "an unexercised cell fails as 'not exercised', not Never"
else
	notok "unexercised cell: rc=$rc: $(head -c 300 "$tmp/out")"
fi

# A cell that is exercised: Never with its trials, exit 0, JSON written whole.
if "$bin" --matrix --strategy=dep --model=arm64 --seeds=2 --json="$tmp/v.json" >"$tmp/out" 2>&1 &&
	grep -q '^ok - dep .* got Never ' "$tmp/out" && [ ! -e "$tmp/v.json.partial" ] &&
	python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cells"]; assert len(c) == 3 and all(x["ok"] and x["trials"] >= 1 for x in c)' "$tmp/v.json"; then
	ok "dep on arm64: Never in every shape, with racing trials"
else
	notok "dep on arm64: $(head -c 300 "$tmp/out")"
fi

# One seed reproduces: the same line twice.
a=$("$bin" --strategy=none --model=arm64 --seed=5 2>&1)
b=$("$bin" --strategy=none --model=arm64 --seed=5 2>&1)
if [ "$a" = "$b" ] && grep -q 'violations [1-9]' <<<"$a"; then
	ok "one seed is reproducible and a control violates: $a"
else
	notok "one seed: '$a' vs '$b'"
fi
exit $((fails > 0))
