#!/usr/bin/env bash
# Runs one bare-metal test image under a system emulator (qemu-system-* or mimic-system-*) and
# compares the console transcript and the exit status with the expected ones; prints a unified
# diff and exits 1 on mismatch.
#
# usage: run_system.sh EMULATOR MACHINE ELF EXPECTED STATUS [EXTRA-EMULATOR-ARGS...]
#   runs: EMULATOR -M MACHINE -nographic -bios none -kernel ELF EXTRA...
#   EXPECTED is the exact transcript; STATUS the exit status the test reports through the
#   machine's exit device. The timeout is 60 s (override with MIMIC_SYSTEM_TIMEOUT).
set -u

if [ $# -lt 5 ]; then
    echo "usage: run_system.sh EMULATOR MACHINE ELF EXPECTED STATUS [EXTRA-ARGS...]" >&2
    exit 2
fi
emulator=$1 machine=$2 elf=$3 expected=$4 want_status=$5
shift 5
timeout_s=${MIMIC_SYSTEM_TIMEOUT:-60}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run_system.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

cmd=("$emulator" -M "$machine" -nographic -bios none -kernel "$elf" "$@")
runner=()
if command -v timeout >/dev/null; then
    runner=(timeout -k 5 "$timeout_s")
fi
# stdin from /dev/null: nothing reaches the guest's UART receiver, and the emulator does not put
# the terminal into raw mode.
"${runner[@]}" "${cmd[@]}" </dev/null >"$tmp/raw" 2>"$tmp/stderr"
status=$?

# Terminal noise: carriage returns and ANSI escape sequences (e.g. QEMU's line-wrap toggles).
sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[()][A-Za-z0-9]//g' -e 's/\r//g' "$tmp/raw" >"$tmp/stdout"

fail=0
if ! diff -u --label expected --label actual "$expected" "$tmp/stdout"; then
    fail=1
fi
if [ "$status" != "$want_status" ]; then
    echo "exit status: expected $want_status, got $status"
    [ "$status" = 124 ] && echo "(timed out after ${timeout_s}s)"
    fail=1
fi
if [ $fail != 0 ]; then
    if [ -s "$tmp/stderr" ]; then
        echo "--- stderr:"
        head -c 4000 "$tmp/stderr"
    fi
    printf 'FAILED:'
    printf ' %q' "${cmd[@]}"
    echo
    exit 1
fi
exit 0
