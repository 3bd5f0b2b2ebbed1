#!/usr/bin/env python3
"""Boots OpenSBI + U-Boot on a RISC-V virt machine and talks to the U-Boot prompt.

Usage: uboot_session.py EMULATOR FIRMWARE UBOOT [--smp N] [--mem MiB] [--accel A] [--verbose] [--monitor]

Checks the OpenSBI banner (and its hart count), stops autoboot, runs `version` and `bdinfo` and
checks their replies (the RAM size bdinfo reports is the one given with -m), then `poweroff`, which
must end the emulator with status 0. With --monitor it ends differently: Ctrl-A c opens the monitor,
`info registers` and `info cpus` must answer, and Ctrl-A x must end the emulator with status 0. Prints the time from start to the first U-Boot prompt. Used by
the boot tests (under Mimic and, as the reference, QEMU) and by benchmarks/boot_time.py.
"""
import argparse
import os
import re
import select
import subprocess
import sys
import time

TIMEOUT = float(os.environ.get("MIMIC_BOOT_TIMEOUT", "120"))


class Session:
    def __init__(self, argv, verbose=False):
        self.verbose = verbose
        self.start = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.buffer = b""

    def expect(self, pattern, what):
        """Reads output until `pattern` (a bytes regex) matches; returns the text up to the match."""
        regex = re.compile(pattern)
        deadline = self.start + TIMEOUT
        while True:
            m = regex.search(self.buffer)
            if m:
                before, self.buffer = self.buffer[: m.end()], self.buffer[m.end():]
                return before.decode(errors="replace")
            left = deadline - time.monotonic()
            if left <= 0:
                self.fail(f"timed out waiting for {what}")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    self.fail(f"the emulator exited (status {self.proc.wait()}) while waiting for {what}")
                self.buffer += chunk
                if self.verbose:
                    sys.stdout.write(chunk.decode(errors="replace").replace("\r", ""))
                    sys.stdout.flush()

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def expect_exit(self, expected):
        """Waits up to 30 s for the emulator to end; fails unless its status is `expected`."""
        try:
            status = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.fail("the emulator did not end")
        if status != expected:
            self.fail(f"exit status {status}, expected {expected}")

    def fail(self, message):
        self.proc.kill()
        tail = self.buffer.decode(errors="replace")[-2000:]
        sys.exit(f"FAIL: {message}\n--- last output ---\n{tail}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("emulator")
    parser.add_argument("firmware")
    parser.add_argument("uboot")
    parser.add_argument("--smp", type=int, default=1)
    parser.add_argument("--mem", type=int, default=256, help="RAM in MiB")
    parser.add_argument("--verbose", action="store_true", help="echo the console as it arrives")
    parser.add_argument("--monitor", action="store_true", help="end through the monitor and Ctrl-A x")
    parser.add_argument("--accel", help="the emulator's -accel value (e.g. tcg,tier=llvm)")
    args = parser.parse_args()

    argv = [args.emulator, "-M", "virt", "-nographic", "-m", f"{args.mem}M", "-smp", str(args.smp),
            "-bios", args.firmware, "-kernel", args.uboot] + (["-accel", args.accel] if args.accel else [])
    s = Session(argv, args.verbose)
    s.expect(rb"OpenSBI v\d+\.\d+", "the OpenSBI banner")
    s.expect(rb"Platform HART Count\s*:\s*%d\b" % args.smp, f"OpenSBI reporting {args.smp} hart(s)")
    s.expect(rb"U-Boot \d{4}\.\d{2}", "U-Boot's banner")
    s.expect(rb"DRAM:\s+%d MiB" % args.mem, f"U-Boot seeing {args.mem} MiB")
    s.expect(rb"Hit any key to stop autoboot", "the autoboot countdown")
    s.send(" ")
    s.expect(rb"=> ", "the U-Boot prompt")
    prompt_time = time.monotonic() - s.start

    s.send("version\r")
    reply = s.expect(rb"=> ", "the reply to version")
    if not re.search(r"U-Boot \d{4}\.\d{2}", reply) or "gcc" not in reply:
        s.fail(f"unexpected reply to version: {reply!r}")

    s.send("bdinfo\r")
    reply = s.expect(rb"=> ", "the reply to bdinfo")
    size = re.search(r"-> size\s*=\s*0x([0-9a-f]+)", reply)
    start = re.search(r"-> start\s*=\s*0x([0-9a-f]+)", reply)
    if not size or int(size.group(1), 16) != args.mem << 20 or not start or int(start.group(1), 16) != 0x80000000:
        s.fail(f"bdinfo does not show {args.mem} MiB of DRAM at 0x80000000: {reply!r}")

    if args.monitor:
        s.send("\x01c")
        s.expect(rb"\((qemu|mimic)\) ", "the monitor's prompt after Ctrl-A c")
        s.send("info registers\r")
        reply = s.expect(rb"\((qemu|mimic)\) ", "the reply to info registers")
        if not re.search(r"mstatus\s+[0-9a-f]{16}", reply) or not re.search(r"\bpc\s+[0-9a-f]{16}", reply):
            s.fail(f"info registers shows no pc and mstatus: {reply!r}")
        s.send("info cpus\r")
        reply = s.expect(rb"\((qemu|mimic)\) ", "the reply to info cpus")
        if "CPU #0" not in reply:
            s.fail(f"info cpus does not list CPU #0: {reply!r}")
        s.send("\x01x")
    else:
        s.send("poweroff\r")
    s.expect_exit(0)
    if args.verbose:
        print()
    ending = "monitor answered, Ctrl-A x" if args.monitor else "poweroff"
    print(f"ok: prompt after {prompt_time:.2f} s; version and bdinfo answered; {ending}: exit status 0")


if __name__ == "__main__":
    main()
