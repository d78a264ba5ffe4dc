#!/bin/bash
# make evaluate's tool, scripts/evaluate: bad arguments are one line and exit
# 2; a short evaluation of a correct strategy and of a control prints the
# paste-able block (verdict first, at most 80 columns) and writes its files.
#
# usage: tests/evaluate.sh     prints ok / not ok lines
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli_lib.sh
. "$root/tests/cli_lib.sh"
ev() { /usr/bin/python3 "$root/scripts/evaluate" "$@"; }

bad() {
	local label=$1 want=$2 rc
	shift 2
	ev "$@" --out="$tmp/bad" >"$tmp/o" 2>"$tmp/e"
	rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] && grep -q "$want" "$tmp/e" &&
		[ ! -e "$tmp/bad" ]; then
		ok "evaluate rejects $label: $(cat "$tmp/e")"
	else
		notok "evaluate rejects $label: rc=$rc: $(head -c 300 "$tmp/e")"
	fi
}
bad "an unknown strategy" "unknown strategy 'nope'" nope
bad "an unknown base" "unknown strategy 'nope'" dep --base=nope
bad "the base itself" "both dep" dep --base=dep
bad "the baseline" "single-threaded" baseline
bad "a zero budget" "budget" wmb-rmb --budget=0
bad "no strategy" "required"
bad "a budget that is no number" "invalid float" wmb-rmb --budget=soon
out=$(cd "$root" && make --no-print-directory -s evaluate 2>&1)
if [ $? -eq 2 ] && grep -q "usage: make evaluate STRATEGY=" <<<"$out"; then
	ok "make evaluate without STRATEGY: usage, exit 2"
else
	notok "make evaluate without STRATEGY: $out"
fi

# bench-precision's arguments: the same rule.
for args in "--point=publish" "--runs=0" "--budget=-1" "--frobnicate"; do
	/usr/bin/python3 "$root/scripts/bench-precision" $args --out="$tmp/prec" >"$tmp/o" 2>"$tmp/e"
	rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] && [ ! -e "$tmp/prec" ]; then
		ok "bench-precision rejects $args: $(cat "$tmp/e")"
	else
		notok "bench-precision rejects $args: rc=$rc: $(head -c 300 "$tmp/e")"
	fi
done

# name EXPECT-IN-VERDICT ARGS: a short run (1 s of paired rounds, one point).
short() {
	local name=$1 want=$2 rc
	shift 2
	ev "$name" --budget=1 --mix=publish --cpus=1 --out="$tmp/$name" "$@" >"$tmp/$name.txt" \
		2>"$tmp/$name.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		notok "evaluate $name: rc=$rc: $(tail -c 300 "$tmp/$name.err")"
		return
	fi
	local wide first
	wide=$(awk 'length > 80' "$tmp/$name.txt" | wc -l)
	# The verdict paragraph: the first paragraph after the header (which names
	# the strategy, host and revision), unwrapped.
	first=$(awk '/^$/ && !seen { seen = 1; next } seen == 1 && /^Verdict:/ { v = $0; seen = 2; next }
		seen == 2 && /^  / { v = v " " substr($0, 3); next } seen == 2 { seen = 3 }
		END { print v }' "$tmp/$name.txt")
	if [ "$wide" -eq 0 ] && grep -q "^Verdict: $want" <<<"$first" &&
		grep -q "LKMM:" "$tmp/$name.txt" && grep -q "^ vs dep:" "$tmp/$name.txt" &&
		grep -q "^ vs locked:" "$tmp/$name.txt" && grep -q "^  arm64 " "$tmp/$name.txt" &&
		[ -s "$tmp/$name/evaluate.md" ] && [ -s "$tmp/$name/pair.json" ] &&
		[ -s "$tmp/$name/verdicts.json" ]; then
		ok "evaluate $name: $first"
	else
		notok "evaluate $name: $wide lines over 80 columns; line 4: $first"
	fi
}
short wmb-rmb "correct in emulation on tso/arm64/alpha" --layouts=2
# The control: the block must say where it fails, not call it correct.
short none "Never in emulation on tso; Sometimes on arm64 (dep, indep); Sometimes on alpha (dep, indep, chain)"
exit $((fails > 0))
