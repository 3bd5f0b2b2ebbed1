#!/usr/bin/env bash
# Runs one guest program under two emulators (normally mimic-riscv64 and qemu-riscv64) and
# checks that stdout and exit status (and optionally stderr) are identical; prints a unified
# diff and exits 1 when they are not.
#
# usage: compare_emulators.sh [options] --emu-a CMD [OPTS...] --emu-b CMD [OPTS...] \
#            -- PROGRAM [ARGS...]
#   --emu-a ...        first emulator and its options, up to --emu-b (shown as "a" in diffs)
#   --emu-b ...        second emulator and its options, up to --
#   --stderr           compare stderr too (off by default: emulators may log differently)
#   --env NAME=VALUE   set a variable for both runs (repeatable)
#   --env-file FILE    one NAME=VALUE per line ('#' lines ignored)
#   --args-file FILE   program arguments, one per line (an empty line is an empty argument),
#                      appended after PROGRAM [ARGS...]
#   --timeout SECONDS  kill a run after this long (default 120; needs coreutils timeout)
# Both runs get stdin from /dev/null, core dumps disabled, and the same working directory.
set -u

emu_a=() emu_b=() envs=() compare_stderr=0 timeout_s=120 env_file="" args_file=""
mode=opts
while [ $# -gt 0 ]; do
    case "$mode:$1" in
    *:--emu-a) mode=a; shift; continue ;;
    *:--emu-b) mode=b; shift; continue ;;
    *:--) shift; break ;;
    esac
    case "$mode" in
    a) emu_a+=("$1"); shift ;;
    b) emu_b+=("$1"); shift ;;
    opts)
        case "$1" in
        --stderr) compare_stderr=1; shift ;;
        --env) envs+=("$2"); shift 2 ;;
        --env-file) env_file=$2; shift 2 ;;
        --args-file) args_file=$2; shift 2 ;;
        --timeout) timeout_s=$2; shift 2 ;;
        *) echo "compare_emulators.sh: unknown option '$1'" >&2; exit 2 ;;
        esac ;;
    esac
done
if [ ${#emu_a[@]} -eq 0 ] || [ ${#emu_b[@]} -eq 0 ] || [ $# -eq 0 ]; then
    echo "usage: compare_emulators.sh [options] --emu-a CMD... --emu-b CMD... --" \
        "PROGRAM [ARGS...]" >&2
    exit 2
fi

. "$(dirname "$0")/../guest/run_lib.sh"
run_setup || exit 2
set -- "$@" ${file_args[@]+"${file_args[@]}"}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/compare_emulators.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT


run_one() { # side emulator...; writes $tmp/side.{stdout,stderr,status}
    local side=$1
    shift
    (
        ulimit -c 0
        exec env ${envs[@]+"${envs[@]}"} ${runner[@]+"${runner[@]}"} "$@"
    ) </dev/null >"$tmp/$side.stdout" 2>"$tmp/$side.stderr"
    echo $? >"$tmp/$side.status"
}

run_one a "${emu_a[@]}" "$@"
run_one b "${emu_b[@]}" "$@"

fail=0
if ! diff -u --label "a/stdout (${emu_a[*]})" --label "b/stdout (${emu_b[*]})" \
    "$tmp/a.stdout" "$tmp/b.stdout"; then
    fail=1
fi
if [ $compare_stderr = 1 ] && ! diff -u --label "a/stderr (${emu_a[*]})" \
    --label "b/stderr (${emu_b[*]})" "$tmp/a.stderr" "$tmp/b.stderr"; then
    fail=1
fi
status_a=$(cat "$tmp/a.status") status_b=$(cat "$tmp/b.status")
if [ "$status_a" != "$status_b" ]; then
    echo "exit status differs: a ($emu_a) = $status_a, b ($emu_b) = $status_b"
    fail=1
fi
if [ $fail != 0 ]; then
    if [ $compare_stderr = 0 ]; then
        for side in a b; do
            if [ -s "$tmp/$side.stderr" ]; then
                echo "--- stderr of $side:"
                head -c 4000 "$tmp/$side.stderr"
            fi
        done
    fi
    printf 'FAILED:'; printf ' %q' "$@"; echo
    exit 1
fi
exit 0
