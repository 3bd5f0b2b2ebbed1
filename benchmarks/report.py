"""Writes run.py's results: results.md (medians, ratios, translator statistics), results.csv,
stats.csv and results.png (gnuplot). Standard library only; imported by run.py."""

import csv
import datetime
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    product = 1.0
    for v in values:
        product *= v
    return product ** (1.0 / len(values))


def _fmt(v, digits):
    return "–" if v is None else f"{v:.{digits}f}"


def _cpu_model():
    try:
        m = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)
        return m.group(1) if m else "unknown"
    except OSError:
        return "unknown"


class Results:
    """Medians and failures of one run.py invocation, and the ratios derived from them.

    med[(label, name)] is the median in the chosen metric; wall/cpu hold both; problems maps
    (label, name) to (kind, message) with kind 'FAIL', 'timeout', 'crash' or 'error'."""

    def __init__(self, names, runners, wall, cpu, problems, metric, reps):
        self.names, self.runners, self.wall, self.cpu = names, runners, wall, cpu
        self.problems, self.metric, self.reps = problems, metric, reps
        self.med = cpu if metric == "cpu" else wall
        self.labels = {r.label for r in runners}

    def ratio(self, label, base, name):
        a, b = self.med.get((label, name)), self.med.get((base, name))
        return None if a is None or b is None or b == 0 else a / b

    def ratio_columns(self):
        """(numerator, denominator) pairs: each emulator against native and against the QEMU of
        its own mode; QEMU itself against native."""
        cols = []
        for r in self.runners:
            if r.kind == "native":
                continue
            if r.kind == "mimic" and r.baseline in self.labels:
                cols.append((r.label, r.baseline))
            if "native" in self.labels:
                cols.append((r.label, "native"))
        return cols

    def cell(self, label, name):
        if (label, name) in self.problems:
            return self.problems[(label, name)][0]
        v = self.med.get((label, name))
        return "–" if v is None else f"{v:.3f}"


def write_csv(out_dir, res):
    with open(out_dir / "results.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["benchmark", "runner", "median_wall_s", "median_cpu_s", "reps",
                    f"ratio_vs_qemu_{res.metric}", f"ratio_vs_native_{res.metric}", "error", "mode",
                    "status"])
        for name in res.names:
            for r in res.runners:
                key = (r.label, name)
                rq = res.ratio(r.label, r.baseline, name) if r.baseline in res.labels else None
                rn = res.ratio(r.label, "native", name) if "native" in res.labels else None
                kind, msg = res.problems.get(key, ("ok", ""))
                w.writerow([name, r.label, _fmt(res.wall.get(key), 6).replace("–", ""),
                            _fmt(res.cpu.get(key), 6).replace("–", ""), res.reps,
                            _fmt(rq, 4).replace("–", ""), _fmt(rn, 4).replace("–", ""), msg, r.mode,
                            kind])


def stats_table(names, stats_runners, stats):
    """stats[(label, name)] = ('ok', {key: value}) | ('n/a', '') | ('error', message).
    Returns (header, rows) with one column per key seen, plus exits_per_s."""
    keys = []
    for entry in stats.values():
        if entry[0] == "ok":
            keys += [k for k in entry[1] if k not in keys]
    derived = "dispatcher_exits" in keys and "run_seconds" in keys
    header = ["benchmark", "runner", "status"] + keys + (["exits_per_s"] if derived else [])
    rows = []
    # A configuration whose stats run fails the same way everywhere gets one row, not one per benchmark.
    same_error = set()
    for r in stats_runners:
        got = [stats.get((r.label, n), ("n/a", "")) for n in names]
        if len(names) > 1 and all(g[0] == "error" for g in got) and len({g[1] for g in got}) == 1:
            same_error.add(r.label)
            rows.append(["(every benchmark)", r.label, f"error: {got[0][1]}"] + ["n/a"] * (len(header) - 3))
    for name in names:
        for r in stats_runners:
            if r.label in same_error:
                continue
            kind, data = stats.get((r.label, name), ("n/a", ""))
            if kind != "ok":
                rows.append([name, r.label, kind if not data else f"{kind}: {data}"]
                            + ["n/a"] * (len(header) - 3))
                continue
            row = [name, r.label, "ok"] + [data.get(k, "n/a") for k in keys]
            if derived:
                try:
                    row.append(f"{float(data['dispatcher_exits']) / float(data['run_seconds']):.4g}")
                except (KeyError, ValueError, ZeroDivisionError):
                    row.append("n/a")
            rows.append(row)
    return header, rows


