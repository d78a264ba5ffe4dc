# Shared by the CLI checks (tests/cli.sh, stress_cli.sh, emu_cli.sh): TAP-style
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

# expect_not_ok LABEL CHECK ARGS...: a negative control. CHECK ARGS runs in
# a subshell, so its own verdict is not counted; it must report "not ok".
expect_not_ok() {
	local label=$1 out
	shift
	out=$("$@")
	if grep -q '^not ok - ' <<<"$out"; then
		ok "negative control: $label"
	else
		notok "negative control: $label: the check passed: $out"
	fi
}

# help_options FILE: the option of each option line of a --help text
# ("  --name=META   text", "  -h, --help   text"), one a line: --name=META,
# --help, -h.
help_options() {
	sed -n 's/^  \(-[a-zA-Z]\), \(--[^ ]*\).*/\1\n\2/p; t; s/^  \(--[^ ]*\).*/\1/p' "$1"
}

# help_lists_check LABEL FILE OPTION...: the --help text in FILE has an
# option line for each OPTION, spelled as --help prints it (--seed=N).
help_lists_check() {
	local label=$1 file=$2 opt missing=
	shift 2
	for opt in "$@"; do
		help_options "$file" | grep -qxF -- "$opt" || missing="$missing $opt"
	done
	if [ -z "$missing" ] && [ "$#" -gt 0 ]; then
		ok "$label: --help lists all $# options"
	else
		notok "$label: --help does not list$missing"
	fi
}

# help_accepted_check LABEL BINARY FILE: every option the --help text in
# FILE lists is one BINARY knows: given (with its metavar as the value) in
# front of --help, it is never an "unknown option".
help_accepted_check() {
	local label=$1 bin=$2 file=$3 opt bad= n=0
	while IFS= read -r opt; do
		n=$((n + 1))
		"$bin" "$opt" --help >/dev/null 2>"$tmp/accept.err"
		grep -q 'unknown option' "$tmp/accept.err" && bad="$bad $opt"
	done < <(help_options "$file")
	if [ -z "$bad" ] && [ "$n" -gt 0 ]; then
		ok "$label: the $n options --help lists are all known"
	else
		notok "$label: --help lists unknown options:$bad ($n listed)"
	fi
}
