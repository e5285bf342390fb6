#!/usr/bin/env python3
"""Benchmarks of the suite's hot paths on a bench-size database.

The database (default `sales_bench`) is created on first use: the three addons without demo
data, then `seed.py --size bench`, whose time is recorded. Each benchmark reports wall time and
query counts; results go to stdout as a table and to var/bench/results.json.
"""

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = "sales_compliance,sales_targets,sales_assistant"
sys.path.insert(0, str(ROOT / "scripts"))

import preflight  # noqa: E402


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare_database(db, config):
    """Create, install and seed the bench database once; return the seed time if it ran."""
    params = preflight.ensure_postgres(config)
    state = preflight.db_state(params, db)
    if state != "installed":
        print(f"[bench] installing {SUITE} into {db} (no demo data)", flush=True)
        cmd = [str(ROOT / "scripts" / "odoo"), "-d", db, "-i", SUITE, "--without-demo=all"]
        cmd += ["--stop-after-init", "--log-level=warn"]
        subprocess.run(cmd, check=True)
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "seed.py"),
            "-c",
            config,
            "-d",
            db,
            "--size",
            "bench",
        ],
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.returncode)
    return time.perf_counter() - started


class Measure:
    """Wall time and SQL query count of a block, on the environment's cursor."""

    def __init__(self, env):
        self.env = env

    def __enter__(self):
        self.env.flush_all()
        self.queries = self.env.cr.sql_log_count
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.env.flush_all()
        self.seconds = time.perf_counter() - self.started
        self.queries = self.env.cr.sql_log_count - self.queries
        return False


BENCHMARKS = {}


def benchmark(name):
    def register(func):
        BENCHMARKS[name] = func
        return func

    return register


def open_env(db, config):
    import odoo  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", config, f"--addons-path={ROOT / 'addons'}", "-d", db])
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), cr


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", default="sales_bench")
    parser.add_argument("-c", "--config", default=str(preflight.DEFAULT_CONFIG))
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), default=None)
    args = parser.parse_args(argv)
    try:
        preflight.check_odoo()
        seed_seconds = prepare_database(args.database, args.config)
    except preflight.PreflightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = {"seed_seconds": round(seed_seconds, 1)}
    env, cr = open_env(args.database, args.config)
    try:
        for name in args.only or sorted(BENCHMARKS):
            print(f"[bench] {name}", flush=True)
            results[name] = BENCHMARKS[name](env)
            cr.rollback()  # every benchmark leaves the database as it found it
    finally:
        cr.rollback()
        cr.close()
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
