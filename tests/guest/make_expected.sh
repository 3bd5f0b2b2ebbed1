#!/usr/bin/env bash
# Writes the expected-output files of guest programs by running them under a reference
# emulator (normally qemu-riscv64). The result is the test's specification: review it by eye
# (git diff) before committing, and keep host-specific values (PIDs, addresses, times) out.
#
# usage: make_expected.sh EMULATOR SOURCE_DIR BINARY_DIR NAME...
#   writes SOURCE_DIR/NAME.expected and NAME.status; rewrites NAME.stderr only if it exists.
#   Uses NAME.args and NAME.env like run_guest.sh does.
set -u
if [ $# -lt 4 ]; then
    sed -n '2,9p' "$0" >&2
    exit 2
fi
emulator=$1 src=$2 bin=$3
shift 3
for name in "$@"; do
    args=() envs=()
    [ -f "$src/$name.args" ] && mapfile -t args <"$src/$name.args"
    if [ -f "$src/$name.env" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in '#'* | '') continue ;; esac
            envs+=("$line")
        done <"$src/$name.env"
    fi
    stderr_out=/dev/null
    [ -f "$src/$name.stderr" ] && stderr_out="$src/$name.stderr"
    (
        ulimit -c 0
        cd "$bin" && exec env ${envs[@]+"${envs[@]}"} "$emulator" "./$name" ${args[@]+"${args[@]}"}
    ) </dev/null >"$src/$name.expected" 2>"$stderr_out"
    status=$?
    echo "$status" >"$src/$name.status"
    echo "$name: status $status, $(wc -l <"$src/$name.expected") lines"
done
