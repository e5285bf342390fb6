"""Benchmarks of the suite's hot paths on a bench-size database.

The runner: ``scripts/bench [-d sales_bench] [--size bench] [--only NAME ...] [--peers]`` runs
``python3 scripts/benchmarks``, which makes the bench database on first use.
``scripts/bench --scale [--scale-base tiny|bench]`` runs them at three sizes (``scale.py``).
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

if not __package__:  # run as ``python3 scripts/benchmarks``: Python put its folder on the path
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import preflight

# each addon's module registers its benchmarks when imported
from benchmarks import (  # noqa: F401
    BENCHMARKS,
    PEER_BENCHMARKS,
    ROOT,
    approval_page,
    assistant,
    compliance,
    compliance_dry_run,
    contracts,
    robot_outbox,
    scale,
    targets,
    whatif,
    work_report_team,
    work_reports,
)
from benchmarks.peers import prepare_peers

SUITE = ",".join(preflight.SUITE)


def prepare_database(db, config, size, seed_argv=None):
    """Create, install and seed the bench database once; return the seed time if it ran.
    ``seed_argv``: this runner's arguments that seed it instead (a scaled size)."""
    params = preflight.ensure_postgres(config)
    state = preflight.db_state(params, db)
    if state == "half-seeded":
        print(f"[bench] {db} holds a seed that did not finish: starting over", flush=True)
        preflight.drop_db(params, db)
        state = "absent"
    if state in ("absent", "empty"):
        print(f"[bench] installing {SUITE} into {db} (no demo data)", flush=True)
        cmd = [str(ROOT / "scripts" / "odoo"), "-d", db, "-i", SUITE, "--without-demo=all"]
        cmd += ["--stop-after-init", "--log-level=warn"]
        subprocess.run(cmd, check=True)
    if state == "seeded":
        print(f"[bench] {db} was seeded before", flush=True)
        return None
    started = time.perf_counter()
    cmd = [sys.executable, str(ROOT / "scripts" / "seed"), "-c", config, "-d", db, "--size", size]
    if seed_argv:
        cmd = [sys.executable, str(ROOT / "scripts" / "benchmarks"), *seed_argv]
    result = subprocess.run(cmd, check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)
    return round(time.perf_counter() - started, 1)


def open_env(db, config):
    import odoo  # noqa: PLC0415

    if not odoo.tools.config.get("db_name"):  # Odoo's configuration parses once a process
        odoo.tools.config.parse_config(
            ["-c", config, f"--addons-path={ROOT / 'addons'}", "-d", db, "--log-level=warn"]
        )
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), cr


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--scale-seed"]:  # a child of --scale: seed a scaled size
        return scale.seed_scaled(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", help="default: sales_bench, or sales_bench_SIZE")
    parser.add_argument("--size", default="bench", help="seed size of a new database")
    parser.add_argument("-c", "--config", default=str(preflight.DEFAULT_CONFIG))
    parser.add_argument("--orders", type=int, default=200, help="orders to confirm")
    parser.add_argument(
        "--only", nargs="*", choices=sorted(BENCHMARKS | PEER_BENCHMARKS), default=None
    )
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also measure OCA's sale_exception and commission settlement on a copy of the "
        "bench database (<database>_peers) with those modules installed",
    )
    parser.add_argument("--output", help="results file (default var/bench/results.json)")
    parser.add_argument(
        "--scale", action="store_true", help="every benchmark at three sizes, with growth curves"
    )
    parser.add_argument("--scale-base", default="tiny", help="seed size of factor 1 (--scale)")
    parser.add_argument("--factors", type=int, nargs="+", default=list(scale.FACTORS))
    args = parser.parse_args(argv)
    if args.scale:
        try:
            preflight.check_odoo()
            return scale.main(args, prepare_database)
        except preflight.PreflightError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        preflight.check_odoo()
        if not args.database:
            suffix = "" if args.size == "bench" else f"_{args.size}"
            args.database = f"sales_bench{suffix}"
        seed_seconds = prepare_database(args.database, args.config, args.size)
        selected = args.only or sorted(BENCHMARKS) + (sorted(PEER_BENCHMARKS) * args.peers)
        ours = [name for name in selected if name in BENCHMARKS]
        theirs = [name for name in selected if name in PEER_BENCHMARKS]
        peers = prepare_peers(args.database, args.config) if theirs else None
    except preflight.PreflightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = {"database": args.database, "seed_seconds": seed_seconds}
    env, cr = open_env(args.database, args.config)
    try:
        for name in ours:
            print(f"[bench] {name}", flush=True)
            kwargs = {"orders": args.orders} if name == "compliance_confirm" else {}
            results[name] = BENCHMARKS[name](env, **kwargs)
            cr.rollback()  # every benchmark leaves the database as it found it
    finally:
        cr.rollback()
        cr.close()
    if peers:
        env, cr = open_env(peers, args.config)
        results["peers"] = {"database": peers}
        try:
            for name in theirs:
                print(f"[bench] {name} ({peers})", flush=True)
                kwargs = {"orders": args.orders} if name.startswith("confirm") else {}
                results["peers"][name] = PEER_BENCHMARKS[name](env, **kwargs)
                cr.rollback()
        finally:
            cr.rollback()
            cr.close()
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    output = Path(args.output) if args.output else ROOT / "var" / "bench" / "results.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
