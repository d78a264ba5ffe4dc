#!/bin/bash
# build/faultline-kernel: the real kernel's numbers are sane (one fault per
# page touched, counted by getrusage and by the perf page-faults event; a
# GUP-fast window that takes no fault), each check with its negative
# control (MAP_POPULATE: no fault to take; MADV_DONTNEED before each
# vmsplice: every GUP faults), its JSON loads, and bad usage is one line.
#
# usage: tests/kernel.sh BUILD/faultline-kernel    prints ok / not ok lines
set -u
bin=${1:?usage: tests/kernel.sh BUILD/faultline-kernel}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli_lib.sh
. "$root/tests/cli_lib.sh"
py=/usr/bin/python3
short=(--cpus=1 --repetitions=1 --duration=0.05 --region=16 --quiet)

# rows FILE TEST EXPR: EXPR holds for every row r of that test (and there is one).
rows() {
	$py - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rs = [r for r in d["rows"] if r["test"] == sys.argv[2]]
print(bool(rs) and all(eval(sys.argv[3]) for r in rs))
PY
}

check() {	# check LABEL FILE TEST EXPR
	if [ "$(rows "$2" "$3" "$4")" = True ]; then ok "$1"; else notok "$1: not every $3 row has $4"; fi
}

"$bin" "${short[@]}" --test=fault --mode=threads,processes --json="$tmp/fault.json" 2>"$tmp/e"
rc=$?
[ $rc -eq 0 ] && ok "fault: exit 0" || notok "fault: exit $rc: $(head -c 300 "$tmp/e")"
check "fault: faults counted (getrusage) = pages touched, threads and processes" \
	"$tmp/fault.json" fault 'r["pages"] > 0 and r["faults"] == r["pages"] and r["sane"]'
# perf counts the whole window (a fork's copy-on-write faults too): within the tolerance.
check "fault: the perf page-faults event counts the same faults, within the tolerance" \
	"$tmp/fault.json" fault 'abs(r.get("perf_page_faults", 0) / r["pages"] - 1) <= d["parameters"]["faults_per_page_tolerance"]'
check "fault: ns per page and the CPU share measured" \
	"$tmp/fault.json" fault 'r["ns_per_page"] > 0 and 0 < r["cpu_share_min"] <= 1.05'

"$bin" "${short[@]}" --test=fault --mode=threads --populate --json="$tmp/populate.json" 2>"$tmp/e"
rc=$?
if [ $rc -eq 1 ] && grep -q "a check failed" "$tmp/e" && [ "$(wc -l <"$tmp/e")" -eq 1 ]; then
	ok "negative control: --populate (no fault to take) fails the check, exit 1"
else
	notok "negative control: --populate: exit $rc: $(head -c 300 "$tmp/e")"
fi
check "negative control: --populate: zero faults seen, the row marked not sane" \
	"$tmp/populate.json" fault 'r["faults"] == 0 and r["pages"] > 0 and not r["sane"]'
check "negative control: --populate: the perf page-faults event sees none either" \
	"$tmp/populate.json" fault 'r.get("perf_page_faults", r["pages"]) < r["pages"] / 100'

"$bin" "${short[@]}" --test=gup --mode=threads,processes --json="$tmp/gup.json" 2>"$tmp/e"
rc=$?
[ $rc -eq 0 ] && ok "gup: exit 0" || notok "gup: exit $rc: $(head -c 300 "$tmp/e")"
check "gup: the GUP-fast windows took no fault and moved pages" \
	"$tmp/gup.json" gup 'r["faults"] == 0 and r["calls"] > 0 and r["pages"] == r["calls"] * r["pages_per_call"] and r["sane"]'
check "gup: a per-page slope and a fixed cost per call, both positive" \
	"$tmp/gup.json" gup-fit 'r["ns_per_page"] > 0 and r["ns_fixed"] > 0 and r["sane"]'
"$bin" "${short[@]}" --test=gup --mode=threads --gup-unfaulted --json="$tmp/unfaulted.json" 2>"$tmp/e"
rc=$?
if [ $rc -eq 1 ] && grep -q "a check failed" "$tmp/e"; then
	ok "negative control: --gup-unfaulted (every GUP faults) fails the check, exit 1"
else
	notok "negative control: --gup-unfaulted: exit $rc: $(head -c 300 "$tmp/e")"
fi
check "negative control: --gup-unfaulted: faults seen, the rows marked not sane" \
	"$tmp/unfaulted.json" gup 'r["faults"] > 0 and not r["sane"]'

# The loader takes the real file and refuses a broken one, naming it.
if PYTHONPATH="$root/scripts" $py -c 'import sys; from faultline import load; k = load.kernel(sys.argv[1]); sys.exit(not (k.fault(1) and k.gup(1) is None))' "$tmp/fault.json" &&
	PYTHONPATH="$root/scripts" $py -c 'import sys; from faultline import load; k = load.kernel(sys.argv[1]); sys.exit(not k.gup(1)["ns"] > 0)' "$tmp/gup.json"; then
	ok "faultline.load.kernel reads both files"
else
	notok "faultline.load.kernel could not read the files"
fi
$py - "$tmp/gup.json" "$tmp/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["rows"][0]["ns_per_page"] = "fast"
json.dump(d, open(sys.argv[2], "w"))
PY
if PYTHONPATH="$root/scripts" $py -c 'import sys; from faultline import load, ResultError
try:
    load.kernel(sys.argv[1])
except ResultError as e:
    print(e); sys.exit(0)
sys.exit(1)' "$tmp/bad.json" | grep -q "bad.json: rows\[0\]: 'ns_per_page' must be a finite number"; then
	ok "negative control: a kernel.json with a non-number is refused, naming the file and row"
else
	notok "negative control: the loader took a broken kernel.json"
fi

u() { usage_error_check "usage " "$bin" "faultline-kernel: error:" "$@"; }
u "unknown test" --test=fork
u "empty test element" --test=fault,,gup
u "unknown mode" --mode=fibers
u "zero CPUs" --cpus=0
u "more CPUs than usable" --cpus=$(($(nproc) + 1))
u "zero region" --region=0
u "zero repetitions" --repetitions=0
u "unknown option" --frobnicate
u "flag with a value" --populate=1
FAULTLINE_PERF_FAIL=nope u "unknown FAULTLINE_PERF_FAIL event" --cpus=1
"$bin" --cpus=1 --json=/nonexistent/k.json >"$tmp/o" 2>"$tmp/e"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] && grep -q "cannot write" "$tmp/e"; then
	ok "unwritable --json: refused before measuring: $(cat "$tmp/e")"
else
	notok "unwritable --json: rc=$rc: $(head -c 200 "$tmp/e")"
fi
exit $((fails > 0))
