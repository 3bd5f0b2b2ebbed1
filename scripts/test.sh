#!/usr/bin/env bash
# Quick start 2: installs what is missing, builds Mimic and its Linux guest, and runs every test
# (unit, guest programs, differential against QEMU, Linux boot). Extra arguments go to ctest (e.g.
# -R unit. or -L diff).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
# Mimic's Linux guest for the boot tests: built once per machine (minutes), then cached.
"$root/scripts/build-linux-guest.sh" >/dev/null
build=${BUILD_DIR:-$root/build}
cd "$build"
# Every program the tests start checks each block's IR after optimization (-d verify_ir); the unit
# tests turn the check on themselves.
export MIMIC_LOG=verify_ir
ctest --output-on-failure -j "$(nproc)" "$@"
