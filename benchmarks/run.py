#!/usr/bin/env python3
"""Times the CPU benchmarks natively, under qemu-riscv64 and under each Mimic configuration.

Every run's checksum is checked against checksums.txt; medians of N repetitions go into a
Markdown table, a CSV file and (when gnuplot is installed) a PNG plot. Standard library only.

  python3 benchmarks/run.py --bin-dir build/benchmarks --mimic build/apps/mimic-riscv64 \\
      --config interp='-tier interp' --config nochain='-d nochain' -n 5 --out-dir bench-results
"""

import argparse
import csv
import datetime
import os
import platform
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

HERE = Path(__file__).resolve().parent
# Keep in sync with CMakeLists.txt (the same flags on both targets keep the checksums equal).
COMMON_FLAGS = ["-static", "-O2", "-ffp-contract=off", "-Wall", "-Wextra"]
LIBS = ["-lm"]


def load_checksums(path):
    sums = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, value = line.split()
            sums[name] = value
    return sums


class Runner:
    """One way of running a benchmark: a command prefix and which binary flavour it takes."""

    def __init__(self, label, prefix, flavour):
        self.label, self.prefix, self.flavour = label, prefix, flavour


def build(bin_dir, names, native_cc, cross_cc):
    for flavour, cc in (("native", native_cc), ("riscv64", cross_cc)):
        if cc is None:
            continue
        out = bin_dir / flavour
        out.mkdir(parents=True, exist_ok=True)
        for name in names:
            src = HERE / "src" / f"{name}.c"
            exe = out / name
            if exe.exists() and exe.stat().st_mtime >= max(
                    src.stat().st_mtime, (HERE / "src" / "bench.h").stat().st_mtime):
                continue
            cmd = [cc, *COMMON_FLAGS, "-o", str(exe), str(src), *LIBS]
            print("build:", shlex.join(cmd), file=sys.stderr)
            subprocess.run(cmd, check=True)


