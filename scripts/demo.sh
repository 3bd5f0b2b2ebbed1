#!/usr/bin/env bash
# Quick start 1: installs what is missing, builds Mimic, and boots Debian's OpenSBI + U-Boot on
# mimic-system-riscv64's virt board. On a terminal you get U-Boot's prompt (try `version`,
# `bdinfo`; Ctrl-A x quits); otherwise a scripted session types `version` and `bdinfo` for you.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build=${BUILD_DIR:-$root/build}
firmware=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
uboot=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
cmd=("$build/apps/mimic-system-riscv64" -M virt -nographic -bios "$firmware" -kernel "$uboot")
if [ -t 0 ] && [ -t 1 ]; then
  echo "+ ${cmd[*]}"
  echo "(at the => prompt try 'version' or 'bdinfo'; Ctrl-A x quits, Ctrl-A h lists the other keys)"
  exec "${cmd[@]}"
fi
echo "+ tests/system/uboot_session.py ${cmd[0]} $firmware $uboot   (not a terminal: a scripted session)"
exec python3 "$root/tests/system/uboot_session.py" "${cmd[0]}" "$firmware" "$uboot" --verbose
