#!/bin/bash
# CLI behaviour of build/faultline: every bad input gets one line on stderr,
# exit status 2, and no output file (not even a partial one).
# usage: tests/cli.sh BINARY     prints "ok - ..." / "not ok - ..." per check
set -u
bin=${1:?usage: tests/cli.sh BINARY}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fails=$((fails + 1)); }

# expect_usage_error NAME ARGS...: exit 2, exactly one stderr line, no file.
expect_usage_error() {
	local name=$1
	shift
	"$bin" "$@" --json="$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
	local rc=$? lines
	lines=$(wc -l <"$tmp/stderr")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q '^faultline: error: ' "$tmp/stderr" &&
		[ ! -e "$tmp/out.json" ] && [ ! -e "$tmp/out.json.partial" ]; then
		ok "$name: $(cat "$tmp/stderr")"
	else
		notok "$name: rc=$rc, $lines stderr lines: $(head -c 300 "$tmp/stderr")"
	fi
	rm -f "$tmp/out.json" "$tmp/out.json.partial"
}

if "$bin" --help >"$tmp/help" 2>&1 && grep -q -- '--strategy=' "$tmp/help" &&
	grep -q -- '--oversubscribe' "$tmp/help"; then
	ok "--help"
else
	notok "--help"
fi

"$bin" --list >"$tmp/list" 2>&1
n=$(sed -n '/^strategies:/,/^mixes:/p' "$tmp/list" | grep -c '^  ')
if [ "$n" -ge 10 ] && grep -q '^  baseline ' "$tmp/list" && grep -q '^  dep ' "$tmp/list"; then
	ok "--list shows $n strategies with the baseline"
else
	notok "--list: $n strategies"
fi

avail=$(nproc)
expect_usage_error "unknown strategy" --strategy=nope
expect_usage_error "unknown mix" --mix=nope
expect_usage_error "empty strategy list" --strategy=
expect_usage_error "malformed cpus" --cpus=abc
expect_usage_error "zero cpus" --cpus=0
expect_usage_error "reversed range" --cpus=3-1
expect_usage_error "trailing junk in cpus" --cpus=2x
expect_usage_error "more CPUs than exist" --cpus=$((avail + 1))
expect_usage_error "negative duration" --duration=-1
expect_usage_error "malformed duration" --duration=1s
expect_usage_error "slots not a power of two" --slots=3
expect_usage_error "bad placement" --placement=diagonal
expect_usage_error "unknown option" --frobnicate
expect_usage_error "unknown benchmark flag" --benchmark_frobnicate=1
expect_usage_error "malformed benchmark flag value" --benchmark_repetitions=abc
expect_usage_error "--json with --benchmark_out" --benchmark_out=/tmp/x

"$bin" --strategy=dep --mix=read --cpus=1 --duration=0.01 --json=/nonexistent/dir/out.json \
	>/dev/null 2>"$tmp/stderr"
rc=$?
if [ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/stderr")" -eq 1 ] && [ ! -e /nonexistent/dir ]; then
	ok "unwritable output: $(cat "$tmp/stderr")"
else
	notok "unwritable output: rc=$rc $(head -c 300 "$tmp/stderr")"
fi

# Oversubscription is allowed only when asked for, and then it is marked,
# on the points that are oversubscribed and on no other.
if "$bin" --strategy=dep --mix=read --cpus=1,$((avail + 1)) --oversubscribe --duration=0.02 \
	--quiet --json="$tmp/over.json" >/dev/null 2>&1 &&
	grep -q '"oversubscribe": "true"' "$tmp/over.json" &&
	/usr/bin/python3 -c '
import json, sys
pts = {b["threads"]: b["oversubscribed"] for b in json.load(open(sys.argv[1]))["benchmarks"]}
sys.exit(0 if pts == {1: 0, int(sys.argv[2]): 1} else 1)' "$tmp/over.json" $((avail + 1)); then
	ok "--oversubscribe runs and marks exactly the oversubscribed points"
else
	notok "--oversubscribe"
fi

# An interrupted run leaves neither the result nor a partial file. Wait for
# the partial file to appear (the run has started), then interrupt.
"$bin" --strategy=dep --mix=read --cpus=1 --duration=5 --quiet --json="$tmp/int.json" \
	>/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 200); do
	[ -e "$tmp/int.json.partial" ] && break
	sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -ne 0 ] && [ ! -e "$tmp/int.json" ] && [ ! -e "$tmp/int.json.partial" ]; then
	ok "interrupted run leaves no file (rc=$rc)"
else
	notok "interrupted run: rc=$rc, files: $(ls "$tmp")"
fi

exit $((fails > 0))
