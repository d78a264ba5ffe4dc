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

# Empty list elements, and the lists without them.
expect_usage_error "empty strategy element" --matrix --strategy=dep,,mb
expect_usage_error "leading comma in strategies" --matrix --strategy=,dep
expect_usage_error "trailing comma in strategies" --matrix --strategy=dep,
expect_usage_error "empty model element" --matrix --model=arm64,,tso
expect_usage_error "trailing comma in models" --matrix --model=arm64,
expect_usage_error "empty strategy list" --matrix --strategy=
expect_not_ok "dep,mb and arm64,tso are good lists" \
	expect_usage_error "" --matrix --strategy=dep,mb --model=arm64,tso --help
expect_usage_error "option without its value" --matrix --model
expect_usage_error "flag given a value" --matrix=1
expect_usage_error "empty --json" --matrix --json=
# The other mode's options would do nothing: they are errors.
expect_usage_error "--seed with --matrix" --matrix --seed=3
expect_usage_error "--trace with --matrix" --matrix --trace
expect_usage_error "--seeds with one seed" --strategy=dep --model=arm64 --seed=1 --seeds=3
expect_usage_error "--json with one seed" --strategy=dep --model=arm64 --seed=1
expect_not_ok "--seeds with --matrix is not an error" \
	expect_usage_error "" --matrix --seeds=3 --help

# --help lists every option, and every option it lists is known.
"$bin" --help >"$tmp/help" 2>&1
all_opts=(--matrix --seeds=N --expected --strategy=LIST --model=LIST --seed=N --trace
	--writers=N --writer-steps=N --reader-gups=N --json=FILE --help -h)
help_lists_check "emu" "$tmp/help" "${all_opts[@]}"
help_accepted_check "emu" "$bin" "$tmp/help"
grep -v -- '^  --trace' "$tmp/help" >"$tmp/help.notrace"
expect_not_ok "a help without --trace fails the check" \
	help_lists_check "" "$tmp/help.notrace" "${all_opts[@]}"

# The parser leaves argv alone: while a matrix runs (its first cell is out,
# so the options are parsed), /proc/PID/cmdline still holds every argument
# as given, '=' and all.
# argv_intact_check LABEL CMDLINE_FILE ARGS...: the file holds ARGS exactly.
argv_intact_check() {
	local label=$1 file=$2
	shift 2
	if [ "$(tr '\0' '\n' <"$file" | tail -n +2)" = "$(printf '%s\n' "$@")" ]; then
		ok "$label"
	else
		notok "$label: cmdline is $(tr '\0' ' ' <"$file")"
	fi
}
args=(--matrix --strategy=dep,none --model=tso,arm64,alpha --seeds=100)
"$bin" "${args[@]}" >"$tmp/argv.out" 2>&1 &
pid=$!
for _ in $(seq 1 400); do
	[ -s "$tmp/argv.out" ] && break
	sleep 0.05
done
cat "/proc/$pid/cmdline" >"$tmp/cmdline" 2>/dev/null
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ -s "$tmp/argv.out" ] && [ -s "$tmp/cmdline" ]; then
	argv_intact_check "argv is not written: /proc/PID/cmdline unchanged after parsing" \
		"$tmp/cmdline" "${args[@]}"
else
	notok "argv check: the matrix printed nothing, or ended before it could be read"
fi
tr '\0' '\n' <"$tmp/cmdline" | sed 's/=.*//' | tr '\n' '\0' >"$tmp/cmdline.cut"
expect_not_ok "an argv cut at '=' fails the check" \
	argv_intact_check "" "$tmp/cmdline.cut" "${args[@]}"

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
