#!/bin/bash
# scripts/perf-c2c: where perf says the machine has no memory-sampling
# events, one line and exit 0; where it has them, faultline recorded under
# perf c2c and the report written (a stub perf stands in for such a
# machine: this VM has none); bad usage, one line and exit 2.
#
# usage: tests/perf_c2c.sh BUILD/faultline    prints ok / not ok lines
set -u
bin=${1:?usage: tests/perf_c2c.sh BUILD/faultline}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli_lib.sh
. "$root/tests/cli_lib.sh"
script=$root/scripts/perf-c2c

# A perf with memory events: logs its arguments, runs the recorded command.
cat >"$tmp/perf-yes" <<'SH'
#!/bin/sh
echo "$*" >>"$PERF_LOG"
case "$1 $2" in
"c2c record")
	if [ "$3" = "-e" ]; then echo "ldlat-loads  : available"; echo "ldlat-stores : available"; exit 0; fi
	out=$4; shift 5; "$@" && echo data >"$out" ;;
"c2c report") echo "=== Shared Data Cache Line Table ==="; echo "  0  0xdead  locked"; echo ;;
esac
SH
# A perf without them, answering as this VM's does.
cat >"$tmp/perf-no" <<'SH'
#!/bin/sh
echo "$*" >>"$PERF_LOG"
echo "failed: memory events not supported" >&2
exit 255
SH
chmod +x "$tmp/perf-yes" "$tmp/perf-no"

c2c() {	# c2c PERF ARGS...: in $tmp/work; stdout, stderr, rc
	mkdir -p "$tmp/work"
	(cd "$tmp/work" && PERF=$1 PERF_LOG=$tmp/log FAULTLINE=$bin "$script" "${@:2}") \
		>"$tmp/out" 2>"$tmp/err"
	echo $? >"$tmp/rc"
}

rm -f "$tmp/log"
c2c "$tmp/perf-no" locked
if [ "$(cat "$tmp/rc")" -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 1 ] && [ ! -s "$tmp/err" ] &&
	grep -q "^perf-c2c: not supported here: .*memory events not supported" "$tmp/out" &&
	[ ! -d "$tmp/work/results" ] && grep -qx "c2c record -e list" "$tmp/log"; then
	ok "no memory events: asks perf, one line with its answer, exit 0, nothing recorded"
else
	notok "no memory events: rc=$(cat "$tmp/rc"): $(head -c 300 "$tmp/out" "$tmp/err")"
fi

rm -f "$tmp/log"
c2c "$tmp/perf-yes" locked --cpus=1 --duration=0.05
dir=$(ls -d "$tmp"/work/results/c2c-locked-* 2>/dev/null | head -1)
if [ "$(cat "$tmp/rc")" -eq 0 ] && [ -n "$dir" ] && [ -s "$dir/c2c.txt" ] && [ -s "$dir/perf.data" ] &&
	grep -q -- "-- $bin --strategy=locked --mix=gup --cpus=1 --duration=0.05" "$tmp/log" &&
	grep -q "Shared Data Cache Line Table" "$tmp/out"; then
	ok "memory events (stub): faultline recorded under perf c2c, c2c.txt written, table shown"
else
	notok "memory events (stub): rc=$(cat "$tmp/rc"): $(head -c 300 "$tmp/out" "$tmp/err")"
fi
if [ -n "$dir" ] && grep -q "c2c report -i results/$(basename "$dir")/perf.data --stdio" "$tmp/log"; then
	ok "memory events (stub): perf c2c report read the recorded perf.data"
else
	notok "memory events (stub): no perf c2c report of $dir/perf.data: $(cat "$tmp/log")"
fi

u() { usage_error_check "usage " "$script" "perf-c2c: error:" "$@"; }
export FAULTLINE=$bin PERF=$tmp/perf-yes PERF_LOG=$tmp/log
usage_error_check() {	# as cli_lib's, without --json (the script writes no file of its own)
	local label=$1 prog=$2 prefix=$3 name=$4 rc lines
	shift 4
	"$prog" "$@" >"$tmp/usage.out" 2>"$tmp/usage.err"
	rc=$?
	lines=$(wc -l <"$tmp/usage.err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "^$prefix" "$tmp/usage.err"; then
		ok "$label$name: $(cat "$tmp/usage.err")"
	else
		notok "$label$name: rc=$rc, $lines stderr lines: $(head -c 300 "$tmp/usage.err")"
	fi
}
u "no strategy"
u "unknown strategy" nope
u "unknown mix" locked --mix=nope
u "unknown argument" locked --frobnicate

# This machine, as perf really answers: recorded where it can, one line where it cannot.
(cd "$tmp/work" && PERF=perf FAULTLINE=$bin "$script" locked --cpus=1 --duration=0.05) \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && { grep -q "^perf-c2c: not supported here: " "$tmp/out" &&
	[ "$(wc -l <"$tmp/out")" -eq 1 ] || grep -q "^perf-c2c: .*c2c.txt" "$tmp/out"; }; then
	ok "this machine: $(tail -n 1 "$tmp/out")"
else
	notok "this machine: rc=$rc: $(head -c 300 "$tmp/out" "$tmp/err")"
fi
exit $((fails > 0))
