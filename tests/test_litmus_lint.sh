#!/bin/bash
# Negative controls for scripts/run-litmus.
#
# Lint: a copy of a good LKMM test, broken one way at a time (no Result,
# Strategy or Shape line, a bad one of each, two Result lines, no exists
# clause, "(*" inside the leading comment, a "*)" that closes it early, a
# variable named "lock", a spinlock_t variable, a name that is not the
# file's), must each get
# "not ok - lint FILE: <that reason>"; the unbroken copy must get "ok - lint".
# A hardware (AArch64) test needs no Strategy or Shape line, may not say
# DATARACE, and must not share a name with another test.
# Coverage: it must fail on a directory that lacks a strategy's dep, indep or
# chain test (a variant such as "chain lkmm-spinlock" does not count), on two
# tests of one strategy and shape, and pass on litmus/.
# Expected verdicts: against a fake faultline-emu --expected, the cross-check
# must pass when its JSON agrees with the Result lines, fail when one cell
# differs or the JSON is bad, and say it was skipped when --expected fails.
#
# Runner: with a fake herd7 (on PATH or as HERD7) and a fake LKMM_DIR, the
# verdict check must pass when herd7 agrees with every Result line, and fail
# when herd7 prints no Observation line (herd7 exits 0 on malformed tests),
# nothing at all, another verdict, another data-race flag, another Flag, or
# exits non-zero; a hardware test must run as `herd7 FILE`, also without
# LKMM_DIR, and another Flag is only reported for it; without herd7 or LKMM_DIR it must print one "litmus: skipped:"
# line and exit 0; a bad HERD7, a bad LKMM_DIR or a missing DIR must fail.
#
# usage: tests/test_litmus_lint.sh   prints "ok - ..." / "not ok - ..." per
# check; exits 1 if any failed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
run=$root/scripts/run-litmus
src=$root/tests/litmus/MP+ticketlocks-addr.litmus
# derived STRATEGY SHAPE: litmus/'s derived test of that cell (litmus/index.json).
derived() {
	/usr/bin/python3 -c 'import json, sys
t = [x["file"] for x in json.load(open(sys.argv[1]))["tests"] if x["strategy"] == sys.argv[2] and x["shape"] == sys.argv[3]]
print(t[0] if t else "none")' "$root/litmus/index.json" "$1" "$2"
}
re_name() { printf '%s' "$1" | sed 's/[+.]/\\&/g'; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# The cross-check is tested on its own below; elsewhere it must stay quiet.
export FAULTLINE_EMU=$tmp/no-faultline-emu
unset HERD7
export HERD_CACHE=none	# the fake herd7 below answers differently each run

ok() { echo "ok - $*"; }
notok() {
	echo "not ok - $*"
	fails=$((fails + 1))
}

if [ ! -r "$src" ]; then
	notok "lint: source test $src missing"
	exit 1
fi
base=$(basename "$src")

# lint_case NAME SED-SCRIPT EXPECTED-REASON: break a copy with sed, expect
# "not ok - lint BASE: ...REASON..." and a non-zero exit.
lint_case() {
	local name=$1 script=$2 reason=$3 d out rc
	d=$tmp/$name
	mkdir -p "$d"
	sed -e "$script" "$src" >"$d/$base"
	if cmp -s "$src" "$d/$base"; then
		notok "lint rejects $name: the sed script did not change the file"
		return
	fi
	out=$("$run" --lint-only "$d" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && printf '%s\n' "$out" | grep -F "not ok - lint $base: " | grep -qF -- "$reason"; then
		ok "lint rejects $name: $(printf '%s\n' "$out" | grep -F "not ok - lint $base: " | cut -c1-160)"
	else
		notok "lint rejects $name: exit $rc, expected a \"not ok - lint $base\" line with \"$reason\"; got: $(printf '%s\n' "$out" | grep -F "lint $base" | cut -c1-200)"
	fi
}

# expect NAME WANT-RC PATTERN CMD...: run CMD, expect exit WANT-RC and a
# line matching the extended regex PATTERN.
expect() {
	local name=$1 want=$2 pat=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s\n' "$out" | grep -qE -- "$pat"; then
		ok "$name: $(printf '%s\n' "$out" | grep -E -- "$pat" | head -n 1 | cut -c1-160)"
	else
		notok "$name: exit $rc (want $want), no line matching /$pat/: $(printf '%s\n' "$out" | grep -v '^ok - ' | tail -n 3 | tr '\n' '|')"
	fi
}

# --- Lint ---------------------------------------------------------------------
mkdir -p "$tmp/good"
cp "$src" "$tmp/good/"
expect "lint accepts the unbroken copy of $base" 1 \
	"^ok - lint ${base//+/\\+}: Result Never, strategy locked, shape dep ticketlock$" "$run" --lint-only "$tmp/good"

lint_case no-result '/Result:/d' 'no "Result:" line'
lint_case bad-result 's/Result: Never/Result: Maybe/' 'Result: line says "Maybe"'
lint_case two-results 's/^ \* Result: Never$/&\n * Result: Never/' '2 "Result:" lines'
lint_case no-strategy '/Strategy:/d' 'no "Strategy:" line'
lint_case bad-strategy 's/Strategy: locked/Strategy: lockd/' 'Strategy: lockd is not a faultline strategy'
lint_case no-shape '/Shape:/d' 'no "Shape:" line'
lint_case bad-shape 's/Shape: dep ticketlock$/Shape: dep two words/' 'Shape: line says "dep two words"'
lint_case no-exists '/^exists/d' 'no exists clause'
lint_case nested-comment 's/^ \* Result: Never$/&\n * The reader loads READ_ONCE(*pte) under the lock./' \
	'"(*" inside the leading comment'
lint_case early-close 's/^ \* Strategy: locked$/ * Strategy: locked *) oops/' \
	'closes the leading comment early'
lint_case lock-variable 's/\bowner\b/lock/g' '"lock" is a reserved word'
lint_case spinlock-variable 's/^\tint owner;$/&\n\tspinlock_t ptl;/' 'spinlock_t declared as a variable'
lint_case wrong-name '1s/.*/C MP+another-name/' 'test name MP+another-name is not the file name'

# Hardware tests: no Strategy or Shape line needed, no DATARACE, unique names.
hw=$tmp/aarch64
mkdir -p "$hw"
cat >"$hw/MP+fake-aarch64.litmus" <<'EOF'
AArch64 MP+fake-aarch64
(*
 * Result: Sometimes
 *
 * Message passing with no barriers: a fake for the lint's tests.
 *)
{
0:X1=x; 0:X3=y;
1:X1=y; 1:X3=x;
}
 P0          | P1          ;
 MOV W0,#1   | LDR W0,[X1] ;
 STR W0,[X1] | LDR W2,[X3] ;
 MOV W2,#1   |             ;
 STR W2,[X3] |             ;
exists (1:X0=1 /\ 1:X2=0)
EOF
expect "lint accepts a hardware test without Strategy and Shape lines" 0 \
	'^ok - lint MP\+fake-aarch64\.litmus: Result Sometimes, AArch64 hardware test$' "$run" --lint-only "$hw"
mkdir -p "$tmp/hw-race" "$tmp/hw-nores" "$tmp/dup"
sed 's/Result: Sometimes/Result: Sometimes DATARACE/' "$hw/MP+fake-aarch64.litmus" >"$tmp/hw-race/MP+fake-aarch64.litmus"
expect "lint rejects DATARACE in a hardware test" 1 \
	'^not ok - lint MP\+fake-aarch64\.litmus: .*DATARACE is for LKMM tests' "$run" --lint-only "$tmp/hw-race"
sed '/Result:/d' "$hw/MP+fake-aarch64.litmus" >"$tmp/hw-nores/MP+fake-aarch64.litmus"
expect "lint rejects a hardware test without a Result line" 1 \
	'^not ok - lint MP\+fake-aarch64\.litmus: no "Result:" line' "$run" --lint-only "$tmp/hw-nores"
cp "$hw/MP+fake-aarch64.litmus" "$tmp/dup/"
expect "lint rejects a test name used twice" 1 \
	'^not ok - lint MP\+fake-aarch64\.litmus: test name MP\+fake-aarch64 is already used by .*/aarch64/MP\+fake-aarch64\.litmus$' "$run" --lint-only "$hw" "$tmp/dup"

# --- Coverage -----------------------------------------------------------------
expect "coverage rejects a directory without a test for every strategy and shape" 1 \
	'^not ok - coverage: no dep test for: .*\bnone\b.*; no indep test for: .*\blocked\b' "$run" --lint-only "$tmp/good"
cp -r "$root/litmus" "$tmp/novariant"
rm -f "$tmp/novariant/$(derived locked chain)"
cp "$root/tests/litmus/ISA2+spinlocks.litmus" "$tmp/novariant/"
expect "coverage does not count a variant (chain lkmm-spinlock) as the chain test" 1 \
	'^not ok - coverage: no chain test for: locked \(' "$run" --lint-only "$tmp/novariant"
cp -r "$root/litmus" "$tmp/twice"
ld=$(derived locked dep)
sed "1s/.*/C ${ld%.litmus}-again/" "$root/litmus/$ld" >"$tmp/twice/${ld%.litmus}-again.litmus"
expect "coverage rejects two tests of one strategy and shape" 1 \
	"^not ok - coverage: 2 locked dep tests: $(re_name "${ld%.litmus}-again.litmus") $(re_name "$ld")" \
	"$run" --lint-only "$tmp/twice"
out=$("$run" --lint-only 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^ok - coverage: ' &&
	! printf '%s\n' "$out" | grep -q '^not ok - '; then
	ok "lint and coverage pass on litmus/"
else
	notok "lint and coverage pass on litmus/: exit $rc: $(printf '%s\n' "$out" | grep '^not ok - ' | head -n 3)"
fi

# --- The cross-check with faultline-emu --expected ----------------------------
# A fake faultline-emu whose JSON is built from litmus/'s own Result lines.
fakeemu=$tmp/faultline-emu
cat >"$fakeemu" <<'EOF'
#!/bin/sh
[ "$1" = --expected ] || exit 2
[ -n "${FAKE_JSON:-}" ] || { echo "faultline-emu: error: unknown option --expected" >&2; exit 2; }
cat "$FAKE_JSON"
EOF
chmod +x "$fakeemu"
python3 - "$root/litmus" "$tmp/expected.json" "$tmp/flipped.json" <<'PY'
import glob, json, re, sys
cells = {}
for f in glob.glob(sys.argv[1] + "/*.litmus"):
    t = open(f).read()
    m = {k: re.search(r"^ \* %s: (\S+)(.*)$" % k, t, re.M) for k in ("Result", "Strategy", "Shape")}
    if all(m.values()) and m["Shape"].group(2) == "":
        cells.setdefault(m["Strategy"].group(1), {})[m["Shape"].group(1)] = {
            "lkmm": m["Result"].group(1), "tso": "Never", "arm64": "Never", "alpha": "Never"}
doc = {"shapes": ["dep", "indep", "chain"],
       "strategies": [{"name": s, "kind": "correct", "cells": c} for s, c in sorted(cells.items())]}
json.dump(doc, open(sys.argv[2], "w"))
c = [s for s in doc["strategies"] if s["name"] == "wmb-rmb"][0]["cells"]["indep"]
c["lkmm"] = "Sometimes"
json.dump(doc, open(sys.argv[3], "w"))
PY
echo '{"strategies": [' >"$tmp/bad.json"
# As many verdicts as litmus/index.json lists derived tests (3 per strategy).
nderived=$(/usr/bin/python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["tests"]))' \
	"$root/litmus/index.json")
expect "cross-check passes when the JSON agrees" 0 \
	"^ok - expected: the $nderived plain-shape Result verdicts match " \
	env FAULTLINE_EMU="$fakeemu" FAKE_JSON="$tmp/expected.json" "$run" --lint-only
expect "cross-check fails when a cell differs" 1 \
	"^not ok - expected: $(re_name "$(derived wmb-rmb indep)"): Result Never, the JSON says lkmm Sometimes for wmb-rmb indep\$" \
	env FAULTLINE_EMU="$fakeemu" FAKE_JSON="$tmp/flipped.json" "$run" --lint-only
expect "cross-check fails on bad JSON" 1 '^not ok - expected: .* printed no usable JSON' \
	env FAULTLINE_EMU="$fakeemu" FAKE_JSON="$tmp/bad.json" "$run" --lint-only
expect "cross-check is skipped when --expected fails" 0 \
	'^litmus: cross-check with faultline-emu --expected skipped: .* exited 2' \
	env FAULTLINE_EMU="$fakeemu" FAKE_JSON= "$run" --lint-only
expect "cross-check is skipped without faultline-emu" 0 \
	'^litmus: cross-check with faultline-emu --expected skipped: .* not built' "$run" --lint-only

# --- The herd7 half, against a fake herd7 ---------------------------------
fakebin=$tmp/fakebin
fakelkmm=$tmp/lkmm
mkdir -p "$fakebin" "$fakelkmm"
for m in cfg bell cat def; do
	: >"$fakelkmm/linux-kernel.$m"
done
# Answers as herd7 would, driven by FAKE_HERD: match (the Result line's
# verdict, "Flag data-race" with DATARACE), flip (the other verdict),
# noobs (an error and no Observation line, exit 0), silent (no output at
# all, exit 0), norace / race (no / a race flag), flag (another Flag),
# exit3 (a verdict, then exit 3).
cat >"$fakebin/herd7" <<'EOF'
#!/bin/sh
if [ "$1" = -conf ]; then
	[ "$2" = linux-kernel.cfg ] && [ -r linux-kernel.cfg ] && [ $# -eq 3 ] || {
		echo "fake herd7: bad arguments or not run in LKMM_DIR: $*" >&2
		exit 2
	}
	f=$3
else
	f=$1
	[ $# -eq 1 ] && head -n 1 "$f" | grep -qE '^(AArch64|PPC|X86) ' || {
		echo "fake herd7: a C test without -conf, or bad arguments: $*" >&2
		exit 2
	}
fi
name=$(sed -n '1s/^[A-Za-z0-9]*[[:space:]]*//p' "$f")
want=$(sed -n 's/^ \* Result: \([A-Za-z]*\).*/\1/p' "$f" | head -n 1)
race=$(grep -c '^ \* Result: .*DATARACE' "$f")
case ${FAKE_HERD:-match} in
silent) exit 0 ;;
noobs)
	echo "File \"$f\", line 3, characters 1-3: unexpected '(*' (User error)"
	exit 0
	;;
