#!/bin/bash
# CLI behaviour of build/faultline-stress that its option table defines: the
# flags of faultline it would ignore are rejected, each with its reason;
# empty list elements are errors; --help lists every option it takes; the
# flags it does take (--seed, --clear-page) reach the run. (tests/cli.sh
# checks its other bad inputs and its runs.)
# usage: tests/stress_cli.sh BINARY     prints "ok - ..." / "not ok - ..." per check
set -u
bin=${1:?usage: tests/stress_cli.sh BINARY}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/cli_lib.sh"

expect_usage_error() { usage_error_check "" "$bin" 'faultline-stress: error: ' "$@"; }

# expect_rejected FLAG ARGS...: a usage error that names FLAG as not
# supported here, with the reason after a colon.
expect_rejected() {
	local flag=$1
	shift
	usage_error_check "" "$bin" 'faultline-stress: error: ' "rejects $*" "$@"
	if grep -q -- "error: $flag is not supported by faultline-stress: ." "$tmp/usage.err"; then
		ok "$* is rejected as not supported, with a reason"
	else
		notok "$*: $(head -c 300 "$tmp/usage.err")"
	fi
}

# faultline's flags that mean nothing here, with and without a value.
expect_rejected --mix --mix=gup
expect_rejected --mix --mix
expect_rejected --slots --slots=64
expect_rejected --overhead --overhead
expect_rejected --benchmark_repetitions --benchmark_repetitions=2
expect_rejected --benchmark_min_time --benchmark_min_time=0.1s
expect_usage_error "faultline's --describe" --describe=json
expect_not_ok "an unknown option is not 'not supported'" expect_rejected --describe --describe=json
# What it really uses is not rejected (negative controls of the above).
expect_not_ok "--seed is accepted" expect_usage_error "" --seed=5 --help
expect_not_ok "--clear-page is accepted" expect_usage_error "" --clear-page --help
expect_not_ok "--placement is accepted" expect_usage_error "" --placement=scatter --help

# Empty list elements, and the lists without them.
expect_usage_error "empty strategy element" --strategy=dep,,mb
expect_usage_error "leading comma in strategies" --strategy=,dep
expect_usage_error "trailing comma in strategies" --strategy=dep,
expect_usage_error "empty cpus element" --cpus=2,,2
expect_usage_error "trailing comma in cpus" --cpus=2,
expect_not_ok "dep,mb is a good strategy list" expect_usage_error "" --strategy=dep,mb --help
expect_not_ok "2,2 is a good cpus list" expect_usage_error "" --cpus=2,2 --help
expect_usage_error "option without its value" --cpus
expect_usage_error "flag given a value" --clear-page=1
expect_usage_error "empty placement" --placement=

# --help lists every option it takes and names the rejected ones.
"$bin" --help >"$tmp/help" 2>&1
all_opts=(--strategy=LIST --cpus=LIST --duration=S --placement=P --oversubscribe --seed=N
	--clear-page --json=FILE --quiet --list --help -h)
help_lists_check "stress" "$tmp/help" "${all_opts[@]}"
help_accepted_check "stress" "$bin" "$tmp/help"
if grep -q -- '^Rejected, .*--mix, --slots, --overhead, --benchmark_\*\.$' "$tmp/help" &&
	! help_options "$tmp/help" | grep -q -- '--mix\|--slots\|--overhead\|--benchmark'; then
	ok "stress --help names the rejected flags and lists none of them as options"
else
	notok "stress --help: rejected flags: $(grep -i rejected "$tmp/help")"
fi
grep -v -- '^  --clear-page' "$tmp/help" >"$tmp/help.nocp"
expect_not_ok "a help without --clear-page fails the check" \
	help_lists_check "" "$tmp/help.nocp" "${all_opts[@]}"

# --seed and --clear-page reach the run's parameters; the defaults otherwise.
over=
[ "$(nproc)" -lt 2 ] && over=--oversubscribe
# check_params FILE SEED CLEAR_PAGE
check_params() {
	/usr/bin/python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["parameters"]
want = (int(sys.argv[2]), sys.argv[3] == "true")
sys.exit(0 if (p["seed"], p["clear_page"]) == want else 1)' "$@"
}
"$bin" --strategy=dep --cpus=2 $over --duration=0.02 --seed=7 --clear-page --quiet \
	--json="$tmp/p.json" >/dev/null 2>"$tmp/p.err"
rc=$?
if { [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; } && check_params "$tmp/p.json" 7 true; then
	ok "--seed=7 --clear-page are the run's parameters (rc=$rc)"
else
	notok "--seed/--clear-page: rc=$rc $(head -c 300 "$tmp/p.err")"
fi
"$bin" --strategy=dep --cpus=2 $over --duration=0.02 --quiet --json="$tmp/d.json" \
	>/dev/null 2>"$tmp/d.err"
rc=$?
if { [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; } && check_params "$tmp/d.json" 1 false &&
	! check_params "$tmp/d.json" 7 true; then
	ok "without them: seed 1, no page clearing (rc=$rc)"
else
	notok "stress defaults: rc=$rc $(head -c 300 "$tmp/d.err")"
fi

exit $((fails > 0))
