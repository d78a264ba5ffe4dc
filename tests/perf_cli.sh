#!/bin/bash
# perf counters end to end: faultline --perf=on|off, the "unsupported" path
# forced with FAULTLINE_PERF_FAIL (an event's open fails as on a machine
# without it), the summary's [perf] block, faultline-pair's NAME+perf arm.
# Each check has its negative control. (The counts themselves: test_perf.c.)
#
# usage: tests/perf_cli.sh BUILD    prints ok / not ok lines
set -u
build=${1:?usage: tests/perf_cli.sh BUILD}
bin=$build/faultline
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli_lib.sh
. "$root/tests/cli_lib.sh"
py=/usr/bin/python3

run() {	# run NAME VAR=VALUE [faultline args]: $tmp/NAME.json
	local name=$1 var=$2
	shift 2
	env "$var" "$bin" --strategy=dep --mix=read --cpus=1 --duration=0.03 --quiet \
		--json="$tmp/$name.json" "$@" >/dev/null 2>"$tmp/$name.err"
}

# field FILE EXPR: evaluate EXPR with d = bench.json, p = its perf context, b = first row.
field() {
	PYTHONPATH="$root/scripts" $py - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = json.loads(d["context"]["perf"])
b = next(x for x in d["benchmarks"] if x.get("run_type") == "iteration")
state = {e["name"]: e for e in p["events"]}
print(eval(sys.argv[2]))
PY
}

expect() {	# expect LABEL FILE EXPR: EXPR is True
	if [ "$(field "$2" "$3")" = True ]; then ok "$1"; else notok "$1: $3 is not true"; fi
}

run on FAULTLINE_PERF_FAIL=
run off FAULTLINE_PERF_FAIL= --perf=off
run forced FAULTLINE_PERF_FAIL=page-faults,cycles

expect "--perf=on (default): task-clock, context switches, migrations, page faults per op" \
	"$tmp/on.json" 'all(k in b for k in ("task_clock_ns_per_op", "context_switches_per_op", "cpu_migrations_per_op", "page_faults_per_op"))'
expect "--perf=on: every event counted or unsupported, the unsupported ones with why" \
	"$tmp/on.json" 'p["mode"] == "on" and all(e["state"] == "counted" or (e["state"] == "unsupported" and e["why"]) for e in p["events"])'
expect "--perf=on: a hardware event's counter only where counted" \
	"$tmp/on.json" 'all(("cycles_per_op" in b) == (state["cycles"]["state"] == "counted") for _ in [0])'
expect "--perf=off: no perf counter in a row, every event off" \
	"$tmp/off.json" 'p["mode"] == "off" and not any(k.endswith("_per_op") and k != "ns_per_op" for k in b) and all(e["state"] == "off" for e in p["events"])'
# The forced path: page-faults (a software event, counted here) and cycles
# fail to open; the other software events are still counted.
expect "FAULTLINE_PERF_FAIL=page-faults,cycles: both unsupported, saying they were forced" \
	"$tmp/forced.json" 'all(state[n]["state"] == "unsupported" and "FAULTLINE_PERF_FAIL" in state[n]["why"] for n in ("page-faults", "cycles")) and p["forced"] == ["cycles", "page-faults"]'
expect "FAULTLINE_PERF_FAIL: the row lacks page_faults_per_op, keeps task_clock_ns_per_op" \
	"$tmp/forced.json" '"page_faults_per_op" not in b and "task_clock_ns_per_op" in b'
expect "negative control: without FAULTLINE_PERF_FAIL the same row has page_faults_per_op" \
	"$tmp/on.json" '"page_faults_per_op" in b and state["page-faults"]["state"] == "counted"'
if [ -s "$tmp/forced.json" ] && PYTHONPATH="$root/scripts" $py "$root/tests/check_json.py" \
	"$tmp/forced.json" 1 2>&1 | grep -q "perf"; then
	notok "check_json: the forced run is consistent: $(PYTHONPATH="$root/scripts" $py "$root/tests/check_json.py" "$tmp/forced.json" 1 | grep perf | head -2)"
else
	ok "check_json: the forced run's rows and perf context agree"
fi

# summary.txt's [perf] block names what was not counted, once, with why.
$py "$root/scripts/summary.py" "$tmp/forced.json" >"$tmp/forced.txt" 2>&1
if grep -q '^unsupported here: .*page-faults.*(forced by FAULTLINE_PERF_FAIL' "$tmp/forced.txt" &&
	grep -q '^point .*task-clock' "$tmp/forced.txt"; then
	ok "summary: [perf] says page-faults is unsupported (forced) and shows task-clock"
else
	notok "summary: $(grep -A3 '^\[perf\]' "$tmp/forced.txt" | head -c 300)"
fi
$py "$root/scripts/summary.py" "$tmp/on.json" >"$tmp/on.txt" 2>&1
if grep -q '^unsupported here: .*page-faults' "$tmp/on.txt"; then
	notok "negative control: the summary of the plain run calls page-faults unsupported"
else
	ok "negative control: the summary of the plain run does not call page-faults unsupported"
fi

# Bad input: one line, exit 2.
expect_usage_error() { usage_error_check "" "$bin" 'faultline: error: ' "$@"; }
expect_usage_error "--perf=maybe" --perf=maybe
expect_usage_error "--perf without a value" --perf
FAULTLINE_PERF_FAIL=nope usage_error_check "FAULTLINE_PERF_FAIL=nope: " "$bin" \
	'faultline: error: FAULTLINE_PERF_FAIL' "unknown event" --cpus=1 --duration=0.01 --quiet

# faultline-pair: NAME+perf is an arm counting perf events (the overhead test).
pair=$build/faultline-pair
if "$pair" --strategy=dep,dep+perf --mix=publish --cpus=1 --budget=0.2 --window=0.01 --quiet \
	--json="$tmp/pair.json" 2>"$tmp/pair.err" &&
	$py -c 'import json,sys; a=json.load(open(sys.argv[1]))["arms"]; sys.exit(not (a[1]["perf"] is True and a[0]["perf"] is False and a[1]["label"] == "dep+perf"))' "$tmp/pair.json"; then
	ok "faultline-pair: dep+perf is an arm with perf on, dep one without"
else
	notok "faultline-pair: dep+perf: $(head -c 200 "$tmp/pair.err")"
fi
usage_error_check "" "$pair" 'faultline-pair: error:' "dep+perfx is no arm" --strategy=dep,dep+perfx
exit $((fails > 0))
