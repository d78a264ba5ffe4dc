#!/bin/bash
# CLI behaviour of build/faultline: every bad input gets one line on stderr,
# exit status 2, and no output file (not even a partial one).
# usage: tests/cli.sh BINARY     prints "ok - ..." / "not ok - ..." per check
set -u
bin=${1:?usage: tests/cli.sh BINARY}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/cli_lib.sh"

# expect_usage_error NAME ARGS...: exit 2, exactly one stderr line, no file.
expect_usage_error() { usage_error_check "" "$bin" 'faultline: error: ' "$@"; }

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

# Lists: an empty element is an error, wherever it is; the same lists
# without it are accepted (the negative controls).
expect_usage_error "empty strategy element" --strategy=dep,,mb
expect_usage_error "leading comma in strategies" --strategy=,dep
expect_usage_error "trailing comma in strategies" --strategy=dep,
expect_usage_error "empty mix element" --mix=gup,,read
expect_usage_error "empty cpus element" --cpus=1,,2
expect_usage_error "leading comma in cpus" --cpus=,1
expect_usage_error "trailing comma in cpus" --cpus=1,
expect_usage_error "empty cpus list" --cpus=
expect_not_ok "dep,mb is a good strategy list" expect_usage_error "" --strategy=dep,mb --help
expect_not_ok "1,2 is a good cpus list" expect_usage_error "" --cpus=1,2 --help
expect_usage_error "option without its value" --strategy
expect_usage_error "flag given a value" --quiet=1
expect_usage_error "seed with a sign" --seed=+1
expect_usage_error "seed out of range" --seed=18446744073709551616
expect_usage_error "positional argument" dep

# --describe=json: the description, as JSON, on stdout; nothing else is a format.
if "$bin" --describe=json >"$tmp/describe.json" 2>"$tmp/describe.err" &&
	[ ! -s "$tmp/describe.err" ] &&
	/usr/bin/python3 -c 'import json, sys; assert isinstance(json.load(open(sys.argv[1])), dict)' \
		"$tmp/describe.json"; then
	ok "--describe=json: exit 0, a JSON object on stdout, nothing on stderr"
else
	notok "--describe=json: $(head -c 300 "$tmp/describe.err")"
fi
expect_usage_error "--describe=xml" --describe=xml
expect_usage_error "--describe without a format" --describe
expect_usage_error "--describe with an empty format" --describe=
expect_not_ok "--describe=json is not a usage error" expect_usage_error "" --describe=json

# --help, generated from the option table, lists every option, and every
# option it lists is one the parser knows.
"$bin" --help >"$tmp/help" 2>&1
all_opts=(--list --describe=json --strategy=LIST --mix=LIST --cpus=LIST --oversubscribe
	--placement=P --duration=SECONDS --slots=N --clear-page --overhead --json=FILE
	--seed=N --quiet --help -h '--benchmark_*')
help_lists_check "faultline" "$tmp/help" "${all_opts[@]}"
help_accepted_check "faultline" "$bin" "$tmp/help"
grep -v -- '^  --seed=' "$tmp/help" >"$tmp/help.noseed"
expect_not_ok "a help without --seed fails the check" \
	help_lists_check "" "$tmp/help.noseed" "${all_opts[@]}"
printf '  --frobnicate   not an option\n' >"$tmp/help.bogus"
expect_not_ok "a help listing an unknown option fails the check" \
	help_accepted_check "" "$bin" "$tmp/help.bogus"

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

