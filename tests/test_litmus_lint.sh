#!/bin/bash
# Negative controls for scripts/run-litmus.
#
# Lint: a copy of a good litmus test, broken one way at a time (no Result
# line, a Result that is not Never/Sometimes, no exists clause, "(*" inside
# the leading comment, a "*)" that closes it early, a variable named "lock"),
# must each get
# "not ok - lint FILE: <that reason>"; the unbroken copy must get "ok - lint";
# the coverage check must fail on a directory that lacks strategies and pass
# on litmus/.
#
# Runner: with a fake herd7 on PATH and a fake LKMM_DIR, the verdict check
# must pass when herd7 agrees with every Result line, and fail when herd7
# prints no Observation line (herd7 exits 0 on malformed tests), when it
# disagrees, or when the data-race flag does not match DATARACE; without
# herd7 or LKMM_DIR it must print one "litmus: skipped:" line and exit 0.
#
# usage: tests/test_litmus_lint.sh   prints "ok - ..." / "not ok - ..." per
# check; exits 1 if any failed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
run=$root/scripts/run-litmus
src=$root/litmus/MP+pooncelocks.litmus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

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

# Positive control: the unbroken copy passes the per-file lint.
mkdir -p "$tmp/good"
cp "$src" "$tmp/good/"
out=$("$run" --lint-only "$tmp/good" 2>&1)
if printf '%s\n' "$out" | grep -q "^ok - lint $base: Result Never, strategy locked"; then
	ok "lint accepts the unbroken copy of $base"
else
	notok "lint accepts the unbroken copy of $base: $(printf '%s\n' "$out" | head -n 3)"
fi

lint_case no-result '/Result:/d' 'no "Result:" line'
lint_case bad-result 's/Result: Never/Result: Maybe/' 'Result: line says "Maybe"'
lint_case no-exists '/^exists/d' 'no exists clause'
lint_case nested-comment 's/^ \* Result: Never$/&\n * The reader loads READ_ONCE(*pte) under the lock./' \
	'"(*" inside the leading comment'
lint_case early-close 's/^ \* Strategy: locked (marked accesses)$/ * Strategy: locked *) (marked accesses)/' \
	'closes the leading comment early'
lint_case lock-variable 's/\bptl\b/lock/g' '"lock" is a reserved word'

# Coverage: a directory with only the locked test lacks the other strategies.
out=$("$run" --lint-only "$tmp/good" 2>&1)
if printf '%s\n' "$out" | grep -q '^not ok - coverage: no litmus test names Strategy: .*\bnone\b'; then
	ok "coverage rejects a directory without a test for every strategy"
else
	notok "coverage rejects a directory without a test for every strategy: $(printf '%s\n' "$out" | grep coverage)"
fi
out=$("$run" --lint-only 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^ok - coverage: ' &&
	! printf '%s\n' "$out" | grep -q '^not ok - '; then
	ok "lint and coverage pass on litmus/"
else
	notok "lint and coverage pass on litmus/: exit $rc: $(printf '%s\n' "$out" | grep '^not ok - ' | head -n 3)"
fi

# --- The herd7 half, against a fake herd7 ---------------------------------
fakebin=$tmp/fakebin
fakelkmm=$tmp/lkmm
mkdir -p "$fakebin" "$fakelkmm"
for m in cfg bell cat def; do
	: >"$fakelkmm/linux-kernel.$m"
done
# Answers as herd7 would, driven by FAKE_HERD: match (the Result line's
# verdict, "Flag data-race" with DATARACE), flip (the other verdict),
# noobs (an error and no Observation line, exit 0), norace (no race flag).
cat >"$fakebin/herd7" <<'EOF'
#!/bin/sh
[ "$1" = -conf ] && [ "$2" = linux-kernel.cfg ] && [ -r linux-kernel.cfg ] || {
	echo "fake herd7: bad arguments or not run in LKMM_DIR: $*" >&2
	exit 2
}
f=$3
name=$(sed -n '1s/^C[[:space:]]*//p' "$f")
want=$(sed -n 's/^ \* Result: \([A-Za-z]*\).*/\1/p' "$f" | head -n 1)
race=$(grep -c '^ \* Result: .*DATARACE' "$f")
case ${FAKE_HERD:-match} in
noobs)
	echo "File \"$f\", line 3, characters 1-3: unexpected '(*' (User error)"
	exit 0
	;;