flip) [ "$want" = Never ] && want=Sometimes || want=Never ;;
norace) race=0 ;;
race) race=1 ;;
flag) echo "Flag mixed-accesses" ;;
esac
echo "Test $name Allowed"
echo "States 1"
[ "$race" -gt 0 ] && echo "Flag data-race"
echo "Observation $name $want 0 1"
[ "${FAKE_HERD:-}" = exit3 ] && exit 3
exit 0
EOF
chmod +x "$fakebin/herd7"

P=$fakebin:$PATH
F=(env "PATH=$P" "LKMM_DIR=$fakelkmm")
n=$(find "$root/litmus" "$root/tests/litmus" -name '*.litmus' | wc -l)
D=("$root/litmus" "$root/tests/litmus")
expect "runner passes when herd7 agrees" 0 "^litmus: $((n + 1 + n)) passed, 0 failed$" \
	"${F[@]}" FAKE_HERD=match "$run" "${D[@]}"
expect "runner takes herd7 from HERD7" 0 "^litmus: $((n + 1 + n)) passed, 0 failed$" \
	env LKMM_DIR="$fakelkmm" HERD7="$fakebin/herd7" FAKE_HERD=match "$run" "${D[@]}"
expect "runner prints ok - FILE: Result X" 0 '^ok - MP\+ticketlock\+trylockonce\.litmus: Result Sometimes DATARACE$' \
	"${F[@]}" FAKE_HERD=match "$run" "${D[@]}"
