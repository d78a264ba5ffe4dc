# Shared by the CLI checks (tests/cli.sh, tests/emu_cli.sh): TAP-style
# verdict lines and the one bad-input rule every faultline binary keeps.
# Source it after setting $tmp to a scratch directory.

fails=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fails=$((fails + 1)); }

# usage_error_check LABEL BINARY PREFIX NAME ARGS...: the binary, run with
# ARGS and a --json file, exits 2 with exactly one stderr line starting with
# PREFIX, and leaves no file behind (not even a partial one).
usage_error_check() {
	local label=$1 bin=$2 prefix=$3 name=$4 rc lines
	shift 4
	"$bin" "$@" --json="$tmp/usage.json" >"$tmp/usage.out" 2>"$tmp/usage.err"
	rc=$?
	lines=$(wc -l <"$tmp/usage.err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "^$prefix" "$tmp/usage.err" &&
		[ ! -e "$tmp/usage.json" ] && [ ! -e "$tmp/usage.json.partial" ]; then
		ok "$label$name: $(cat "$tmp/usage.err")"
	else
		notok "$label$name: rc=$rc, $lines stderr lines: $(head -c 300 "$tmp/usage.err")"
	fi
	rm -f "$tmp/usage.json" "$tmp/usage.json.partial"
}
