#!/usr/bin/env bash
# Boots Mimic's Linux guest under EMULATOR (tests/system/linux_session.py), taking the kernel and
# initramfs from scripts/build-linux-guest.sh's cache (built first if missing: minutes).
# usage: linux_boot.sh EMULATOR FIRMWARE [linux_session.py options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
emulator=$1 firmware=$2
shift 2
mapfile -t guest < <("$here/../../scripts/build-linux-guest.sh")
exec python3 "$here/linux_session.py" "$emulator" "$firmware" "${guest[0]}" "${guest[1]}" "$@"