expect "runner fails without an Observation line" 1 \
	'^not ok - MP\+ticketlock\+trylockonce\.litmus: no Observation line from herd7 \(exit 0\): File ' \
	"${F[@]}" FAKE_HERD=noobs "$run" "${D[@]}"
expect "runner fails when herd7 prints nothing" 1 \
	'^not ok - MP\+ticketlock\+trylockonce\.litmus: no Observation line from herd7 \(exit 0\): no output$' \
	"${F[@]}" FAKE_HERD=silent "$run" "${D[@]}"
expect "runner fails when the verdict differs" 1 \
	'^not ok - MP\+ticketlocks-ctrl\.litmus: Result Never, herd7 says Sometimes$' \
	"${F[@]}" FAKE_HERD=flip "$run" "${D[@]}"
expect "runner fails when the verdict differs, data race or not" 1 \
	'^not ok - MP\+ticketlock\+trylockonce\.litmus: Result Sometimes DATARACE, herd7 says Never DATARACE$' \
	"${F[@]}" FAKE_HERD=flip "$run" "${D[@]}"
expect "runner fails when a predicted data race is not flagged" 1 \
	'^not ok - MP\+ticketlock\+trylockonce\.litmus: Result Sometimes DATARACE, but herd7 flags no data race' \
	"${F[@]}" FAKE_HERD=norace "$run" "${D[@]}"