def _md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def write_markdown(out_dir, res, versions, stats_runners, stats, config_errors):
    lines = [
        "# Mimic CPU benchmarks", "",
        f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"- host: {platform.machine()}, {_cpu_model()}",
    ]
    lines += [f"- {tool}: {v}" for tool, v in versions.items()]
    lines.append(f"- repetitions: {res.reps}; median "
                 f"{'CPU (user+sys)' if res.metric == 'cpu' else 'wall-clock'} seconds")
    for r in res.runners:
        lines.append(f"- {r.label} ({r.mode}): `{r.describe()}`")

    lines += ["", "## Median seconds", ""]
    header = ["benchmark"] + [r.label for r in res.runners]
    rows = [[name] + [res.cell(r.label, name) for r in res.runners] for name in res.names]
    lines += _md_table(header, rows)

    cols = res.ratio_columns()
    if cols:
        lines += ["", "## Ratios (time / time; above 1 means slower)", ""]
        header = ["benchmark"] + [f"{a}/{b}" for a, b in cols]
        rows = [[name] + [_fmt(res.ratio(a, b, name), 2) for a, b in cols] for name in res.names]
        rows.append(["**geomean**"] + [f"**{_fmt(geomean([res.ratio(a, b, n) for n in res.names]), 2)}**"
                                      for a, b in cols])
        lines += _md_table(header, rows)

    if stats_runners:
        lines += ["", "## Translator statistics (one extra run with `-d stats`)", ""]
        header, rows = stats_table(res.names, stats_runners, stats)
        lines += _md_table(header, rows)

    if config_errors:
        lines += ["", "Configurations that failed to start on every benchmark (not counted as failures):", ""]
        lines += [f"- {label}: {msg}" for label, msg in sorted(config_errors.items())]
    failures = {k: v for k, v in res.problems.items() if k[0] not in config_errors}
    if failures:
        lines += ["", "Failures:", ""]
        lines += [f"- {label} {name}: {kind}: {msg}" for (label, name), (kind, msg) in sorted(failures.items())]
    (out_dir / "results.md").write_text("\n".join(lines) + "\n")


def write_stats_csv(out_dir, res, stats_runners, stats):
    header, rows = stats_table(res.names, stats_runners, stats)
    with open(out_dir / "stats.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def plot(out_dir, res):
    """Grouped bars of time relative to native (seconds without native), log scale, with a
    geometric-mean group at the end."""
    (out_dir / "results.png").unlink(missing_ok=True)
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        print("gnuplot not found: no PNG plot (apt-get install gnuplot-nox)", file=sys.stderr)
        return
    base = "native" if "native" in res.labels else None
    shown = [r for r in res.runners if r.label != base
             and any(res.med.get((r.label, n)) is not None for n in res.names)]
    if not shown:
        return

    def value(label, name):
        v = res.med.get((label, name))
        b = res.med.get((base, name)) if base else 1.0
        return None if v is None or not b else v / b

    data = out_dir / "plot.dat"
    with open(data, "w") as f:
        f.write("benchmark " + " ".join(r.label for r in shown) + "\n")
        for name in res.names + ["geomean"]:
            vals = []
            for r in shown:
                v = (geomean([value(r.label, n) for n in res.names]) if name == "geomean"
                     else value(r.label, name))
                vals.append("NaN" if v is None else f"{v:.6g}")
            f.write(f"{name} " + " ".join(vals) + "\n")
    ylabel = "time relative to native (log scale)" if base else "seconds (log scale)"
    width = max(1000, 90 * (len(res.names) + 1) + 40 * len(shown))
    script = f"""
set terminal pngcairo size {width},600 noenhanced
set output '{out_dir / "results.png"}'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set grid ytics
set key top left
set ylabel '{ylabel}'
set title 'Mimic benchmarks ({res.metric} time, median of {res.reps})'
set xtics rotate by -30
plot for [i=2:{len(shown) + 1}] '{data}' using i:xtic(1) title columnheader(i)
"""
    out = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
    if out.returncode != 0:
        # pngcairo is missing from some builds; fall back to the plain png terminal.
        out = subprocess.run([gnuplot], input=script.replace("pngcairo", "png"), text=True,
                             capture_output=True)
    if out.returncode != 0:
        print("gnuplot failed:", out.stderr.strip(), file=sys.stderr)


def write_all(out_dir, res, versions, stats_runners, stats, config_errors):
    write_csv(out_dir, res)
    write_markdown(out_dir, res, versions, stats_runners, stats, config_errors)
    written = ["results.md", "results.csv"]
    if stats_runners:
        write_stats_csv(out_dir, res, stats_runners, stats)
        written.append("stats.csv")
    plot(out_dir, res)
    if (out_dir / "results.png").exists():
        written.append("results.png")
    print(f"wrote {', '.join(str(out_dir / w) for w in written)}", file=sys.stderr)
