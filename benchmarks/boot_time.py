#!/usr/bin/env python3
"""Time from start to the guest's prompt on the virt board, Mimic and QEMU side by side.

    python3 benchmarks/boot_time.py --mimic build/apps/mimic-system-riscv64 [--guest linux|uboot] [-n 5] [--smp 1 4]
                                    [--devices]

The guest is OpenSBI + U-Boot (each run is tests/system/uboot_session.py, which also checks
`version`, `bdinfo` and `poweroff`), or OpenSBI + Mimic's Linux guest from
scripts/build-linux-guest.sh (tests/system/linux_session.py: the shell's prompt, then `uname -a`,
the harts, a checksum and `poweroff`; with --devices also the virtio disks, network, console and
RNG of tests/system/virtio_checks.py, which the session then checks). The emulators alternate run by run, so both see the same
machine load. Prints a Markdown table of medians in seconds: to the prompt, and for the whole session.
"""
import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/{}.bin"
UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"


def session_for(guest):
    """The session script and the images after the firmware, for `guest`."""
    if guest == "uboot":
        return ROOT / "tests/system/uboot_session.py", [UBOOT]
    images = subprocess.run([str(ROOT / "scripts/build-linux-guest.sh")], capture_output=True, text=True, check=True)
    return ROOT / "tests/system/linux_session.py", images.stdout.split()


def one_run(emulator, session, firmware, images, smp, extra):
    start = time.monotonic()
    out = subprocess.run([sys.executable, str(session), emulator, FIRMWARE.format(firmware), *images, "--smp", str(smp),
                          *extra], capture_output=True, text=True)
    total = time.monotonic() - start
    m = re.search(r"prompt after ([0-9.]+) s", out.stdout)
    if out.returncode != 0 or not m:
        sys.exit(f"{emulator}: the session failed:\n{out.stdout}{out.stderr}")
    return float(m.group(1)), total


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mimic", required=True)
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--firmware", default="fw_jump", choices=["fw_jump", "fw_dynamic"])
    p.add_argument("--guest", default="linux", choices=["linux", "uboot"])
    p.add_argument("--smp", type=int, nargs="+", default=[1, 4])
    p.add_argument("-n", type=int, default=5)
    p.add_argument("--devices", action="store_true", help="the Linux guest with its virtio devices")
    args = p.parse_args()
    session, images = session_for(args.guest)
    if args.devices and args.guest != "linux":
        p.error("--devices is for the Linux guest")
    extra = ["--devices"] if args.devices else []

    name = "U-Boot" if args.guest == "uboot" else "Mimic's Linux guest (to the shell)"
    if args.devices:
        name += ", with virtio devices"
    print(f"OpenSBI {args.firmware} + {name}, -M virt, {args.n} runs each, medians in seconds\n")
    print("| harts | qemu: prompt | mimic: prompt | mimic/qemu | qemu: session | mimic: session |")
    print("|---|---|---|---|---|---|")
    for smp in args.smp:
        runs = {"qemu": [], "mimic": []}
        for _ in range(args.n):
            runs["qemu"].append(one_run(args.qemu, session, args.firmware, images, smp, extra))
            runs["mimic"].append(one_run(args.mimic, session, args.firmware, images, smp, extra))
        med = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for k, v in runs.items()}
        print(f"| {smp} | {med['qemu'][0]:.3f} | {med['mimic'][0]:.3f} | {med['mimic'][0] / med['qemu'][0]:.2f} "
              f"| {med['qemu'][1]:.3f} | {med['mimic'][1]:.3f} |")


if __name__ == "__main__":
    main()
