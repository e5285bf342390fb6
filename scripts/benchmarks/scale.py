"""Growth curves of the hot paths: ``scripts/bench --scale [--scale-base tiny|bench]
[--factors 1 3 10]`` (issue #23).

Each size is a factor of a base size of the seed (``tiny`` for a quick run, ``bench`` for the
real one), seeded once into its own database ``sales_bench_<base>_x<factor>``. Every
registered benchmark runs at each size in a process of its own (its peak memory is that
process's). Per hot path the table gives the time and the queries at each size, the exponent
of time against size (least squares on log-log) and the peak memory; the goals are checked
(batch paths at most linear, screens flat, queries not growing with the records, a cron
under 500 MB). Results go to ``var/bench/scale.json`` and, with matplotlib, one PNG per path
to ``var/bench/scale/``.
"""

import json
import math
import subprocess
import sys
import time

from . import BENCHMARKS, ROOT

FACTORS = (1, 3, 10)
# counts of a seed size that grow with the factor (the rest: shapes, shares, batch sizes)
SCALED_COUNTS = ("reps", "customers", "products", "orders", "opportunities")
MAX_TEAMS = 8  # the seed's regions
GOALS = {
    "batch": 1.1,  # time grows at most linearly
    "cron": 1.1,
    "screen": 0.2,  # flat
}
NONE, TIMES = "\u2013", "\u00d7"  # the table's dash and times sign
MEMORY_GOAL_MB = 500  # a cron's peak at the largest size
QUERY_GROWTH = 1.5  # queries may follow the batches, not the records: at most this ratio

# The hot paths: (label, benchmark, key of its time, unit of that time, key of its queries,
# kind). A key walks nested results with dots.
PATHS = (
    ("confirmation with rules", "compliance_confirm", "seconds_with_rules", "s",
     "queries_per_confirmation_with_rules", "batch"),
    ("achievement refresh", "targets_achievement", "seconds_all", "s", "queries_all", "batch"),
    ("statements (product line)", "commission_statements", "product_line.seconds", "s",
     "product_line.queries", "batch"),
    ("ownership notice", "ownership_release", "notice_seconds", "s", "notice_queries", "cron"),
    ("ownership release", "ownership_release", "seconds", "s", "queries", "cron"),
    ("late deliveries", "late_deliveries", "seconds", "s", "queries", "cron"),
    ("collections", "collection_cron", "all.seconds", "s", "all.queries", "cron"),
    ("hand-over", "handover", "seconds", "s", "queries", "batch"),
    ("My day, leader", "my_day", "leader_ms_median", "ms", "leader_queries", "screen"),
    ("My day, rep", "my_day", "rep_ms_median", "ms", "rep_queries", "screen"),
    ("digest, next day", "digest_cron", "next_day_seconds", "s", "next_day_queries", "cron"),
    ("guided confirmation", "guided_confirm_screen", "median_ms", "ms", "queries_50_lines",
     "screen"),
    ("contract register", "contract_register", "total_ms", "ms", "list_80_queries", "screen"),
    ("day reports, team view", "work_report_team", "ms", "ms", "queries", "screen"),
)  # fmt: skip


def scaled_size(sizes, base, factor):
    """The name of the seed size ``factor`` times ``base``, added to ``sizes`` if missing:
    the counts multiplied, the teams too (up to the seed's regions), the rest as in base."""
    name = base if factor == 1 else f"{base}_x{factor}"
    if name not in sizes:
        size = dict(sizes[base])
        for key in SCALED_COUNTS:
            size[key] = size[key] * factor
        size["teams"] = min(size["teams"] * factor, MAX_TEAMS)
        sizes[name] = size
    return name


def seed_scaled(argv):
    """``--scale-seed DB BASE FACTOR CONFIG``: seed DB at FACTOR times BASE (a child process:
    the seed's own command line, with the scaled size registered first)."""
    database, base, factor, config = argv
    import seed  # noqa: PLC0415
    from seed.__main__ import main as seed_main  # noqa: PLC0415

    name = scaled_size(seed.SIZES, base, int(factor))
    scaled = getattr(seed.data, "scaled", None)  # the seed's own, once it has one
    if scaled and int(factor) > 1:
        size = scaled(base, int(factor))
        name = size if isinstance(size, str) else name
        if isinstance(size, dict):
            seed.SIZES[name] = size
    return seed_main(["-d", database, "-c", config, "--size", name])


def lookup(results, key):
    for part in key.split("."):
        if not isinstance(results, dict) or part not in results:
            return None
        results = results[part]
    return results


def fit_exponent(sizes, values):
    """The slope of log(value) against log(size), least squares; None under two points."""
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if v and v > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _y in points) / len(points)
    mean_y = sum(y for _x, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _y in points)
    if not spread:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def curves(runs):
    """Per hot path, from ``runs`` ``{factor: {benchmark: results}}``: seconds and queries at
    each factor, the exponent, the peak memory (MB) and whether each goal holds."""
    factors = sorted(runs)
    rows = []
    for label, name, time_key, unit, queries_key, kind in PATHS:
        seconds, queries, memory = [], [], []
        for factor in factors:
            results = runs[factor].get(name) or {}
            value = lookup(results, time_key)
            seconds.append(None if value is None else value / (1000 if unit == "ms" else 1))
            queries.append(lookup(results, queries_key))
            memory.append(results.get("peak_rss_mb"))
        measured = [(f, s) for f, s in zip(factors, seconds, strict=True) if s is not None]
        exponent = fit_exponent([f for f, _s in measured], [s for _f, s in measured])
        counted = [q for q in queries if q is not None]
        row = {
            "path": label,
            "benchmark": name,
            "kind": kind,
            "factors": factors,
            "seconds": seconds,
            "queries": queries,
            "exponent": None if exponent is None else round(exponent, 2),
            "peak_rss_mb": max((m for m in memory if m), default=None),
        }
        row["time_ok"] = exponent is not None and exponent <= GOALS[kind]
        row["queries_ok"] = bool(counted) and max(counted) <= QUERY_GROWTH * max(counted[0], 1)
        row["memory_ok"] = kind != "cron" or (memory[-1] or 0) < MEMORY_GOAL_MB
        rows.append(row)
    return rows


