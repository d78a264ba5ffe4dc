#!/bin/bash
# faultline-pair's command line, its JSON and its interruption (the paired
# statistics themselves: tests/test_paired.py).
#
# usage: tests/pair_cli.sh BUILD/faultline-pair   prints ok / not ok lines
set -u
bin=${1:?usage: tests/pair_cli.sh BUILD/faultline-pair}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli_lib.sh
. "$root/tests/cli_lib.sh"
P=faultline-pair:

u() { usage_error_check "usage " "$bin" "$P error:" "$@"; }
u "one strategy" --strategy=dep
u "no strategy" --mix=publish
u "unknown strategy" --strategy=dep,nope
u "empty element" --strategy=dep,,mb
u "slowdown 0%" --strategy=dep,dep+0%
u "slowdown without %" --strategy=dep,dep+1
u "slowdown not a number" --strategy=dep,dep+x%
u "unknown mix" --strategy=dep,mb --mix=bogus
u "empty cpus element" --strategy=dep,mb --cpus=1,,2
u "unknown design" --strategy=dep,mb --design=interleaved
u "window 0" --strategy=dep,mb --window=0
u "negative budget" --strategy=dep,mb --budget=-1
u "unknown option" --strategy=dep,mb --frobnicate
u "baseline at 2 CPUs" --strategy=baseline,dep --cpus=2
u "duet in the sequential design" --strategy=dep,mb --design=sequential --duet
# An unwritable --json fails before the budget is spent.
"$bin" --strategy=dep,mb --mix=publish --cpus=1 --budget=30 --json=/nonexistent/x.json \
	>"$tmp/o" 2>"$tmp/e"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] && grep -q "cannot write" "$tmp/e"; then
	ok "unwritable --json: refused at once: $(cat "$tmp/e")"
else
	notok "unwritable --json: rc=$rc: $(head -c 200 "$tmp/e")"
fi
"$bin" --help >"$tmp/help" 2>&1
help_lists_check "faultline-pair" "$tmp/help" --strategy=LIST --mix=LIST --cpus=LIST --window=S \
	--budget=S --design=D --duet --seed=N --placement=P --json=FILE --quiet -h --help

# A duet: each one-thread duet pairs the base with one arm, on the two CPUs
# in turn; two-thread points alternate as usual.
if [ "$(nproc)" -ge 2 ] && "$bin" --strategy=dep,wmb-rmb,mb --mix=publish --cpus=1,2 --budget=0.4 \
	--window=0.01 --duet --quiet --json="$tmp/duet.json" 2>"$tmp/e" &&
	PYTHONPATH="$root/scripts" /usr/bin/python3 - "$tmp/duet.json" <<'PY'
import sys
from faultline import paired
d = paired.load(sys.argv[1])
assert d["context"]["duet"] is True
one = [s for s in d["samples"] if d["points"][s[0]]["cpus"] == 1]
by = {}
for s in one:
    by.setdefault(s[1], []).append(s)
assert by and all(len(v) == 2 and v[0][2] == 0 and v[1][2] in (1, 2) for v in by.values()), by
assert all({v[0][3], v[1][3]} == {0, 1} for v in by.values())       # one per CPU
assert {v[0][3] for v in by.values()} == {0, 1}, "the base never changed CPU"
rows = paired.analyze(d)
assert all(r["n"] >= 1 for r in rows), rows
PY
then
	ok "duet: one-thread duets pair the base with one arm, one per CPU, swapping"
else
	notok "duet: $(head -c 300 "$tmp/e")"
fi

# A short run: valid JSON, every round has every arm, in both designs.
for design in paired sequential; do
	if "$bin" --strategy=dep,dep,wmb-rmb+5% --mix=publish,read --cpus=1 --budget=0.3 \
		--window=0.01 --design=$design --quiet --json="$tmp/$design.json" 2>"$tmp/e" &&
		PYTHONPATH="$root/scripts" /usr/bin/python3 - "$tmp/$design.json" <<'PY'
import sys
from faultline import paired
d = paired.load(sys.argv[1])
assert d["complete"] and d["rounds"] >= 1, d["rounds"]
seen = {(s[0], s[1], s[2]) for s in d["samples"]}
if d["design"] == "paired":
    for r in range(d["rounds"]):
        for p in range(2):
            assert all((p, r, a) in seen for a in range(3)), (p, r)
assert [a["label"] for a in d["arms"]] == ["dep", "dep", "wmb-rmb+5%"]
assert d["arms"][2]["delay_frac"] == 0.05
assert d["faultline_describe"]["schema"] == 1
PY
	then
		ok "$design: a 0.3 s run writes complete JSON, every arm in every round"
	else
		notok "$design: short run: $(head -c 300 "$tmp/e")"
	fi
done

# Ctrl-C keeps what finished: exit 130, the JSON marked incomplete.
"$bin" --strategy=dep,mb --mix=publish --cpus=1 --budget=60 --quiet --json="$tmp/int.json" \
	2>"$tmp/e" &
pid=$!
for _ in $(seq 50); do
	[ -e "$tmp/int.json" ] && break
	sleep 0.1
	kill -0 $pid 2>/dev/null || break
done
sleep 1
kill -INT $pid
wait $pid
rc=$?
if [ $rc -eq 130 ] && grep -q "stopped: interrupted" "$tmp/e" &&
	/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is False and d["samples"], d["complete"]' "$tmp/int.json"; then
	ok "SIGINT: exit 130, the finished windows kept, marked incomplete"
else
	notok "SIGINT: rc=$rc: $(head -c 200 "$tmp/e")"
fi
exit $((fails > 0))