def run_once(cmd, timeout):
    """Runs cmd; returns (wall seconds, cpu seconds of the child, exit status, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
        out.seek(0)
        err.seek(0)
        return (wall, usage.ru_utime + usage.ru_stime, proc.returncode,
                out.read().decode(errors="replace"), err.read().decode(errors="replace"))


def check_output(name, status, stdout, expected):
    if status != 0:
        return f"exit status {status}"
    m = re.search(rf"^{re.escape(name)} checksum ([0-9a-f]+)$", stdout, re.M)
    if not m:
        return "no checksum line"
    if m.group(1) != expected:
        return f"checksum {m.group(1)} != {expected}"
    return None


def fmt_time(t):
    return "FAIL" if t is None else f"{t:.3f}"


def fmt_ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    product = 1.0
    for v in values:
        product *= v
    return product ** (1.0 / len(values))


def write_reports(out_dir, names, runners, wall, cpu, failures, args, qemu_version):
    med = cpu if args.metric == "cpu" else wall
    mimic = [r for r in runners if r.label.startswith("mimic")]
    have = {r.label for r in runners}

    def ratio(label, base, name):
        a, b = med.get((label, name)), med.get((base, name))
        return None if a is None or b is None or b == 0 else a / b

    # CSV: one row per (benchmark, runner).
    with open(out_dir / "results.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["benchmark", "runner", "median_wall_s", "median_cpu_s", "reps",
                    f"ratio_vs_qemu_{args.metric}", f"ratio_vs_native_{args.metric}", "error"])
        for name in names:
            for r in runners:
                m = wall.get((r.label, name))
                rq = ratio(r.label, "qemu", name) if "qemu" in have else None
                rn = ratio(r.label, "native", name) if "native" in have else None
                w.writerow([name, r.label, "" if m is None else f"{m:.6f}",
                            "" if cpu.get((r.label, name)) is None
                            else f"{cpu[(r.label, name)]:.6f}", args.reps,
                            "" if rq is None else f"{rq:.4f}", "" if rn is None else f"{rn:.4f}",
                            failures.get((r.label, name), "")])

    # Markdown: seconds per runner, then each Mimic configuration's ratios.
    head = ["benchmark"] + [f"{r.label} (s)" for r in runners]
    for r in mimic:
        if "qemu" in have:
            head.append(f"{r.label}/qemu")
        if "native" in have:
            head.append(f"{r.label}/native")
    if "qemu" in have and "native" in have:
        head.append("qemu/native")
    rows = []
    for name in names:
        row = [name] + [fmt_time(med.get((r.label, name))) for r in runners]
        for r in mimic:
            if "qemu" in have:
                row.append(fmt_ratio(med.get((r.label, name)), med.get(("qemu", name))))
            if "native" in have:
                row.append(fmt_ratio(med.get((r.label, name)), med.get(("native", name))))
        if "qemu" in have and "native" in have:
            row.append(fmt_ratio(med.get(("qemu", name)), med.get(("native", name))))
        rows.append(row)
    geo = ["geomean"] + ["" for _ in runners]
    for r in mimic:
        for base in ("qemu", "native"):
            if base in have:
                g = geomean([ratio(r.label, base, n) for n in names])
                geo.append("–" if g is None else f"{g:.2f}")
    if "qemu" in have and "native" in have:
        g = geomean([ratio("qemu", "native", n) for n in names])
        geo.append("–" if g is None else f"{g:.2f}")
    rows.append(geo)

    cpu_model = "unknown"
    try:
        m = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu_model = m.group(1) if m else cpu_model
    except OSError:
        pass
    lines = [
        "# Mimic CPU benchmarks", "",
        f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"- host: {platform.machine()}, {cpu_model}",
        f"- qemu: {qemu_version or 'not run'}",
        f"- repetitions: {args.reps}; median "
        f"{'CPU (user+sys)' if args.metric == 'cpu' else 'wall-clock'} seconds shown;"
        " ratios > 1 mean slower",
    ]
    for r in runners:
        lines.append(f"- {r.label}: `{shlex.join(r.prefix) if r.prefix else '(native binary)'}`")
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    if failures:
        lines += ["", "Failures:", ""]
        lines += [f"- {label} {name}: {msg}" for (label, name), msg in sorted(failures.items())]
    (out_dir / "results.md").write_text("\n".join(lines) + "\n")

    plot(out_dir, names, runners, med)
    print(f"wrote {out_dir / 'results.md'}, results.csv"
          f"{', results.png' if (out_dir / 'results.png').exists() else ''}", file=sys.stderr)


def plot(out_dir, names, runners, med):
    """Grouped bars of time relative to native (or seconds without native); log scale."""
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        print("gnuplot not found: no PNG plot (apt-get install gnuplot-nox)", file=sys.stderr)
        return
    base = "native" if any(r.label == "native" for r in runners) else None
    shown = [r for r in runners if r.label != base]
    data = out_dir / "plot.dat"
    with open(data, "w") as f:
        f.write("benchmark " + " ".join(r.label for r in shown) + "\n")
        for name in names:
            vals = []
            for r in shown:
                v = med.get((r.label, name))
                b = med.get((base, name)) if base else 1.0
                vals.append("NaN" if v is None or not b else f"{v / b:.6g}")
            f.write(f"{name} " + " ".join(vals) + "\n")
    ylabel = "time relative to native (log scale)" if base else "seconds (log scale)"
    script = f"""
