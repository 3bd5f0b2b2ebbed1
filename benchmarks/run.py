#!/usr/bin/env python3
"""Times the CPU benchmarks natively, in user mode (qemu-riscv64, each mimic-riscv64
configuration) and in system mode (qemu-system-riscv64, each mimic-system-riscv64 configuration,
on the bare-metal ELFs with -M virt -bios none -kernel).

Every run's checksum is checked against checksums.txt; medians of N interleaved repetitions go
into results.md (seconds, ratios to native and to the QEMU of the same mode, geometric means),
results.csv and results.png (gnuplot). --stats adds one run per Mimic configuration with
`-d stats` and tabulates its `mimic-stats:` line (stats.csv). The start-up table times hello
world (src/hello.c) natively, under qemu-riscv64 and each mimic-riscv64 configuration. Standard
library only.

  python3 benchmarks/run.py --bin-dir build/benchmarks \\
      --mimic build/apps/mimic-riscv64 --config interp='-tier interp' \\
      --system-mimic build/apps/mimic-system-riscv64 --system-config interp='-accel tcg,tier=interp' \\
      -n 5 --stats --out-dir bench-results
"""

import argparse
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import report

HERE = Path(__file__).resolve().parent
STARTUP = "hello"  # src/hello.c: the start-up measurement, not a workload
STARTUP_OUTPUT = "hello, world"
STARTUP_MIN_REPS = 21  # a run takes milliseconds: more repetitions for a steady median
# Keep in sync with CMakeLists.txt (the same flags on both targets keep the checksums equal).
COMMON_FLAGS = ["-static", "-O2", "-ffp-contract=off", "-Wall", "-Wextra"]
LIBS = ["-lm"]
BAREMETAL_FLAGS = ["--specs=picolibc.specs", "--picolibc-buildtype=release", "-march=rv64gc",
                   "-mabi=lp64d", "-mcmodel=medany", "-O2", "-ffp-contract=off", "-Wall", "-Wextra",
                   "-ffreestanding", "-nostartfiles", f"-T{HERE / 'baremetal' / 'link.ld'}",
                   "-Wl,--no-warn-rwx-segments"]
BAREMETAL_RUNTIME = [HERE / "baremetal" / "start.S", HERE / "baremetal" / "runtime.c"]
SYSTEM_ARGS = ["-M", "virt", "-nographic", "-bios", "none"]
TERMINAL_NOISE = re.compile(r"\r|\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]")


def load_checksums(path):
    sums = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, value = line.split()
            sums[name] = value
    return sums


class Runner:
    """One way of running a benchmark. kind: native, qemu or mimic; mode: user or system;
    flavour: which binaries it takes (native/, riscv64/ or baremetal/<name>.elf); baseline: the
    QEMU of the same mode, which its ratios are taken against."""

    def __init__(self, label, kind, mode, prefix, opts=()):
        self.label, self.kind, self.mode = label, kind, mode
        self.prefix, self.opts = list(prefix), list(opts)
        self.flavour = "native" if kind == "native" else "riscv64" if mode == "user" else "baremetal"
        self.baseline = "qemu" if mode == "user" else "qemu-system"

    def exe(self, bin_dir, name):
        return bin_dir / self.flavour / (f"{name}.elf" if self.flavour == "baremetal" else name)

    def command(self, exe, opts=None):
        opts = self.opts if opts is None else opts
        if self.mode == "system":
            return [*self.prefix, *SYSTEM_ARGS, *opts, "-kernel", str(exe)]
        return [*self.prefix, *opts, str(exe)]

    def describe(self):
        if self.kind == "native":
            return "(native binary)"
        program = "BENCHMARK.elf" if self.mode == "system" else "BENCHMARK"
        return shlex.join(self.command(program))


def newer(target, sources):
    return target.exists() and target.stat().st_mtime >= max(s.stat().st_mtime for s in sources)


