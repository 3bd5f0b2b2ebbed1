#!/usr/bin/env bash
# Quick start 1: installs what is missing, builds Mimic and its Linux guest (scripts/build-linux-guest.sh:
# minutes the first time, then cached), and boots that Linux on mimic-system-riscv64's virt board
# under Debian's OpenSBI. On a terminal you get the guest's shell (`poweroff` or Ctrl-A x leaves);
# otherwise a scripted session types `uname -a` and more, and powers off.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build=${BUILD_DIR:-$root/build}
firmware=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
mapfile -t guest < <("$root/scripts/build-linux-guest.sh")
cmd=("$build/apps/mimic-system-riscv64" -M virt -m 256M -nographic -bios "$firmware"
     -kernel "${guest[0]}" -initrd "${guest[1]}" -append console=ttyS0)
if [ -t 0 ] && [ -t 1 ]; then
  # The guest's network is QEMU's user NAT: it reaches the host as 10.0.2.2 and the world beyond.
  cmd+=(-netdev user,id=n0 -device virtio-net-device,netdev=n0 -device virtio-rng-device)
  echo "+ ${cmd[*]}"
  echo "(at the mimic:/# prompt try 'uname -a' or 'cat /proc/cpuinfo'; 'poweroff' or Ctrl-A x leaves)"
  exec "${cmd[@]}"
fi
echo "+ tests/system/linux_session.py ${cmd[0]} $firmware ${guest[*]} --devices --verbose   (not a terminal: a scripted session)"
exec python3 "$root/tests/system/linux_session.py" "${cmd[0]}" "$firmware" "${guest[@]}" --devices --verbose
