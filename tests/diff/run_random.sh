#!/usr/bin/env bash
# Random-instruction differential test for RISC-V: runs the same generated cases through
# riscv_harness under mimic-riscv64 and under qemu-riscv64 (the reference) and compares the final
# registers, fcsr and scratch memory case by case.
#
# usage: run_random.sh <mimic-cmd> <harness> <gen> <seed> <count>
#   <mimic-cmd> may carry options, e.g. "build/apps/mimic-riscv64 -one-insn-per-tb".
# environment: QEMU_RISCV64 (reference command, default qemu-riscv64), RANDOM_TIMEOUT (seconds per
#   run, default 600), RANDOM_MAX_REPORT (mismatching cases shown, default 3), RANDOM_KEEP=1 (keep
#   the work directory), RISCV_AS / RISCV_OBJDUMP (disassembly tools).
# exit status: 0 identical, 1 mismatch, 2 usage or reference/harness problem.
set -u

if [ $# -ne 5 ]; then
  echo "usage: $0 <mimic-cmd> <harness> <gen> <seed> <count>" >&2
  exit 2
fi
mimic_cmd=$1 harness=$2 gen=$3 seed=$4 count=$5
ref_cmd=${QEMU_RISCV64:-qemu-riscv64}
time_limit=${RANDOM_TIMEOUT:-600}
max_report=${RANDOM_MAX_REPORT:-3}
as_tool=${RISCV_AS:-riscv64-linux-gnu-as}
objdump_tool=${RISCV_OBJDUMP:-riscv64-linux-gnu-objdump}

work=$(mktemp -d "${TMPDIR:-/tmp}/riscv_random.XXXXXX") || exit 2
keep=${RANDOM_KEEP:-0}
trap '[ "$keep" = 1 ] || rm -rf "$work"' EXIT

cases=$work/cases.txt
if ! "$gen" --seed "$seed" --count "$count" > "$cases"; then
  echo "run_random: generator failed (seed $seed)" >&2
  exit 2
fi

# shellcheck disable=SC2086  # the commands are word-split on purpose: they may carry options
timeout "$time_limit" $ref_cmd "$harness" "$cases" > "$work/ref.out" 2> "$work/ref.err"
ref_rc=$?
# shellcheck disable=SC2086
timeout "$time_limit" $mimic_cmd "$harness" "$cases" > "$work/mimic.out" 2> "$work/mimic.err"
mimic_rc=$?

ref_cases=$(grep -c '^case ' "$work/ref.out")
if [ "$ref_rc" -ne 0 ] || [ "$ref_cases" -ne "$count" ] || grep -q '^signal ' "$work/ref.out"; then
  keep=1
  echo "run_random: the reference run is broken (exit $ref_rc, $ref_cases/$count cases," \
    "$(grep -c '^signal ' "$work/ref.out") faulting): a harness or generator bug, not a mimic one." >&2
  grep -B1 '^signal ' "$work/ref.out" | head -20 >&2
  tail -5 "$work/ref.err" >&2
  echo "work directory kept: $work" >&2
  exit 2
fi

if [ "$mimic_rc" -eq 0 ] && cmp -s "$work/ref.out" "$work/mimic.out"; then
  echo "riscv64 random diff: seed $seed, $count cases, identical to $ref_cmd"
  exit 0
fi
keep=1

# Case numbers whose output block differs (or is missing) between the two runs.
mapfile -t bad_cases < <(awk '
  FNR == 1 { file++ }
  /^case / { c = $2; next }
  /^#/ { next }
  { if (file == 1) ref[c] = ref[c] $0 "\n"; else got[c] = got[c] $0 "\n" }
  END { for (c in ref) if (!(c in got) || got[c] != ref[c]) print c }
' "$work/ref.out" "$work/mimic.out" | sort -n)

block_addr=$(sed -n 's/^# block at //p' "$work/ref.out")

disassemble() {  # $1 = case number
  local tokens
  tokens=$(awk -v k="$1" '$1 == "case" { on = ($2 == k) }
    on && $1 == "code" { for (i = 2; i <= NF; i++) print $i }' "$cases")
  printf '.option norelax\n.text\n' > "$work/block.s"
  for t in $tokens; do echo ".insn 0x$t"; done >> "$work/block.s"
  # Going through the assembler gives objdump an ELF with the ISA attribute, so Zba/Zbb/Zbs
  # decode; raw `-b binary` is the fallback.
  if "$as_tool" -march=rv64gc_zba_zbb_zbs "$work/block.s" -o "$work/block.o" 2> /dev/null; then
    "$objdump_tool" -d -M numeric "$work/block.o" | sed -n '/^ *[0-9a-f]*:/p'
  else
    : > "$work/block.bin"
    # shellcheck disable=SC2059  # the format string is the escaped bytes on purpose
    for t in $tokens; do
      if [ ${#t} -eq 4 ]; then printf "\\x${t:2:2}\\x${t:0:2}"
      else printf "\\x${t:6:2}\\x${t:4:2}\\x${t:2:2}\\x${t:0:2}"; fi
    done >> "$work/block.bin"
    "$objdump_tool" -D -M numeric -b binary -m riscv:rv64 "$work/block.bin" |
      sed -n '/^ *[0-9a-f]*:/p'
  fi
}

# Values that differ for case $1 between outputs $3 (qemu) and $4 (mimic), with the initial value
# from case file $2.
differing_values() {
  awk -v k="$1" '
    FNR == 1 { file++ }
    $1 == "case" { on = ($2 == k); next }
    !on || /^#/ { next }
    file == 1 && $1 != "code" { init[$1] = $2 }
    file >= 2 {
      key = $1; $1 = ""; val = substr($0, 2); keys[key] = 1
      if (file == 2) ref[key] = val; else { got[key] = val; got_any = 1 }
    }
    END {
      if (!got_any) { print "  (mimic printed no state for this case: it stopped here)"; exit }
      if (("signal" in got) && !("signal" in ref)) { print "  mimic raised signal " got["signal"]; exit }
      if (("signal" in ref) && !("signal" in got)) { print "  qemu raised signal " ref["signal"]; exit }
      for (key in keys) {
        r = (key in ref) ? ref[key] : "(none)"; g = (key in got) ? got[key] : "(none)"
        if (r != g) printf "  %-6s %-18s %-34s %s\n", key, (key in init) ? init[key] : "", r, g
      }
    }
  ' "$2" "$3" "$4" | sort -V
}

# Reruns case $1 cut after 1, 2, ... instruction groups (forward branches past the cut land on
# the epilogue) and reports the first group after which the two emulators disagree.
first_divergence() {
  local k=$1 groups g
  "$gen" --seed "$seed" --count "$count" --only "$k" --list > "$work/listing.txt"
  groups=$(sed -n '1s/.*: \([0-9]*\) groups/\1/p' "$work/listing.txt")
  for ((g = 1; g <= groups; g++)); do
    "$gen" --seed "$seed" --count "$count" --only "$k" --groups "$g" > "$work/prefix.txt"
    # shellcheck disable=SC2086
    timeout "$time_limit" $ref_cmd "$harness" "$work/prefix.txt" > "$work/prefix.ref" 2> /dev/null
    # shellcheck disable=SC2086
    timeout "$time_limit" $mimic_cmd "$harness" "$work/prefix.txt" > "$work/prefix.mimic" 2> /dev/null
    if ! cmp -s "$work/prefix.ref" "$work/prefix.mimic"; then
      echo "--- first divergence: group g$((g - 1)) (state after it: initial / qemu / mimic)"
      grep "^  g$((g - 1)) " "$work/listing.txt"
      differing_values "$k" "$work/prefix.txt" "$work/prefix.ref" "$work/prefix.mimic"
      return
    fi
  done
  echo "--- every prefix of the block agrees; only the whole block diverges"
}

echo "riscv64 random diff: MISMATCH, seed $seed: ${#bad_cases[@]} of $count cases differ" \
  "(mimic exit status $mimic_rc)"
shown=0
for k in "${bad_cases[@]}"; do
  [ "$shown" -lt "$max_report" ] || break
  shown=$((shown + 1))
  echo
  echo "=== seed $seed case $k (offsets from the block start, ${block_addr:-?})"
  echo "rerun: $gen --seed $seed --count $count --only $k > case.txt && $mimic_cmd $harness case.txt"
  disassemble "$k"
  echo "--- differing values at the end of the block: initial / qemu / mimic"
  differing_values "$k" "$cases" "$work/ref.out" "$work/mimic.out"
  first_divergence "$k"
done
if [ "$mimic_rc" -ne 0 ]; then
  echo
  echo "mimic exited with status $mimic_rc; last lines of its stderr:"
  tail -5 "$work/mimic.err"
fi
echo
echo "work directory kept: $work (cases.txt, ref.out, mimic.out)"
exit 1