# faultline-stress, built beside the binary under test: the same rules for
# bad input (its own "faultline-stress: error: " prefix), the shared flags
# that would do nothing there rejected, and short runs checked field by field.
stress="$(dirname "$bin")/faultline-stress"
expect_stress_error() { usage_error_check "stress " "$stress" 'faultline-stress: error: ' "$@"; }
# check_stress_json FILE CPUS: the rows of a clean run at CPUS.
check_stress_json() {
	/usr/bin/python3 - "$1" "$2" "$(uname -m)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
cpus, arch = int(sys.argv[2]), sys.argv[3]
bad = []
def want(cond, what):
    if not cond:
        bad.append(what)
want(d["placement"]["cpu_order"] and "rotation" in d["placement"], "placement recorded")
want(d["parameters"]["min_trials"] == 100, "min_trials")
for r in d["rows"]:
    name = f"{r['strategy']}@{r['cpus']}"
    want(r["cpus"] == cpus, f"{name}: cpus")
    want(len(r["cpu_of_thread"]) == cpus, f"{name}: cpu_of_thread")
    want(r["trials"] + r["unseen"] + r["retries"] == r["attempts"], f"{name}: attempts add up")
    want(r["trials"] >= 100, f"{name}: {r['trials']} trials")
    want(r.get("trials_chain", 0) <= r["trials"], f"{name}: chain trials")
    for sh in ("dep", "indep", "chain"):
        c = r["shapes"][sh]
        want(c["violations"] == r.get(f"viol_{sh}", 0), f"{name}: {sh} violations")
        want(c["upper95"] == r[f"upper95_{sh}"], f"{name}: {sh} upper95")
        if c["status"] == "none seen":
            n = c["trials"]
            want(c["ci95"] is None and abs(c["upper95"] - (1 - 0.05 ** (1 / n))) <= 1e-5 * c["upper95"],
                 f"{name}: {sh} bound {c['upper95']} for {n} trials")
        elif c["status"] == "seen":
            want(c["ci95"][0] <= c["rate"] <= c["ci95"][1] == c["upper95"], f"{name}: {sh} interval")
    if cpus == 2:
        want(r["shapes"]["chain"]["status"] == "not run" and r["upper95_chain"] is None
             and "trials_chain" not in r and "viol_chain" not in r and r["layout"] == "1x2",
             f"{name}: chain not run at 2")
    else:
        want(r["shapes"]["chain"]["status"] != "not run" and r["trials_chain"] > 0
             and r["layout"] == "1x3", f"{name}: chain run at 3")
    if arch == "x86_64":	# TSO: not even a control fails
        want(r["viol_dep"] == r["viol_indep"] == r.get("viol_chain", 0) == 0,
             f"{name}: violations on TSO")
    if r["kind"] == "correct":
        want(r["verdict"] == "pass", f"{name}: verdict {r['verdict']}")
want(len(d["rows"]) == 2, f"{len(d['rows'])} rows")
print("; ".join(bad))
sys.exit(1 if bad else 0)
PY
}

if [ -x "$stress" ]; then
	if "$stress" --help >"$tmp/help" 2>&1 && grep -q -- '--seed=' "$tmp/help" &&
		grep -q 'upper95_chain' "$tmp/help" && grep -q 'not run' "$tmp/help"; then
		ok "stress --help"
	else
		notok "stress --help"
	fi
	expect_stress_error "rejects --mix" --mix=gup
	expect_stress_error "rejects --slots" --slots=64
	expect_stress_error "rejects --overhead" --overhead
	expect_stress_error "rejects benchmark flags" --benchmark_repetitions=2
	expect_stress_error "unknown strategy" --strategy=nope
	expect_stress_error "malformed cpus" --cpus=abc
	expect_stress_error "malformed duration" --duration=1s
	expect_stress_error "bad seed" --seed=-1
	expect_stress_error "unknown option" --frobnicate
	expect_stress_error "more CPUs than exist" --cpus=$((avail + 1))
	expect_stress_error "nothing to run at 1 CPU" --cpus=1 --strategy=dep
	expect_stress_error "nothing to run for baseline" --cpus=2 --strategy=baseline
	"$stress" --strategy=dep --cpus=2 --duration=0.01 --json=/nonexistent/dir/st.json \
		>/dev/null 2>"$tmp/stderr"
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/stderr")" -eq 1 ]; then
		ok "stress unwritable output: $(cat "$tmp/stderr")"
	else
		notok "stress unwritable output: rc=$rc $(head -c 300 "$tmp/stderr")"
	fi
	for c in 2 3; do
		over=
		[ "$c" -gt "$avail" ] && over=--oversubscribe
		"$stress" --strategy=dep,none --cpus=$c $over --duration=0.1 --seed=5 --clear-page \
			--json="$tmp/st$c.json" >"$tmp/stdout" 2>"$tmp/stderr"
		rc=$?
		if [ "$rc" -eq 0 ] && [ ! -s "$tmp/stderr" ] && [ "$(grep -c '^dep \|^none ' "$tmp/stdout")" -eq 2 ] &&
			why=$(check_stress_json "$tmp/st$c.json" $c); then
			ok "stress run at $c CPUs: rows, bounds, layout, chain $([ $c -eq 2 ] && echo not run || echo run)"
		else
			notok "stress run at $c CPUs: rc=$rc ${why:-} $(head -c 300 "$tmp/stderr")"
		fi
	done
else
	notok "faultline-stress not built beside $bin"
fi

exit $((fails > 0))
