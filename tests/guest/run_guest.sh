#!/usr/bin/env bash
# Runs one guest program under an emulator and compares its stdout, exit status and
# (optionally) stderr with expected files; prints a unified diff and exits 1 on mismatch.
#
# usage: run_guest.sh [options] -- EMULATOR [EMULATOR-OPTIONS] PROGRAM [ARGS...]
#   --stdout FILE      expected stdout (exact bytes)
#   --status FILE      expected exit status: the first line that is not a '#' comment holds a
#                      number; 128+N means "killed by signal N", as a shell reports it
#   --stderr FILE      expected stderr (compared only when given)
#   --env NAME=VALUE   set a variable for the run (repeatable)
#   --env-file FILE    one NAME=VALUE per line ('#' lines ignored)
#   --args-file FILE   program arguments, one per line (an empty line is an empty argument),
#                      appended after the command
#   --timeout SECONDS  kill the run after this long (default 120; needs coreutils timeout)
# The command runs with stdin from /dev/null and core dumps disabled.
set -u

expected_stdout="" expected_status="" expected_stderr="" timeout_s=120 env_file="" args_file=""
envs=()
while [ $# -gt 0 ]; do
    case "$1" in
    --stdout) expected_stdout=$2; shift 2 ;;
    --status) expected_status=$2; shift 2 ;;
    --stderr) expected_stderr=$2; shift 2 ;;
    --env) envs+=("$2"); shift 2 ;;
    --env-file) env_file=$2; shift 2 ;;
    --args-file) args_file=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run_guest.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
if [ $# -eq 0 ]; then
    echo "run_guest.sh: no command given (use -- EMULATOR PROGRAM ...)" >&2
    exit 2
fi

read_status() {
    local line
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in '#'* | '') continue ;; esac
        echo "${line%%[!0-9]*}"
        return
    done <"$1"
}

. "$(dirname "$0")/run_lib.sh"
run_setup || exit 2
set -- "$@" ${file_args[@]+"${file_args[@]}"}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run_guest.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

(
    ulimit -c 0
    exec env ${envs[@]+"${envs[@]}"} ${runner[@]+"${runner[@]}"} "$@"
) </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
status=$?

fail=0
if [ -n "$expected_stdout" ]; then
    if ! diff -u --label expected/stdout --label actual/stdout \
        "$expected_stdout" "$tmp/stdout"; then
        fail=1
    fi
fi
if [ -n "$expected_stderr" ]; then
    if ! diff -u --label expected/stderr --label actual/stderr \
        "$expected_stderr" "$tmp/stderr"; then
        fail=1
    fi
fi
if [ -n "$expected_status" ]; then
    want=$(read_status "$expected_status")
    if [ -z "$want" ]; then
        echo "run_guest.sh: no status number in $expected_status" >&2
        exit 2
    fi
    if [ "$status" != "$want" ]; then
        echo "exit status: expected $want, got $status"
        [ "$status" = 124 ] && [ ${#runner[@]} -gt 0 ] && echo "(timed out after ${timeout_s}s)"
        fail=1
    fi
fi
if [ $fail != 0 ]; then
    # The guest's stderr usually explains a crash; show it unless it was already diffed.
    if [ -z "$expected_stderr" ] && [ -s "$tmp/stderr" ]; then
        echo "--- stderr:"
        head -c 4000 "$tmp/stderr"
    fi
    printf 'FAILED:'; printf ' %q' "$@"; echo
    exit 1
fi
exit 0