flip) [ "$want" = Never ] && want=Sometimes || want=Never ;;
norace) race=0 ;;
esac
echo "Test $name Allowed"
echo "States 1"
[ "$race" -gt 0 ] && echo "Flag data-race"
echo "Observation $name $want 0 1"
exit 0
EOF
chmod +x "$fakebin/herd7"

# runner_case NAME WANT-RC GREP-PATTERN ENV...: run on litmus/ with the fake
# herd7; expect exit WANT-RC and a line matching GREP-PATTERN.
runner_case() {
	local name=$1 want=$2 pat=$3 out rc
	shift 3
	out=$(env "$@" "$run" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s\n' "$out" | grep -qE -- "$pat"; then
		ok "runner $name: $(printf '%s\n' "$out" | grep -E -- "$pat" | head -n 1 | cut -c1-160)"
	else
		notok "runner $name: exit $rc (want $want), no line matching /$pat/: $(printf '%s\n' "$out" | tail -n 3 | tr '\n' '|')"
	fi
}

P=$fakebin:$PATH
n=$(find "$root/litmus" -name '*.litmus' | wc -l)
runner_case "passes when herd7 agrees" 0 "^litmus: $((n + 1 + n)) passed, 0 failed$" \
	PATH="$P" LKMM_DIR="$fakelkmm" FAKE_HERD=match
runner_case "prints ok - FILE: Result X" 0 '^ok - MP\+poonceonces\.litmus: Result Sometimes$' \
	PATH="$P" LKMM_DIR="$fakelkmm" FAKE_HERD=match
runner_case "fails without an Observation line" 1 \
	'^not ok - MP\+poonceonces\.litmus: no Observation line from herd7' \
	PATH="$P" LKMM_DIR="$fakelkmm" FAKE_HERD=noobs
runner_case "fails when the verdict differs" 1 \
	'^not ok - MP\+fencewmbonceonce\+fencermbonceonce\.litmus: Result Never, herd7 says Sometimes$' \
	PATH="$P" LKMM_DIR="$fakelkmm" FAKE_HERD=flip
runner_case "forgives the verdict with a predicted data race" 1 \
	'^ok - MP\+fencewmbonceonce\+addrnaonce\.litmus: Result Sometimes DATARACE \(herd7: Never' \
	PATH="$P" LKMM_DIR="$fakelkmm" FAKE_HERD=flip
runner_case "fails when a predicted data race is not flagged" 1 \
	'^not ok - MP\+fencewmbonceonce\+addrnaonce\.litmus: Result Sometimes DATARACE, but herd7 flags no data race' \
	PATH="$P" LKMM_DIR="$fakelkmm" FAKE_HERD=norace
runner_case "skips without LKMM_DIR" 0 '^litmus: skipped: LKMM_DIR is not set' \
	PATH="$P" LKMM_DIR= FAKE_HERD=match
runner_case "fails on an LKMM_DIR without linux-kernel.cfg" 1 \
	'^not ok - herd7: LKMM_DIR=.* has no linux-kernel.cfg' \
	PATH="$P" LKMM_DIR="$tmp" FAKE_HERD=match

# Without herd7: PATH without any directory that holds one.
nopath=
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	[ -n "$d" ] && [ ! -x "$d/herd7" ] && nopath=${nopath:+$nopath:}$d
done
out=$(PATH=$nopath LKMM_DIR=$fakelkmm "$run" 2>&1)
rc=$?
skips=$(printf '%s\n' "$out" | grep -c '^litmus: skipped: herd7 not on PATH')
if [ "$rc" -eq 0 ] && [ "$skips" -eq 1 ]; then
	ok "runner skips without herd7: $(printf '%s\n' "$out" | grep '^litmus: skipped:' | cut -c1-100)"
else
	notok "runner skips without herd7: exit $rc, $skips skip lines"
fi

[ "$fails" -eq 0 ]
