#!/usr/bin/env bash
# The LLVM tier's versioned loops (backends/llvm/loop_versioning.cpp): in a program of counted loops,
# units get a versioned copy of a loop, chosen by a check of its ranges, and LLVM vectorizes one.
# usage: versioned_loops.sh MIMIC_RISCV64 COUNTED_LOOPS_PROGRAM
set -u
mimic=$1
prog=$2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "$mimic" -tier llvm -d llvm_ir -D "$log" "$prog" >/dev/null; then
    echo "FAIL: $prog exited with status $?"
    exit 1
fi
failures=0
check() {  # check DESCRIPTION COUNT MINIMUM
    if [ "$2" -lt "$3" ]; then
        echo "FAIL: $1: $2, expected at least $3"
        failures=$((failures + 1))
    else
        echo "ok: $1: $2"
    fi
}
# A versioned loop keeps its checked version behind a preheader of that name; the copy's blocks
# are suffixed. LLVM's vectorizer names the loop it makes vector.body.
check "versioned loops" "$(grep -c '^checked\.ph[0-9]*:' "$log")" 5
check "versioned blocks" "$(grep -c '^[A-Za-z0-9_.]*\.versioned[0-9]*:' "$log")" 5
check "vectorized loops" "$(grep -c '^vector\.body[0-9]*:' "$log")" 3
# A vector load or store of guest memory.
check "vector accesses" "$(grep -cE '(load|store) <[0-9]+ x i[0-9]+>' "$log")" 3
exit $((failures > 0))
