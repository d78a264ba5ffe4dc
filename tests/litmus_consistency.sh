#!/bin/bash
# The consistency check and the table must be able to fail: controls for
# scripts/litmus-consistency and scripts/litmus-table.
#   1. without herd7, a test whose Result says Never but whose condition the
#      emulator reaches (MP+pos relabelled) fails, naming it;
#   2. with a herd7 that allows fewer states than the emulator reaches (a
#      stub that prints one state), the check names a state LKMM forbids;
#   3. bad usage: no such file, no .litmus in a directory: one line, exit 2;
#   4. the table has its columns, a row per file and the reason column.
# usage: tests/litmus_consistency.sh     prints "ok - ..." / "not ok - ..."
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok - consistency: $*"; }
notok() { echo "not ok - consistency: $*"; fails=$((fails + 1)); }
cons() { env -u HERD7 -u LKMM_DIR HERD_CACHE="$tmp/cache" PATH=/usr/bin:/bin \
	/usr/bin/python3 "$root/scripts/litmus-consistency" --seeds=200 --no-hw "$@"; }

mkdir -p "$tmp/t"
sed 's/Result: Sometimes/Result: Never/' "$root/tests/emu/lkmm/MP+pos.litmus" >"$tmp/t/MP+pos.litmus"
out=$(cons "$tmp/t/MP+pos.litmus" 2>&1)
rc=$?
if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q '^not ok - MP+pos.litmus: emulated arm64.*its Result is Never'; then
	ok "control: a Never the emulated arm64 contradicts fails ($(printf '%s\n' "$out" | grep -c '^not ok') not ok)"
else
	notok "control: a contradicted Never passed (rc=$rc): $(printf '%s\n' "$out" | head -3)"
fi

# A herd7 stub: one allowed state, the initial one.
cat >"$tmp/herd7" <<'STUB'
#!/bin/sh
printf 'Test MP+pos Allowed\nStates 1\n1:r0=0; 1:r1=0;\nNo\nWitnesses\nPositive: 0 Negative: 1\nObservation MP+pos Never 0 1\n'
STUB
chmod +x "$tmp/herd7"
mkdir -p "$tmp/lkmm"
out=$(HERD7="$tmp/herd7" LKMM_DIR="$tmp/lkmm" HERD_CACHE="$tmp/cache2" /usr/bin/python3 \
	"$root/scripts/litmus-consistency" --seeds=200 --no-hw "$root/tests/emu/lkmm/MP+pos.litmus" 2>&1)
rc=$?
if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q 'LKMM forbids: 1:r0='; then
	ok "control: a state herd7 forbids, seen by the emulator, fails and is named"
else
	notok "control: forbidden states not caught (rc=$rc): $(printf '%s\n' "$out" | head -3)"
fi

for bad in "$tmp/nope.litmus:no such file" "$tmp/lkmm:no .litmus files"; do
	arg=${bad%%:*} want=${bad#*:}
	out=$(cons "$arg" 2>&1)
	rc=$?
	if [ $rc -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && printf '%s' "$out" | grep -q "$want"; then
		ok "bad usage: $out"
	else
		notok "bad usage $arg: rc=$rc: $out"
	fi
done

cp "$root/tests/emu/lkmm/MP+pos.litmus" "$root/tests/emu/lkmm/LB+pos.litmus" "$tmp/t2/" 2>/dev/null ||
	{ mkdir -p "$tmp/t2" && cp "$root/tests/emu/lkmm/MP+pos.litmus" "$root/tests/emu/lkmm/LB+pos.litmus" "$tmp/t2/"; }
out=$(env -u HERD7 -u LKMM_DIR PATH=/usr/bin:/bin /usr/bin/python3 "$root/scripts/litmus-table" \
	--seeds=200 --no-hw "$tmp/t2" 2>&1)
if printf '%s\n' "$out" | grep -q '^file .*Result .*herd7 .*tso .*arm64 .*alpha .*hardware .*why they differ' &&
	[ "$(printf '%s\n' "$out" | grep -c '^[A-Z][A-Za-z0-9+.-]*\.litmus ')" -eq 2 ] &&
	printf '%s\n' "$out" | grep -q '^2 tests'; then
	ok "table: a header, one row per file and the count"
else
	notok "table: $(printf '%s\n' "$out" | head -4)"
fi
exit $((fails > 0))
