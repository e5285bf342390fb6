#!/usr/bin/env python3
"""Benchmarks of the suite's hot paths on a bench-size database.

The database (default `sales_bench`) is created on first use: the three addons without demo
data, then `seed.py --size bench`, whose time is recorded. Each benchmark reports wall time and
query counts; results go to stdout as a table and to var/bench/results.json.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import preflight  # noqa: E402

SUITE = ",".join(preflight.SUITE)


def prepare_database(db, config, size):
    """Create, install and seed the bench database once; return the seed time if it ran."""
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
    cmd = [sys.executable, str(ROOT / "scripts" / "seed.py"), "-c", config, "-d", db]
    result = subprocess.run([*cmd, "--size", size], check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)
    return round(time.perf_counter() - started, 1)


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


def month_ranges(months):
    """The last `months` calendar months, the current one included, oldest first."""
    from odoo.fields import Date  # noqa: PLC0415
    from odoo.tools import date_utils  # noqa: PLC0415

    start = date_utils.start_of(Date.today(), "month")
    ranges = []
    for back in range(months - 1, -1, -1):
        first = date_utils.subtract(start, months=back)
        ranges.append((first, date_utils.end_of(first, "month")))
    return ranges


@benchmark("compliance_confirm")
def bench_compliance_confirm(env, orders=200, lines=50):
    """Confirm orders of 50 lines with 20 active rules against the same orders without rules."""
    from odoo import Command  # noqa: PLC0415

    rules = []
    for i in range(5):
        rules += [
            {"condition_type": "domain", "domain": f"[('amount_untaxed', '>', {10**12 + i})]"},
            {"condition_type": "python", "python_code": f"record.amount_total < -{i}"},
            {
                "condition_type": "domain",
                "apply_on_lines": True,
                "domain": f"[('discount', '>', {95 + i})]",
            },
            {
                "condition_type": "python",
                "apply_on_lines": True,
                "python_code": f"line.price_unit < -{i}",
            },
        ]
    bench_rules = env["sales.compliance.rule"].create(
        [
            dict(
                vals,
                name=f"Bench rule {n}",
                model_name="sale.order",
                trigger="confirm",
                outcome="block",
            )
            for n, vals in enumerate(rules)
        ]
    )
    reps = seed_reps(env)
    customers = env["res.partner"].search(
        [("customer_rank", ">", 0), ("parent_id", "=", False)], limit=orders
    )
    products = env["product.product"].search([("sale_ok", "=", True)], limit=lines * 4)
    drafts = (
        env["sale.order"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "partner_id": customers[i % len(customers)].id,
                    "user_id": (customers[i % len(customers)].user_id or reps[i % len(reps)]).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": products[(i + j) % len(products)].id,
                                "product_uom_qty": 1 + j % 3,
                            }
                        )
                        for j in range(lines)
                    ],
                }
                for i in range(orders)
            ]
        )
    )
    small = drafts[0].copy(
        {
            "order_line": [
                Command.create({"product_id": products[0].id, "product_uom_qty": 1})
                for _j in range(5)
            ]
        }
    )
    env.flush_all()

    def confirm(order):
        # a record of its own, as in the web client: browsed from `drafts`, its prefetch set
        # would make Odoo read and compute every draft at each confirmation
        order = order.browse(order.id)
        env.cr.execute("SAVEPOINT bench_confirm")
        env.invalidate_all()
        with CursorCounter() as cursors, Measure(env) as measure:
            order.action_confirm()
        assert order.state == "sale", order.state
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_confirm")
        env.invalidate_all()
        return measure.seconds, measure.queries, cursors.opened

    def rules_on(active):
        """Switch the 20 rules (which clears the rule cache), then warm every cache up."""
        bench_rules.write({"active": active})
        confirm(small)

    with_rules, without = [], []
    for i, order in enumerate(drafts):
        pair = [(with_rules, True), (without, False)]
        for bucket, active in pair if i % 2 == 0 else reversed(pair):
            rules_on(active)
            bucket.append(confirm(order))
    rules_on(True)
    small_with = confirm(small)[1]
    rules_on(False)
    small_without = confirm(small)[1]
    overhead_small = small_with - small_without
    queries_with = statistics.median_high(q for _s, q, _c in with_rules)
    queries_without = statistics.median_high(q for _s, q, _c in without)
    seconds_with = sum(s for s, _q, _c in with_rules)
    seconds_without = sum(s for s, _q, _c in without)
    return {
        "orders": orders,
        "lines_per_order": lines,
        "rules": len(rules),
        "seconds_with_rules": round(seconds_with, 2),
        "seconds_without_rules": round(seconds_without, 2),
        "ratio": round(seconds_with / seconds_without, 3),
        "queries_per_confirmation_with_rules": queries_with,
        "queries_per_confirmation_without_rules": queries_without,
        "rule_query_overhead_5_lines": overhead_small,
        "rule_query_overhead_50_lines": queries_with - queries_without,
        "extra_cursors_per_confirmation": max(c for _s, _q, c in with_rules),
    }


@benchmark("ownership_release")
def bench_ownership_release(env):
    """The ownership cron over every customer: all owned, created long ago, many stale."""
    customers = env["res.partner"].search([("customer_rank", ">", 0), ("parent_id", "=", False)])
    reps = seed_reps(env)
    env.cr.execute(
        """UPDATE res_partner SET create_date = now() - interval '400 days',
                  user_id = COALESCE(user_id, %s)
            WHERE id = ANY(%s)""",
        (reps[0].id, customers.ids),
    )
    env["ir.config_parameter"].set_param("sales_compliance.release_days", 90)
    env.invalidate_all()
    with CursorCounter() as cursors, Measure(env) as measure:
        released = env["res.partner"]._compliance_release_stale_owners(batch_size=500)
    return {
        "customers_checked": len(customers),
        "released": released,
        "seconds": round(measure.seconds, 2),
        "queries": measure.queries,
        "extra_cursors": cursors.opened,
    }


TARGET_METRICS = (
    "metric_revenue",
    "metric_invoiced",
    "metric_margin",
    "metric_collected",
    "metric_new_customers",
    "metric_won_opportunities",
)


def make_plan(env, reps, ranges, metrics):
    """A draft monthly plan with one target per rep, month and metric."""
    from odoo import Command  # noqa: PLC0415

    plan = env["sales.target.plan"].create(
        {
            "name": f"Bench plan {len(reps)} reps",
            "date_from": ranges[0][0],
            "date_to": ranges[-1][1],
            "periodicity": "month",
            "metric_ids": [Command.set(metrics.ids)],
        }
    )
    Target = env["sales.target"].with_context(tracking_disable=True)
    vals = [
        {
            "plan_id": plan.id,
            "metric_id": metric.id,
            "assignee_type": "user",
            "user_id": rep.id,
            "date_from": first,
            "date_to": last,
            "target_value": 100000.0,
        }
        for rep in reps
        for first, last in ranges
        for metric in metrics
    ]
    for start in range(0, len(vals), 2000):
        Target.create(vals[start : start + 2000])
    env.flush_all()
    return plan


@benchmark("targets_achievement")
def bench_targets_achievement(env, reps=200, months=12):
    """Recompute every achievement: 200 reps x 12 months x 6 metrics.

    The targets are committed first, as the cron finds them. (PostgreSQL checks every foreign
    key again when a row written in the same transaction is updated: measuring in the creating
    transaction would time seven checks per target that never happen in production.) The bench
    plans are deleted afterwards.
    """
    metrics = env["sales.target.metric"].browse(
        [env.ref(f"sales_targets.{xmlid}").id for xmlid in TARGET_METRICS]
    )
    all_reps = seed_reps(env, limit=reps)
    results = {"reps": len(all_reps), "months": months, "metrics": len(metrics)}
    try:
        for label, subset in (("quarter", all_reps[: len(all_reps) // 4]), ("all", all_reps)):
            plan = make_plan(env, subset, month_ranges(months), metrics)
            env.cr.commit()
            env.invalidate_all()
            with Measure(env) as measure:
                plan._recompute_achievements()
            results[f"targets_{label}"] = len(plan.target_ids)
            results[f"seconds_{label}"] = round(measure.seconds, 2)
            results[f"queries_{label}"] = measure.queries
            env.cr.commit()
            env.invalidate_all()
            with Measure(env) as measure:
                plan._recompute_achievements()
            results[f"seconds_{label}_unchanged"] = round(measure.seconds, 2)
    finally:
        env.cr.rollback()
        drop_bench_plans(env)
    return results


def drop_bench_plans(env):
    """Delete the bench's committed plans (those of this run, or of a crashed one)."""
    plans = env["sales.target.plan"].search([("name", "=like", "Bench plan %")])
    if plans:
        plans.unlink()
        env.cr.commit()
        env.invalidate_all()