set terminal pngcairo size 1000,560 noenhanced
set output '{out_dir / "results.png"}'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set grid ytics
set key top left
set ylabel '{ylabel}'
set title 'Mimic benchmarks'
set xtics rotate by -20
plot for [i=2:{len(shown) + 1}] '{data}' using i:xtic(1) title columnheader(i)
"""
    res = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
    if res.returncode != 0:
        # pngcairo is missing from some builds; fall back to the plain png terminal.
        script = script.replace("pngcairo", "png")
        res = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
    if res.returncode != 0:
        print("gnuplot failed:", res.stderr.strip(), file=sys.stderr)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin-dir", type=Path,
                   help="directory with native/ and riscv64/ binaries (CMake: <build>/benchmarks);"
                        " default: build them into <out-dir>/bin")
    p.add_argument("--build", action="store_true",
                   help="(re)build missing or stale binaries into --bin-dir with the compilers")
    p.add_argument("--mimic", help="path to mimic-riscv64 (omit to time only native and qemu)")
    p.add_argument("--config", action="append", default=[], metavar="LABEL[=OPTIONS]",
                   help="a Mimic configuration: OPTIONS (shell words) go between mimic-riscv64"
                        " and the program; repeatable; default: one configuration 'default'")
    p.add_argument("--qemu", default=shutil.which("qemu-riscv64"), help="qemu-riscv64 path")
    p.add_argument("--no-qemu", action="store_true")
    p.add_argument("--no-native", action="store_true")
    p.add_argument("-n", "--reps", type=int, default=5, help="repetitions (median is reported)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs per runner first")
    p.add_argument("--only", help="comma-separated benchmark names")
    p.add_argument("--timeout", type=float, default=300, help="seconds per run")
    p.add_argument("--metric", choices=("wall", "cpu"), default="wall",
                   help="what the table and plot show: wall-clock time, or the child's user+sys"
                        " CPU time (steadier on a busy machine; counts compile threads too);"
                        " the CSV has both")
    p.add_argument("--out-dir", type=Path, default=Path("bench-results"))
    p.add_argument("--cc", default=shutil.which("cc") or shutil.which("gcc"))
    p.add_argument("--cross-cc", default=shutil.which("riscv64-linux-gnu-gcc"))
    return p.parse_args()


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
        build(args.bin_dir, names, None if args.no_native else args.cc, args.cross_cc)

    runners = []
    if not args.no_native:
        runners.append(Runner("native", [], "native"))
    qemu_version = None
    if not args.no_qemu:
        if not args.qemu:
            sys.exit("qemu-riscv64 not found (use --qemu PATH or --no-qemu)")
        runners.append(Runner("qemu", [args.qemu], "riscv64"))
        qemu_version = subprocess.run([args.qemu, "--version"], capture_output=True,
                                      text=True).stdout.splitlines()[0]
    if args.mimic:
        for spec in args.config or ["default"]:
            label, _, opts = spec.partition("=")
            runners.append(Runner(f"mimic-{label}", [args.mimic, *shlex.split(opts)], "riscv64"))
    elif args.config:
        sys.exit("--config needs --mimic")

    for r in runners:
        for name in names:
            exe = args.bin_dir / r.flavour / name
            if not exe.exists():
                sys.exit(f"missing {exe} (build the 'benchmarks' target or pass --build)")

    walls, cpus, failures = {}, {}, {}
    for name in names:
        for r in runners:
            cmd = [*r.prefix, str(args.bin_dir / r.flavour / name)]
            for _ in range(args.warmup):
                run_once(cmd, args.timeout)
        # Interleave runners within each repetition so slow drift hits all of them alike.
        for rep in range(args.reps):
            for r in runners:
                if (r.label, name) in failures:
                    continue
                cmd = [*r.prefix, str(args.bin_dir / r.flavour / name)]
                wall, cpu, status, out, err = run_once(cmd, args.timeout)
                problem = check_output(name, status, out, checksums[name])
                if problem:
                    failures[(r.label, name)] = problem
                    print(f"FAIL {r.label} {name}: {problem}\n{err[-2000:]}", file=sys.stderr)
                    continue
                walls.setdefault((r.label, name), []).append(wall)
                cpus.setdefault((r.label, name), []).append(cpu)
        times = cpus if args.metric == "cpu" else walls
        summary = "  ".join(
            f"{r.label}={statistics.median(times[(r.label, name)]):.3f}s"
            if (r.label, name) in times and (r.label, name) not in failures
            else f"{r.label}=FAIL" for r in runners)
        print(f"{name:12s} {summary}", file=sys.stderr)

    wall = {k: statistics.median(v) for k, v in walls.items() if k not in failures}
    cpu = {k: statistics.median(v) for k, v in cpus.items() if k not in failures}
    write_reports(args.out_dir, names, runners, wall, cpu, failures, args, qemu_version)
    print((args.out_dir / "results.md").read_text())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