expect "runner fails when an unpredicted data race is flagged" 1 \
	'^not ok - MP\+ticketlocks-ctrl\.litmus: Result Never, but herd7 flags a data race' \
	"${F[@]}" FAKE_HERD=race "$run" "${D[@]}"
expect "runner fails on another Flag of an LKMM test" 1 \
	'^not ok - MP\+ticketlocks-ctrl\.litmus: herd7 flags mixed-accesses' \
	"${F[@]}" FAKE_HERD=flag "$run" "${D[@]}"
expect "runner fails when herd7 exits non-zero" 1 \
	'^not ok - MP\+ticketlocks-ctrl\.litmus: herd7 exited 3 ' \
	"${F[@]}" FAKE_HERD=exit3 "$run" "${D[@]}"
expect "runner runs a hardware test as herd7 FILE" 0 '^ok - MP\+fake-aarch64\.litmus: Result Sometimes$' \
	"${F[@]}" FAKE_HERD=match "$run" "$root/litmus" "$hw"
expect "runner runs a hardware test without LKMM_DIR" 0 '^ok - MP\+fake-aarch64\.litmus: Result Sometimes$' \
	env PATH="$P" LKMM_DIR= FAKE_HERD=match "$run" "$hw"
expect "runner only reports another Flag of a hardware test" 0 \
	'^ok - MP\+fake-aarch64\.litmus: Result Sometimes \(herd7 notes: mixed-accesses\)$' \
	env PATH="$P" FAKE_HERD=flag "$run" "$hw"