def build(bin_dir, names, checksums, native_cc, cross_cc, elf_cc):
    header = HERE / "src" / "bench.h"
    for flavour, cc in (("native", native_cc), ("riscv64", cross_cc)):
        if cc is None:
            continue
        (bin_dir / flavour).mkdir(parents=True, exist_ok=True)
        for name in [*names, STARTUP]:
            src, exe = HERE / "src" / f"{name}.c", bin_dir / flavour / name
            if not newer(exe, [src, header]):
                cmd = [cc, *COMMON_FLAGS, "-o", str(exe), str(src), *LIBS]
                print("build:", shlex.join(cmd), file=sys.stderr)
                subprocess.run(cmd, check=True)
    if elf_cc is None:
        return
    specs = subprocess.run([elf_cc, "-print-file-name=picolibc.specs"], capture_output=True, text=True)
    if not Path(specs.stdout.strip()).is_absolute():
        print(f"{elf_cc} has no picolibc: no bare-metal builds", file=sys.stderr)
        return
    (bin_dir / "baremetal").mkdir(parents=True, exist_ok=True)
    for name in names:
        src, elf = HERE / "src" / f"{name}.c", bin_dir / "baremetal" / f"{name}.elf"
        deps = [src, header, HERE / "checksums.txt", HERE / "baremetal" / "link.ld", *BAREMETAL_RUNTIME]
        if not newer(elf, deps):
            cmd = [elf_cc, *BAREMETAL_FLAGS, f"-DBENCH_EXPECTED=0x{checksums[name]}ULL", "-o", str(elf),
                   *map(str, BAREMETAL_RUNTIME), str(src), *LIBS]
            print("build:", shlex.join(cmd), file=sys.stderr)
            subprocess.run(cmd, check=True)


def run_once(cmd, timeout):
    """Runs cmd; returns (wall s, child cpu s, exit status, stdout, stderr, timed out)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        fired = threading.Event()

        def kill():
            fired.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
        out.seek(0)
        err.seek(0)
        stdout = TERMINAL_NOISE.sub("", out.read().decode(errors="replace"))
        return (wall, usage.ru_utime + usage.ru_stime, proc.returncode, stdout,
                err.read().decode(errors="replace"), fired.is_set())


def last_line(text):
    """The last non-empty line, leaving out Mimic's statistics line."""
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not line.startswith("mimic-stats:")]
    return lines[-1][:300] if lines else ""


def exit_text(status):
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit status {status}"


def classify(name, expected, status, stdout, stderr, timed_out, timeout):
    """None for a good run, else (kind, message). Kinds: 'timeout'; 'crash' when the emulator
    died of a signal (QEMU and Mimic re-raise a guest's fatal signal); 'error' when it exited
    with an error before the guest printed anything (an unsupported option, say); 'FAIL' for a
    wrong or missing checksum or a failed self-check."""
    if timed_out:
        return "timeout", f"killed after {timeout:g} s"
    m = re.search(rf"^{re.escape(name)} checksum ([0-9a-f]+)$", stdout, re.M)
    if m and m.group(1) != expected:
        return "FAIL", f"checksum {m.group(1)} != {expected}"
    if status < 0:
        return "crash", f"{exit_text(status)}: {last_line(stderr) or last_line(stdout) or '(no output)'}"
    if status != 0 and not stdout.strip():
        return "error", f"{exit_text(status)}: {last_line(stderr) or '(no output)'}"
    if status != 0:
        return "FAIL", f"{exit_text(status)}: {last_line(stdout)}"
    if not m:
        return "FAIL", "no checksum line"
    return None


def with_stats(opts):
    """The options with `stats` added to their -d list (or -d stats appended)."""
    opts = list(opts)
    for i, word in enumerate(opts[:-1]):
        if word == "-d":
            opts[i + 1] += ",stats"
            return opts
    return opts + ["-d", "stats"]


def log_file(opts):
    for i, word in enumerate(opts[:-1]):
        if word == "-D":
            return Path(opts[i + 1])
    return None