def table(rows, base):
    """The Markdown table of ``curves``."""

    def fmt_time(value):
        if value is None:
            return NONE
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"

    factors = rows[0]["factors"] if rows else []
    head = [f"{TIMES}{f} ({base})" for f in factors]
    lines = [
        "| path | kind | " + " | ".join(head) + " | exponent (goal) | peak RSS | goals |",
        "|---" * (len(head) + 5) + "|",
    ]
    for row in rows:
        cells = [
            f"{fmt_time(s)}, {NONE if q is None else q} q"
            for s, q in zip(row["seconds"], row["queries"], strict=True)
        ]
        exponent = NONE if row["exponent"] is None else f"{row['exponent']:.2f}"
        memory = NONE if row["peak_rss_mb"] is None else f"{row['peak_rss_mb']:.0f} MB"
        missed = [
            what
            for what, ok in (
                ("time", "time_ok"),
                ("queries", "queries_ok"),
                ("memory", "memory_ok"),
            )
            if not row[ok]
        ]
        goals = "met" if not missed else "missed: " + ", ".join(missed)
        lines.append(
            f"| {row['path']} | {row['kind']} | "
            + " | ".join(cells)
            + f" | {exponent} (≤ {GOALS[row['kind']]}) | {memory} | {goals} |"
        )
    return "\n".join(lines)


def plot(rows, folder, base):
    """One PNG per path: time and queries against the factor, log-log. Returns the files
    written (none without matplotlib)."""
    try:
        import matplotlib  # noqa: PLC0415

        matplotlib.use("Agg")
        from matplotlib import pyplot  # noqa: PLC0415
    except ImportError:
        print("[scale] matplotlib is not installed: no plots", flush=True)
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for row in rows:
        points = [(f, s) for f, s in zip(row["factors"], row["seconds"], strict=True) if s]
        if len(points) < 2:
            continue
        figure, axis = pyplot.subplots(figsize=(4.5, 3.2), dpi=100)
        axis.loglog([f for f, _s in points], [s * 1000 for _f, s in points], "o-", label="ms")
        counted = [(f, q) for f, q in zip(row["factors"], row["queries"], strict=True) if q]
        if counted:
            axis.loglog([f for f, _q in counted], [q for _f, q in counted], "s--", label="queries")
        first_f, first_s = points[0]
        slope = GOALS[row["kind"]]
        axis.loglog(
            [f for f, _s in points],
            [first_s * 1000 * (f / first_f) ** slope for f, _s in points],
            ":",
            color="grey",
            label=f"goal: exponent {slope}",
        )
        axis.set_title(f"{row['path']} (exponent {row['exponent']})", fontsize=9)
        axis.set_xlabel(f"size ({TIMES} {base})", fontsize=8)
        axis.legend(fontsize=7)
        axis.tick_params(labelsize=7)
        figure.tight_layout()
        path = folder / f"scale-{row['benchmark']}-{row['path'].split(',')[-1].strip()}.png"
        path = path.with_name(path.name.replace(" ", "-").replace("(", "").replace(")", ""))
        figure.savefig(path)
        pyplot.close(figure)
        written.append(path)
    return written


def run_size(database, config, base, factor, prepare_database, only=None, orders=20):
    """Seed the size if needed, then each benchmark in a child process: ``{name: results}``
    with ``peak_rss_mb`` of that process."""
    prepare_database(
        database,
        config,
        base,
        seed_argv=["--scale-seed", database, base, str(factor), config],
    )
    results = {}
    out = ROOT / "var" / "bench" / "scale"
    out.mkdir(parents=True, exist_ok=True)
    for name in only or sorted(BENCHMARKS):
        target = out / f"{database}-{name}.json"
        cmd = [sys.executable, str(ROOT / "scripts" / "benchmarks"), "-d", database, "-c", config]
        cmd += ["--only", name, "--orders", str(orders), "--output", str(target)]
        print(f"[scale] x{factor} {name}", flush=True)
        started = time.perf_counter()
        done = subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
        if done.returncode or not target.exists():
            results[name] = {"error": f"exit status {done.returncode}"}
            continue
        results[name] = json.loads(target.read_text()).get(name, {})
        results[name]["peak_rss_mb"] = json.loads(target.read_text()).get("peak_rss_mb")
        results[name]["wall_seconds"] = round(time.perf_counter() - started, 1)
    return results


def main(args, prepare_database):
    runs = {}
    for factor in args.factors:
        database = f"sales_bench_{args.scale_base}_x{factor}"
        runs[factor] = run_size(
            database, args.config, args.scale_base, factor, prepare_database, args.only,
            args.orders,
        )  # fmt: skip
    rows = curves(runs)
    out = ROOT / "var" / "bench"
    report = {"base": args.scale_base, "factors": list(args.factors), "runs": runs, "paths": rows}
    (out / "scale.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    plots = plot(rows, out / "scale", args.scale_base)
    print(table(rows, args.scale_base))
    print(f"[scale] var/bench/scale.json, {len(plots)} plots in var/bench/scale/", flush=True)
    return 0
