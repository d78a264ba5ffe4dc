#!/bin/bash
# The lock flavours' --lock= on every binary that takes the model's options:
# bad values are one line and exit 2 (pthread too, under the emulator, and
# --lock with --litmus), a chosen flavour is recorded in the results, and
# the locked strategy stays Never in every emulated cell under each
# emulatable flavour (faultline-emu --matrix --lock=).
#
# usage: tests/locks_cli.sh BUILD     prints "ok - ..." / "not ok - ..." per check
build=${1:?usage: tests/locks_cli.sh BUILD}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/cli_lib.sh"

for b in faultline faultline-stress faultline-pair faultline-emu; do
	usage_error_check "$b " "$build/$b" "$b: error: unknown --lock value 'mcs'" "--lock=mcs" \
		--lock=mcs
	"$build/$b" --help >"$tmp/help.txt" 2>&1
	help_lists_check "$b" "$tmp/help.txt" --lock=qspinlock\|ticket\|tas\|pthread
done
usage_error_check "faultline-emu " "$build/faultline-emu" \
	"faultline-emu: error: --lock=pthread cannot be emulated" "--lock=pthread" --matrix --lock=pthread
usage_error_check "faultline-emu " "$build/faultline-emu" \
	"faultline-emu: error: --lock is for the scenario" "--litmus --lock=tas" \
	--litmus --lock=tas tests/litmus/MP+qspinlock-fastpath.litmus

# A chosen flavour is in the results.
if "$build/faultline" --strategy=locked --mix=gup --cpus=1 --duration=0.01 --perf=off --quiet \
	--lock=tas --json="$tmp/bench.json" >/dev/null 2>"$tmp/err" &&
	/usr/bin/python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["context"]["lock"] != "tas")' \
		"$tmp/bench.json"; then
	ok "faultline --lock=tas: context key lock is tas"
else
	notok "faultline --lock=tas: $(head -c 300 "$tmp/err")"
fi
if "$build/faultline" --strategy=locked --mix=gup --cpus=1 --duration=0.01 --perf=off --quiet \
	--json="$tmp/bench.json" >/dev/null 2>"$tmp/err" &&
	/usr/bin/python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["context"]["lock"] != "qspinlock")' \
		"$tmp/bench.json"; then
	ok "faultline: the default flavour, qspinlock, is recorded"
else
	notok "faultline default lock: $(head -c 300 "$tmp/err")"
fi

# locked under each emulatable flavour: every cell Never, and exercised (the
# matrix itself fails a cell with too few racing trials).
for l in qspinlock ticket tas; do
	"$build/faultline-emu" --matrix --strategy=locked --lock=$l --json="$tmp/v.json" \
		>"$tmp/m.txt" 2>&1
	rc=$?
	n=$(grep -c '^ok - locked .* got Never ' "$tmp/m.txt")
	if [ "$rc" -eq 0 ] && [ "$n" -eq 9 ] &&
		/usr/bin/python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["scenario"]["lock"] != sys.argv[2])' \
			"$tmp/v.json" $l; then
		ok "faultline-emu --matrix --strategy=locked --lock=$l: 9 of 9 cells Never, recorded"
	else
		notok "faultline-emu --lock=$l: exit $rc, $n cells Never: $(grep -v '^ok' "$tmp/m.txt" | head -c 300)"
	fi
done
exit $((fails > 0))