def collect_stats(runner, exe, timeout):
    """One run with -d stats: ('ok', {key: value}), ('n/a', '') without a mimic-stats line,
    or ('error', message)."""
    opts = with_stats(runner.opts)
    log = log_file(opts)
    if log:
        log.unlink(missing_ok=True)
    _, _, status, stdout, stderr, timed_out = run_once(runner.command(exe, opts), timeout)
    text = stderr + (log.read_text(errors="replace") if log and log.exists() else "")
    if timed_out or status != 0:
        why = last_line(stderr) or last_line(stdout) or "(no output)"
        return "error", f"killed after {timeout:g} s" if timed_out else f"{exit_text(status)}: {why}"
    found = [line for line in text.splitlines() if line.startswith("mimic-stats:")]
    if not found:
        return "n/a", ""
    pairs = (word.partition("=") for word in found[-1][len("mimic-stats:"):].split())
    return "ok", {k: v for k, sep, v in pairs if sep}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin-dir", type=Path,
                   help="directory with native/, riscv64/ and baremetal/ (CMake: <build>/benchmarks);"
                        " default: build them into <out-dir>/bin")
    p.add_argument("--build", action="store_true",
                   help="(re)build missing or stale binaries into --bin-dir with the compilers")
    p.add_argument("--mimic", help="path to mimic-riscv64 (omit: no Mimic user-mode runs)")
    p.add_argument("--config", action="append", default=[], metavar="LABEL[=OPTIONS]",
                   help="a mimic-riscv64 configuration: OPTIONS (shell words) go between mimic-riscv64"
                        " and the program; repeatable; default: one configuration 'default'")
    p.add_argument("--system-mimic", help="path to mimic-system-riscv64 (omit: no Mimic system-mode runs)")
    p.add_argument("--system-config", action="append", default=[], metavar="LABEL[=OPTIONS]",
                   help="a mimic-system-riscv64 configuration: OPTIONS follow -M virt -nographic"
                        " -bios none; repeatable; default: one configuration 'default'")
    p.add_argument("--qemu", default=shutil.which("qemu-riscv64"), help="qemu-riscv64 path")
    p.add_argument("--qemu-system", default=shutil.which("qemu-system-riscv64"),
                   help="qemu-system-riscv64 path")
    p.add_argument("--no-qemu", action="store_true", help="no qemu-riscv64 runs")
    p.add_argument("--no-qemu-system", action="store_true", help="no qemu-system-riscv64 runs")
    p.add_argument("--no-native", action="store_true")
    p.add_argument("--no-system", action="store_true", help="no system-mode runs at all")
    p.add_argument("-n", "--reps", type=int, default=5, help="repetitions (median is reported)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs per runner first")
    p.add_argument("--only", help="comma-separated benchmark names")
    p.add_argument("--timeout", type=float, default=300, help="seconds per run")
    p.add_argument("--metric", choices=("wall", "cpu"), default="wall",
                   help="what the tables and plot show: wall-clock time, or the child's user+sys"
                        " CPU time (steadier on a busy machine; counts compile threads too);"
                        " the CSV has both")
    p.add_argument("--stats", action="store_true",
                   help="one more run per Mimic configuration with -d stats; tabulate its"
                        " mimic-stats: line")
    p.add_argument("--out-dir", type=Path, default=Path("bench-results"))
    p.add_argument("--cc", default=shutil.which("cc") or shutil.which("gcc"))
    p.add_argument("--cross-cc", default=shutil.which("riscv64-linux-gnu-gcc"))
    p.add_argument("--elf-cc", default=shutil.which("riscv64-unknown-elf-gcc"),
                   help="bare-metal compiler for --build (with picolibc)")
    return p.parse_args()


def time_startup(runners, bin_dir, reps, timeout):
    """Median wall-clock milliseconds of hello world per user-mode runner (interleaved), or a
    problem's text."""
    user = [r for r in runners if r.mode == "user" and r.exe(bin_dir, STARTUP).exists()]
    times, problems = {}, {}
    for r in user:
        run_once(r.command(r.exe(bin_dir, STARTUP)), timeout)  # warm the page cache
    for _ in range(max(reps, STARTUP_MIN_REPS)):
        for r in user:
            if r.label in problems:
                continue
            wall, _, status, out, err, timed_out = run_once(r.command(r.exe(bin_dir, STARTUP)), timeout)
            if timed_out or status != 0 or out.strip() != STARTUP_OUTPUT:
                problems[r.label] = f"{exit_text(status)}: {last_line(err) or last_line(out) or '(no output)'}"
                continue
            times.setdefault(r.label, []).append(wall * 1000)
    return {r.label: problems.get(r.label) or statistics.median(times[r.label]) for r in user}


def startup_markdown(medians):
    qemu = medians.get("qemu")
    lines = ["", "## Start-up", "",
             f"hello world (`src/{STARTUP}.c`, static), median wall-clock milliseconds of at least "
             f"{STARTUP_MIN_REPS} interleaved runs.", "",
             "| runner | ms | /qemu |", "|---|---|---|"]
    for label, ms in medians.items():
        if isinstance(ms, str):
            lines.append(f"| {label} | {ms} | |")
        else:
            ratio = f"{ms / qemu:.2f}" if isinstance(qemu, float) else ""
            lines.append(f"| {label} | {ms:.1f} | {ratio} |")
    return "\n".join(lines) + "\n"


def version(tool):
    out = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
    return out.splitlines()[0] if out else "unknown"


