#!/bin/bash
# C litmus tests run by the emulator (faultline-emu --litmus) and on this
# machine (faultline-litmus), clitmus/: every class of bad input is one
# "FILE:LINE: what" line on stderr, exit 2, nothing on stdout and no JSON;
# --help and the usage errors; a Sometimes shape (MP+pos) seen on the
# emulated arm64 and not on tso; a Never shape never seen, with its trial
# count; the witness seed replays; a livelock and a fault are reported, not
# crashes; the JSON schema; and the hardware runner on store buffering,
# which x86 allows. Every check has a negative control.
# usage: tests/litmus_cli.sh EMU_BINARY LITMUS_BINARY
#        prints "ok - ..." / "not ok - ..." per check
set -u
emu=${1:?usage: tests/litmus_cli.sh EMU_BINARY LITMUS_BINARY}
hw=${2:?usage: tests/litmus_cli.sh EMU_BINARY LITMUS_BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
lkmm=$root/tests/emu/lkmm
sb=$root/tests/litmus-fixtures/SB.litmus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3

. "$(dirname "$0")/cli_lib.sh"

# ---- bad input: one line naming FILE:LINE, exit 2, nothing written ------------

# bad_input_check LABEL FILE LINE CMD...: CMD (given --json=$tmp/bad.json)
# exits 2 with no stdout and exactly one stderr line "FILE:LINE: ...",
# and leaves no JSON (not even a partial one). LINE "" accepts any line.
bad_input_check() {
	local label=$1 file=$2 line=$3 rc lines re
	shift 3
	re=$(printf '%s' "$file" | sed 's/[][\.*^$+?(){}|/]/\\&/g')
	"$@" --json="$tmp/bad.json" >"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	lines=$(wc -l <"$tmp/bad.err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$tmp/bad.out" ] &&
		grep -qE "^$re:${line:-[0-9]+}: " "$tmp/bad.err" &&
		[ ! -e "$tmp/bad.json" ] && [ ! -e "$tmp/bad.json.partial" ]; then
		ok "$label: $(cat "$tmp/bad.err")"
	else
		notok "$label: rc=$rc, $lines stderr lines, $(wc -c <"$tmp/bad.out") bytes out: $(head -c 300 "$tmp/bad.err")"
	fi
	rm -f "$tmp/bad.json" "$tmp/bad.json.partial"
}

# mk NAME BODY [CONDITION]: a one-thread test in $tmp/NAME.litmus whose P0 is BODY.
mk() {
	printf 'C %s\n\n(* a test of the bad-input checks *)\n\n{}\n\nP0(int *x, int *y)\n{\n\tint r0;\n\n\t%s\n}\n\n%s\n' \
		"$1" "$2" "${3-exists (0:r0=1)}" >"$tmp/$1.litmus"
}

mk loop 'while (READ_ONCE(*x)) r0 = 1;'		# line 11
mk unknown 'r0 = foo_bar(x);'
mk syntax 'r0 = READ_ONCE(*x)'			# the error is the '}' on line 12
mk nocond 'r0 = READ_ONCE(*x);' ''
mk rcu 'synchronize_rcu();'
mk badreg 'r0 = READ_ONCE(*x);' 'exists (0:r9=1)'
mk good 'r0 = READ_ONCE(*x);'
{
	printf 'C nine\n\n{}\n\n'
	for i in 0 1 2 3 4 5 6 7 8; do printf 'P%d(int *x)\n{\n\tWRITE_ONCE(*x, %d);\n}\n\n' "$i" "$i"; done
	printf 'exists (x=1)\n'
} >"$tmp/nine.litmus"			# P8 is on line 45
{
	printf 'C manylocs\n\n{\n'
	for i in $(seq 0 32); do printf '\tint v%d;\n' "$i"; done
	printf '}\n\nP0(int *v0)\n{\n\tWRITE_ONCE(*v0, 1);\n}\n\nexists (v0=1)\n'
} >"$tmp/manylocs.litmus"		# v32 is on line 36
printf 'AArch64 MP\n{\n0:X1=x;\n}\n P0          | P1          ;\n exists (1:X0=1)\n' >"$tmp/aarch64.litmus"
printf 'hello\nthis is not a litmus test\n' >"$tmp/random.txt"
: >"$tmp/empty.litmus"
printf 'C bin\n\001\000\002\n' >"$tmp/binary.litmus"
printf 'C comment\n\n(* open (* nested, never closed *)\n\n{}\n' >"$tmp/comment.litmus"

for b in emu hw; do
	if [ $b = emu ]; then run=("$emu" --litmus --seeds=5); else run=("$hw" --rounds=1 --instances=10); fi
	bad() {	# bad LABEL NAME LINE [FILE...]: the files are NAME, or FILE...
		local label=$1 f=$tmp/$2 line=$3
		shift 3
		bad_input_check "$b: $label" "$f" "$line" "${run[@]}" "${@:-$f}"
	}
	bad "a loop" loop.litmus 11
	bad "an unknown primitive" unknown.litmus 11
	bad "a syntax error" syntax.litmus 12
	bad "no condition" nocond.litmus ""
	bad "synchronize_rcu (out of scope)" rcu.litmus 11
	bad "a register no thread has" badreg.litmus 14
	bad "nine threads" nine.litmus 45
	bad "33 locations" manylocs.litmus 36
	bad "an AArch64 test" aarch64.litmus 1
	bad "a text file" random.txt 1
	bad "an empty file" empty.litmus 1
	bad "a binary file" binary.litmus 1
	bad "an unterminated (* comment" comment.litmus 3
	# Every file is parsed before the first runs: a good one first changes nothing.
	bad "a good file, then a bad one" loop.litmus 11 "$tmp/good.litmus" "$tmp/loop.litmus"
done
grep -q 'synchronize_rcu.*out of scope' <("$emu" --litmus "$tmp/rcu.litmus" 2>&1)
[ $? -eq 0 ] && ok "synchronize_rcu is named as out of scope" ||
	notok "synchronize_rcu: $("$emu" --litmus "$tmp/rcu.litmus" 2>&1)"
expect_not_ok "a good file fails the bad-input check" \
	bad_input_check "" "$tmp/good.litmus" "" "$emu" --litmus --seeds=5 "$tmp/good.litmus"
expect_not_ok "the wrong line fails the bad-input check" \
	bad_input_check "" "$tmp/loop.litmus" 99 "$emu" --litmus --seeds=5 "$tmp/loop.litmus"

# ---- usage ------------------------------------------------------------------------

expect_usage_error() { usage_error_check "" "$emu" 'faultline-emu: error: ' "$@"; }
expect_usage_error "--litmus without files" --litmus
expect_usage_error "--litmus with --matrix" --litmus --matrix "$tmp/good.litmus"
expect_usage_error "--litmus with --strategy" --litmus --strategy=dep "$tmp/good.litmus"
expect_usage_error "--trace without --seed" --litmus --trace "$tmp/good.litmus"
expect_usage_error "--seeds with --seed" --litmus --seed=3 --seeds=4 "$tmp/good.litmus"
expect_usage_error "a file without --litmus" --matrix "$tmp/good.litmus"
expect_usage_error "--litmus= without a file" --litmus=
expect_usage_error "an unknown model" --litmus --model=power "$tmp/good.litmus"
expect_not_ok "a good --litmus command is no usage error" \
	expect_usage_error "" --litmus --seeds=2 "$tmp/good.litmus"
usage_error_check "" "$hw" 'faultline-litmus: error: ' "faultline-litmus without files"
usage_error_check "" "$hw" 'faultline-litmus: error: ' "zero rounds" --rounds=0 "$sb"
usage_error_check "" "$hw" 'faultline-litmus: error: ' "an unknown option" --bogus "$sb"

"$emu" --help >"$tmp/help.emu" 2>&1
help_lists_check "emu" "$tmp/help.emu" --litmus --seeds=N --model=LIST --seed=N --trace --json=FILE
"$hw" --help >"$tmp/help.hw" 2>&1
hw_opts=(--hw --rounds=N --instances=N --seed=N --json=FILE --help -h)
help_lists_check "faultline-litmus" "$tmp/help.hw" "${hw_opts[@]}"
help_accepted_check "faultline-litmus" "$hw" "$tmp/help.hw"
grep -v -- '^  --rounds' "$tmp/help.hw" >"$tmp/help.hw.cut"
expect_not_ok "a help without --rounds fails the check" \
	help_lists_check "" "$tmp/help.hw.cut" "${hw_opts[@]}"

# ---- verdicts on the emulator --------------------------------------------------------

# observation_check LABEL FILE OBSERVATION MIN_RUNS: the output's
# "Observation NAME X P N" says X, over at least MIN_RUNS counted runs.
observation_check() {
	local label=$1 file=$2 want=$3 min=$4 line obs p n
	line=$(grep '^Observation ' "$file")
	read -r _ _ obs p n <<<"$line"
	if [ "$obs" = "$want" ] && [ $((p + n)) -ge "$min" ]; then
		ok "$label: $line"
	else
		notok "$label: wanted $want over $min runs: ${line:-no Observation line}"
	fi
}

"$emu" --litmus "$lkmm/MP+pos.litmus" --model=arm64 >"$tmp/mp.arm64" 2>&1
"$emu" --litmus "$lkmm/MP+pos.litmus" --model=tso >"$tmp/mp.tso" 2>&1
observation_check "MP+pos on the emulated arm64: Sometimes" "$tmp/mp.arm64" Sometimes 1000
observation_check "MP+pos on the emulated tso: Never" "$tmp/mp.tso" Never 1000
expect_not_ok "MP+pos on tso is not Sometimes" \
	observation_check "" "$tmp/mp.tso" Sometimes 1000
expect_not_ok "MP+pos on arm64 is not Never" \
	observation_check "" "$tmp/mp.arm64" Never 1000

"$emu" --litmus "$lkmm/MP+dmb.ishst+dmb.ishld.litmus" >"$tmp/mpf.all" 2>&1
for m in tso arm64 alpha; do
	sed -n "/under the emulated $m model/,/^Time/p" "$tmp/mpf.all" >"$tmp/mpf.$m"
	observation_check "MP+dmb.ishst+dmb.ishld on $m: Never in 1000 seeds" "$tmp/mpf.$m" Never 1000
done
expect_not_ok "a Never shape needs its trials" \
	observation_check "" "$tmp/mpf.arm64" Never 1001

# The witness seed replays: its one run shows the witness state ("*>").
seed=$(sed -n 's/^Witness seed \([0-9]*\): .*/\1/p' "$tmp/mp.arm64")
if [ -n "$seed" ] && "$emu" --litmus "$lkmm/MP+pos.litmus" --model=arm64 --seed="$seed" --trace \
	>"$tmp/replay" 2>&1 && grep -q '^1     \*>1:r0=1; 1:r2=0;' "$tmp/replay" &&
	grep -q '^Events' "$tmp/replay" && grep -q ' T1 ld' "$tmp/replay"; then
	ok "witness seed $seed replays the witness, with the trace"
else
	notok "witness seed '$seed' does not replay: $(head -c 400 "$tmp/replay")"
fi
if "$emu" --litmus "$lkmm/MP+pos.litmus" --model=tso --seed="${seed:-1}" >"$tmp/replay.tso" 2>&1 &&
	! grep -q '\*>' "$tmp/replay.tso"; then
	ok "negative control: the same seed under tso is no witness"
else
	notok "negative control: seed ${seed:-1} under tso: $(head -c 300 "$tmp/replay.tso")"
fi
a=$("$emu" --litmus "$lkmm/SB+pos.litmus" --seeds=200 | grep -v '^Time')
b=$("$emu" --litmus "$lkmm/SB+pos.litmus" --seeds=200 | grep -v '^Time')
c=$("$emu" --litmus "$lkmm/MP+pos.litmus" --seeds=200 | grep -v '^Time')
[ "$a" = "$b" ] && ok "the same seeds give the same histograms" || notok "two runs differ"
[ "$a" != "$c" ] && ok "negative control: another test gives another output" ||
	notok "negative control: SB and MP print the same"

# A deadlock is reported per seed; a load through a non-location is a fault.
cat >"$tmp/deadlock.litmus" <<'EOF'
C deadlock

{}

P0(spinlock_t *l, int *x)
{
	spin_lock(l);
	spin_lock(l);
	WRITE_ONCE(*x, 1);
}

exists (x=1)
EOF
mk fault 'r0 = 5; r0 = READ_ONCE(*r0);' 'exists (0:r0=0)'
if "$emu" --litmus "$tmp/deadlock.litmus" --seeds=2 --model=tso >"$tmp/dl" 2>&1 &&
	grep -q '^Livelocked: 2 runs past the step limit' "$tmp/dl" &&
	grep -q '^Livelock seed 1: .*--seed=1 --trace' "$tmp/dl"; then
	ok "a deadlock: the livelocked seeds are reported, exit 0"
else
	notok "deadlock: $(head -c 400 "$tmp/dl")"
fi
if "$emu" --litmus "$tmp/fault.litmus" --seeds=3 --model=arm64 >"$tmp/flt" 2>&1 &&
	grep -q '^Faulted: 3 runs stopped early' "$tmp/flt" &&
	"$hw" "$tmp/fault.litmus" --rounds=1 --instances=5 >"$tmp/flt.hw" 2>&1 &&
	grep -q '^Faulted: 5 runs stopped early' "$tmp/flt.hw"; then
	ok "a load through a number is a fault in every run, reported, exit 0"
else
	notok "fault: $(head -c 400 "$tmp/flt") $(head -c 300 "$tmp/flt.hw")"
fi

# ---- JSON ------------------------------------------------------------------------

# json_check FILE TOOL MODELS: the schema of docs/emulation.md; every
# state's count sums to the runs counted, and positive + negative too.
json_check() {
	$py - "$@" <<'PY'
import json, sys
path, tool, models = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
d = json.load(open(path))
assert d["tool"] == tool, d["tool"]
for t in d["tests"]:
    assert {"file", "name", "test", "condition", "runs"} <= set(t), t.keys()
    assert [r["model"] for r in t["runs"]] == models, [r["model"] for r in t["runs"]]
    for r in t["runs"]:
        keys = {"model", "runs", "states", "positive", "negative", "observation",
                "validated", "witness_seed", "filtered", "faulted", "livelocked", "seconds"}
        assert keys <= set(r), keys - set(r)
        counted = r["positive"] + r["negative"]
        assert sum(r["states"].values()) == counted, (sum(r["states"].values()), counted)
        assert counted + r["filtered"] + r["faulted"] + r["livelocked"] == r["runs"], r
        assert r["observation"] in ("Never", "Sometimes", "Always", "None")
PY
}
if "$emu" --litmus "$lkmm/MP+pos.litmus" "$sb" --seeds=300 --json="$tmp/e.json" >/dev/null 2>&1 &&
	[ ! -e "$tmp/e.json.partial" ] && json_check "$tmp/e.json" faultline-emu tso,arm64,alpha 2>"$tmp/jerr"; then
	ok "faultline-emu --json: the schema, counts that add up"
else
	notok "faultline-emu --json: $(head -c 300 "$tmp/jerr" 2>/dev/null)"
fi
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["tests"][0]["runs"][0]; r["positive"]+=1; json.dump(d,open(sys.argv[2],"w"))' \
	"$tmp/e.json" "$tmp/e-bad.json"
if ! json_check "$tmp/e-bad.json" faultline-emu tso,arm64,alpha 2>/dev/null; then
	ok "negative control: the JSON check rejects counts that do not add up"
else
	notok "negative control: a broken count passed the JSON check"
fi

# ---- this machine --------------------------------------------------------------------

arch=$(uname -m)
"$hw" "$sb" --json="$tmp/h.json" >"$tmp/sb.hw" 2>&1
rc=$?
seen=$(sed -n 's/^Witness seen in \([0-9]*\) of \([0-9]*\) trials.*/\1 \2/p' "$tmp/sb.hw")
never=$(sed -n 's/^Witness never seen in \([0-9]*\) trials: its rate is below \(.*\) (95%.*/\1 \2/p' "$tmp/sb.hw")
cpus=$(sed -n 's/^# .* on this machine ([^)]*): \([0-9]*\) CPUs, 2 threads.*/\1/p' "$tmp/sb.hw")
if [ "$rc" -ne 0 ] || [ -z "$cpus" ]; then
	notok "SB on this machine: rc=$rc: $(head -c 400 "$tmp/sb.hw")"
elif [ -n "$seen" ]; then
	ok "SB on this machine ($arch, $cpus CPUs): the witness in ${seen% *} of ${seen#* } trials"
elif [ "$arch" = x86_64 ]; then
	# x86-TSO allows SB: not seeing it means the runner lost its power.
	notok "SB on x86 not seen within the default budget: $never"
else
	ok "SB on this machine ($arch): not seen, and said so: $never"
fi
if json_check "$tmp/h.json" faultline-litmus "hw-$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["arch"])' "$tmp/h.json")" 2>"$tmp/jerr" &&
	$py -c 'import json,sys; r=json.load(open(sys.argv[1]))["tests"][0]["runs"][0]; assert r["trials"] == r["runs"] > 0 and r["interpreted"] and r["cpus"] >= 1' "$tmp/h.json"; then
	ok "faultline-litmus --json: the same schema, model hw-<arch>, the trials"
else
	notok "faultline-litmus --json: $(head -c 300 "$tmp/jerr")"
fi
# A Never shape on this machine: never seen, and the bound it gives.
"$hw" "$lkmm/MP+dmb.ishst+dmb.ishld.litmus" --rounds=20 >"$tmp/mpf.hw" 2>&1
if grep -q '^Observation MP+dmb.ishst+dmb.ishld Never 0 20000$' "$tmp/mpf.hw" &&
	grep -q '^Witness never seen in 20000 trials: its rate is below 0.00015 ' "$tmp/mpf.hw"; then
	ok "MP+dmb.ishst+dmb.ishld on this machine: never, in 20000 trials, rate below 0.00015"
else
	notok "MP+dmb.ishst+dmb.ishld on this machine: $(grep -E '^(Observation|Witness)' "$tmp/mpf.hw")"
fi
if ! grep -q '^Witness never seen' "$tmp/sb.hw" || [ "$arch" != x86_64 ]; then
	ok "negative control: SB's output on $arch is no 'never seen' bound"
else
	notok "negative control: SB on x86 gave a bound"
fi
exit $((fails > 0))
