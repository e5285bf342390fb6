"""Benchmarks of the suite's hot paths on a bench-size database: ``scripts/bench``.

The database (default `sales_bench`) is created on first use: the three addons without demo
data, then `python3 scripts/seed --size bench`, whose time is recorded. Each benchmark reports
wall time and query counts; results go to stdout as a table and to var/bench/results.json.

The package: this module holds what every benchmark shares (the registry, wall time and query
counts, the cursors opened, the seed's salespeople); one module per addon holds its benchmarks
(``compliance.py``, ``targets.py``, ``assistant.py``, ``contracts.py`` for sales contracts)
and ``peers.py`` measures OCA's modules against ours (``--peers``); ``__main__.py`` makes the
database and runs them.
"""

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


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
PEER_BENCHMARKS = {}  # run with --peers, on a copy of the bench database with OCA's modules


def benchmark(name, registry=BENCHMARKS):
    def register(func):
        registry[name] = func
        return func

    return register


class CursorCounter:
    """Counts the database cursors opened while active (the engine must open none)."""

    def __init__(self):
        import odoo.sql_db  # noqa: PLC0415

        self.cursor_class = odoo.sql_db.Cursor
        self.opened = 0

    def __enter__(self):
        original = self.original = self.cursor_class.__init__
        counter = self

        def counting_init(cursor, *args, **kwargs):
            counter.opened += 1
            original(cursor, *args, **kwargs)

        self.cursor_class.__init__ = counting_init
        return self

    def __exit__(self, *exc):
        self.cursor_class.__init__ = self.original
        return False


def seed_reps(env, limit=None):
    salesman = env.ref("sales_team.group_sale_salesman")
    return env["res.users"].search(
        [("login", "=like", "seed.%"), ("groups_id", "in", salesman.ids), ("share", "=", False)],
        order="id",
        limit=limit,
    )