def make_runners(args, names, versions):
    runners = []
    if not args.no_native:
        runners.append(Runner("native", "native", "user", []))
    if not args.no_qemu:
        if not args.qemu:
            sys.exit("qemu-riscv64 not found (use --qemu PATH or --no-qemu)")
        runners.append(Runner("qemu", "qemu", "user", [args.qemu]))
        versions["qemu-riscv64"] = version(args.qemu)
    if args.config and not args.mimic:
        sys.exit("--config needs --mimic")
    for spec in (args.config or ["default"]) if args.mimic else []:
        label, _, opts = spec.partition("=")
        runners.append(Runner(f"mimic-{label}", "mimic", "user", [args.mimic], shlex.split(opts)))

    if args.system_config and not args.system_mimic:
        sys.exit("--system-config needs --system-mimic")
    if args.no_system:
        return runners
    missing = [n for n in names if not (args.bin_dir / "baremetal" / f"{n}.elf").exists()]
    if missing:
        if args.system_mimic:
            sys.exit(f"missing {args.bin_dir / 'baremetal' / (missing[0] + '.elf')} (build the"
                     " 'benchmarks' target with riscv64-unknown-elf-gcc and picolibc installed,"
                     " or pass --build)")
        print("no bare-metal ELFs: system mode skipped", file=sys.stderr)
        return runners
    if not args.no_qemu_system:
        if args.qemu_system:
            runners.append(Runner("qemu-system", "qemu", "system", [args.qemu_system]))
            versions["qemu-system-riscv64"] = version(args.qemu_system)
        else:
            print("qemu-system-riscv64 not found: its runs are skipped", file=sys.stderr)
    for spec in (args.system_config or ["default"]) if args.system_mimic else []:
        label, _, opts = spec.partition("=")
        runners.append(Runner(f"mimic-system-{label}", "mimic", "system", [args.system_mimic],
                              shlex.split(opts)))
    return runners


def main():
    args = parse_args()
    checksums = load_checksums(HERE / "checksums.txt")
    names = list(checksums)
    if args.only:
        names = [n for n in args.only.split(",") if n]
        unknown = [n for n in names if n not in checksums]
        if unknown:
            sys.exit(f"unknown benchmark(s): {', '.join(unknown)}")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.bin_dir is None:
        args.bin_dir = args.out_dir / "bin"
        args.build = True
    if args.build:
        build(args.bin_dir, names, checksums, None if args.no_native else args.cc, args.cross_cc,
              None if args.no_system else args.elf_cc)

    versions = {}
    runners = make_runners(args, names, versions)
    for r in runners:
        if r.flavour != "baremetal":
            for name in names:
                if not r.exe(args.bin_dir, name).exists():
                    sys.exit(f"missing {r.exe(args.bin_dir, name)} (build the 'benchmarks' target or"
                             " pass --build)")

    walls, cpus, problems, stats = {}, {}, {}, {}
    stats_runners = [r for r in runners if r.kind == "mimic"] if args.stats else []
    for name in names:
        for r in runners:
            for _ in range(args.warmup):
                run_once(r.command(r.exe(args.bin_dir, name)), args.timeout)
        # Interleave runners within each repetition so slow drift hits all of them alike.
        for _ in range(args.reps):
            for r in runners:
                if (r.label, name) in problems:
                    continue
                wall, cpu, status, out, err, timed_out = run_once(
                    r.command(r.exe(args.bin_dir, name)), args.timeout)
                problem = classify(name, checksums[name], status, out, err, timed_out, args.timeout)
                if problem:
                    problems[(r.label, name)] = problem
                    print(f"{problem[0]} {r.label} {name}: {problem[1]}\n{err[-2000:]}", file=sys.stderr)
                    continue
                walls.setdefault((r.label, name), []).append(wall)
                cpus.setdefault((r.label, name), []).append(cpu)
        for r in stats_runners:
            stats[(r.label, name)] = collect_stats(r, r.exe(args.bin_dir, name), args.timeout)
        times = cpus if args.metric == "cpu" else walls
        summary = "  ".join(
            f"{r.label}={statistics.median(times[(r.label, name)]):.3f}s"
            if (r.label, name) not in problems else f"{r.label}={problems[(r.label, name)][0]}"
            for r in runners)
        print(f"{name:14s} {summary}", file=sys.stderr)

    # A configuration that exits with the same error on every benchmark, before the guest printed
    # anything, is one the emulator does not support (yet): reported, but not a failure.
    config_errors = {}
    for r in runners:
        got = [problems.get((r.label, n)) for n in names]
        if r.kind == "mimic" and all(p and p[0] == "error" for p in got) and len({p[1] for p in got}) == 1:
            config_errors[r.label] = got[0][1]

    wall = {k: statistics.median(v) for k, v in walls.items() if k not in problems}
    cpu = {k: statistics.median(v) for k, v in cpus.items() if k not in problems}
    res = report.Results(names, runners, wall, cpu, problems, args.metric, args.reps)
    report.write_all(args.out_dir, res, versions, stats_runners, stats, config_errors)
    startup = time_startup(runners, args.bin_dir, args.reps, args.timeout)
    if startup:
        with open(args.out_dir / "results.md", "a") as md:
            md.write(startup_markdown(startup))
    print((args.out_dir / "results.md").read_text())
    failed = any(label not in config_errors for label, _ in problems)
    return 1 if failed or any(isinstance(ms, str) for ms in startup.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