expect "runner checks a hardware test's verdict" 1 \
	'^not ok - MP\+fake-aarch64\.litmus: Result Sometimes, herd7 says Never$' \
	env PATH="$P" FAKE_HERD=flip "$run" "$hw"
expect "runner skips without LKMM_DIR" 0 '^litmus: skipped: LKMM_DIR is not set' \
	env PATH="$P" LKMM_DIR= FAKE_HERD=match "$run"
expect "runner fails on an LKMM_DIR without linux-kernel.cfg" 1 \
	'^not ok - herd7: LKMM_DIR=.* has no linux-kernel.cfg' \
	env PATH="$P" LKMM_DIR="$tmp" FAKE_HERD=match "$run"
expect "runner fails on a HERD7 that is not there" 1 \
	'^not ok - herd7: HERD7=/nonexistent/herd7 is not an executable$' \
	env LKMM_DIR="$fakelkmm" HERD7=/nonexistent/herd7 "$run"
expect "runner fails on a directory that does not exist" 2 'no such directory: /nonexistent/aarch64' \
	"$run" "$root/litmus" /nonexistent/aarch64

# Without herd7: PATH without any directory that holds one.
nopath=
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	[ -n "$d" ] && [ ! -x "$d/herd7" ] && nopath=${nopath:+$nopath:}$d
done
out=$(PATH=$nopath LKMM_DIR=$fakelkmm "$run" 2>&1)
rc=$?
skips=$(printf '%s\n' "$out" | grep -c '^litmus: skipped: ')
if [ "$rc" -eq 0 ] && [ "$skips" -eq 1 ] &&
	printf '%s\n' "$out" | grep -q '^litmus: skipped: herd7 not on PATH'; then
	ok "runner skips without herd7: $(printf '%s\n' "$out" | grep '^litmus: skipped:' | cut -c1-100)"
else
	notok "runner skips without herd7: exit $rc, $skips skip lines"
fi

[ "$fails" -eq 0 ]