def busiest_month(env):
    """The calendar month with the most confirmed order lines (the seed's year-end push)."""
    from odoo.tools import date_utils  # noqa: PLC0415

    env.cr.execute(
        """SELECT date_trunc('month', so.date_order)::date
             FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
            WHERE so.state = 'sale'
         GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"""
    )
    first = env.cr.fetchone()[0]
    return first, date_utils.end_of(first, "month")


@benchmark("commission_statements")
def bench_commission_statements(env):
    """Every salesperson's statements for the busiest month, on two tiered plans.

    - revenue: one commissionable line per confirmed order (and credit share);
    - product line: a plan on the product-mix metric of the whole seeded catalogue, which
      commissions every order line (提成按产品线), for the 20,000-line figure.
    """
    from odoo import Command  # noqa: PLC0415

    reps = seed_reps(env)
    first, last = busiest_month(env)
    catalogue = env["product.category"].search(
        [("name", "=", "Sales Suite"), ("parent_id", "=", False)], limit=1
    )
    product_line = env["sales.target.metric"].create(
        {
            "name": "Bench product line",
            "metric_type": "product_mix",
            "product_categ_id": catalogue.id,
        }
    )
    revenue = env.ref("sales_targets.metric_revenue")
    plan = make_plan(env, reps, [(first, last)], revenue | product_line)
    plan.action_approve()
    plan._recompute_achievements()
    tiers = [
        Command.create({"from_pct": 0, "to_pct": 80, "rate": 1.0}),
        Command.create({"from_pct": 80, "to_pct": 100, "rate": 2.0}),
        Command.create({"from_pct": 100, "to_pct": 0, "rate": 3.0}),
    ]
    results = {"period": f"{first}..{last}"}
    Statement = env["sales.commission.statement"]
    for label, metric in (("revenue", revenue), ("product_line", product_line)):
        env.cr.execute("SAVEPOINT bench_statements")
        env["sales.commission.scheme"].create(
            {
                "name": f"Bench {label} commission",
                "base": "revenue",
                "metric_id": metric.id,
                "tier_mode": "progressive",
                "tier_ids": tiers,
                "assignment_ids": [Command.create({"user_id": rep.id}) for rep in reps],
            }
        )
        env.invalidate_all()
        with Measure(env) as measure:
            statements = Statement._generate_statements(first, last)
        paid = statements.filtered(lambda st: st.commission_amount > 0)
        results[label] = {
            "statements": len(statements),
            "statements_with_commission": len(paid),
            "commissionable_lines": len(statements.line_ids),
            "seconds": round(measure.seconds, 2),
            "queries": measure.queries,
        }
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_statements")
        env.invalidate_all()
    return results


def open_env(db, config):
    import odoo  # noqa: PLC0415

    odoo.tools.config.parse_config(
        ["-c", config, f"--addons-path={ROOT / 'addons'}", "-d", db, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), cr


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", help="default: sales_bench, or sales_bench_SIZE")
    parser.add_argument("--size", default="bench", help="seed size of a new database")
    parser.add_argument("-c", "--config", default=str(preflight.DEFAULT_CONFIG))
    parser.add_argument("--orders", type=int, default=200, help="orders to confirm")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), default=None)
    args = parser.parse_args(argv)
    try:
        preflight.check_odoo()
        if not args.database:
            suffix = "" if args.size == "bench" else f"_{args.size}"
            args.database = f"sales_bench{suffix}"
        seed_seconds = prepare_database(args.database, args.config, args.size)
    except preflight.PreflightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = {"database": args.database, "seed_seconds": seed_seconds}
    env, cr = open_env(args.database, args.config)
    try:
        for name in args.only or sorted(BENCHMARKS):
            print(f"[bench] {name}", flush=True)
            kwargs = {"orders": args.orders} if name == "compliance_confirm" else {}
            results[name] = BENCHMARKS[name](env, **kwargs)
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
