#!/usr/bin/env bash
# Quick start 1: installs what is missing, builds Mimic, builds a riscv64 Linux program with Debian's
# cross compiler, and runs it under mimic-riscv64.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build=${BUILD_DIR:-$root/build}
cmake --build "$build" --target guest_riscv64_programs >/dev/null
prog="$build/tests/guest/riscv64/hello"
echo "+ $build/apps/mimic-riscv64 $prog"
"$build/apps/mimic-riscv64" "$prog"
