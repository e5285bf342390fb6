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
PEER_BENCHMARKS = {}  # run with --peers, on a copy of the bench database with OCA's modules
PEER_MODULES = ("sale_exception", "sale_commission_oca")


def benchmark(name, registry=BENCHMARKS):
    def register(func):
        registry[name] = func
        return func

    return register


def prepare_peers(db, config):
    """``<db>_peers``: the bench database copied once, with OCA's peer modules installed.

    A copy, so that the figures of the bench database itself stay those of our addons alone;
    the same data, so that ours and theirs are measured on the same orders and invoices.
    """
    params = preflight.ensure_postgres(config)
    peers = f"{db}_peers"
    if preflight.db_state(params, peers) == "absent":
        print(f"[bench] copying {db} to {peers}", flush=True)
        conn = preflight.connect(params)
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{peers}" TEMPLATE "{db}"')
        conn.close()
    conn = preflight.connect(params, peers)
    with conn, conn.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name IN %s",
            (PEER_MODULES,),
        )
        installed = cr.fetchone()[0] == len(PEER_MODULES)
    conn.close()
    if not installed:
        print(f"[bench] installing {', '.join(PEER_MODULES)} into {peers}", flush=True)
        cmd = [str(ROOT / "scripts" / "odoo"), "-d", peers, "-i", ",".join(PEER_MODULES)]
        subprocess.run([*cmd, "--stop-after-init", "--log-level=warn"], check=True)
    return peers


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


def bench_rule_conditions():
    """20 passing rules: 5 each of order domain, order expression, line domain, line expression.

    Yields (kind, on lines, i): the same conditions serve our rules and OCA's exception rules.
    """
    for i in range(5):
        for kind, on_lines in (
            ("domain", False),
            ("python", False),
            ("domain", True),
            ("python", True),
        ):
            yield kind, on_lines, i


def our_bench_rules(env):
    conditions = {
        ("domain", False): lambda i: {"domain": f"[('amount_untaxed', '>', {10**12 + i})]"},
        ("python", False): lambda i: {"python_code": f"record.amount_total < -{i}"},
        ("domain", True): lambda i: {"domain": f"[('discount', '>', {95 + i})]"},
        ("python", True): lambda i: {"python_code": f"line.price_unit < -{i}"},
    }
    return env["sales.compliance.rule"].create(
        [
            dict(
                conditions[kind, on_lines](i),
                condition_type=kind,
                apply_on_lines=on_lines,
                name=f"Bench rule {n}",
                model_name="sale.order",
                trigger="confirm",
                outcome="block",
            )
            for n, (kind, on_lines, i) in enumerate(bench_rule_conditions())
        ]
    )


def make_bench_drafts(env, orders, lines):
    """``orders`` draft orders of ``lines`` lines, and a 5-line one to warm caches up."""
    from odoo import Command  # noqa: PLC0415

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
    return drafts, small


def confirm_measured(env, order):
    """Confirm one order, measured, and undo it: (seconds, queries, cursors opened).

    A record of its own, as in the web client: browsed from the drafts, its prefetch set
    would make Odoo read and compute every draft at each confirmation. Confirmed by its
    salesperson, as in the web client: rules run with the rights of the user who confirms
    (as superuser, Odoo's own portal and payment paths, they run as the salesperson, which
    costs each salesperson's access caches once).
    """
    order = order.with_user(order.user_id).browse(order.id)
    env.cr.execute("SAVEPOINT bench_confirm")
    env.invalidate_all()
    with CursorCounter() as cursors, Measure(env) as measure:
        order.action_confirm()
    assert order.state == "sale", order.state
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_confirm")
    env.invalidate_all()
    return measure.seconds, measure.queries, cursors.opened


def compare_confirmations(env, drafts, small, switch):
    """Each draft confirmed with the rules on and off (alternating which goes first).

    ``switch(active)`` turns the rules on or off; the small order is then confirmed once so
    that every cache is warm again.
    """
    with_rules, without = [], []
    for i, order in enumerate(drafts):
        pair = [(with_rules, True), (without, False)]
        for bucket, active in pair if i % 2 == 0 else reversed(pair):
            switch(active)
            confirm_measured(env, small)
            bucket.append(confirm_measured(env, order))
    switch(True)
    confirm_measured(env, small)
    small_with = confirm_measured(env, small)[1]
    switch(False)
    confirm_measured(env, small)
    small_without = confirm_measured(env, small)[1]
    queries_with = statistics.median_high(q for _s, q, _c in with_rules)
    queries_without = statistics.median_high(q for _s, q, _c in without)
    seconds_with = sum(s for s, _q, _c in with_rules)
    seconds_without = sum(s for s, _q, _c in without)
    return {
        "seconds_with_rules": round(seconds_with, 2),
        "seconds_without_rules": round(seconds_without, 2),
        "ratio": round(seconds_with / seconds_without, 3),
        "ms_added_per_confirmation": round(
            1000 * (seconds_with - seconds_without) / len(drafts), 1
        ),
        "queries_per_confirmation_with_rules": queries_with,
        "queries_per_confirmation_without_rules": queries_without,
        "rule_query_overhead_5_lines": small_with - small_without,
        "rule_query_overhead_50_lines": queries_with - queries_without,
        "extra_cursors_per_confirmation": max(c for _s, _q, c in with_rules),
    }


@benchmark("compliance_confirm")
def bench_compliance_confirm(env, orders=200, lines=50):
    """Confirm orders of 50 lines with 20 active rules against the same orders without rules."""
    bench_rules = our_bench_rules(env)
    drafts, small = make_bench_drafts(env, orders, lines)
    # switching the rules clears the rule cache
    result = compare_confirmations(env, drafts, small, lambda on: bench_rules.write({"active": on}))
    return {"orders": orders, "lines_per_order": lines, "rules": len(bench_rules), **result}


@benchmark("confirm_vs_sale_exception", PEER_BENCHMARKS)
def bench_confirm_vs_sale_exception(env, orders=200, lines=50):
    """Ours and OCA's ``sale_exception``, each with 20 equivalent passing rules, on the same
    orders, each as a ratio to confirming with no rules at all.

    The drafts are committed first (and deleted at the end): ``sale_exception`` reads the
    orders again through a cursor of its own, which cannot see uncommitted ones.
    """
    ours = our_bench_rules(env)
    code = {
        ("domain", False): lambda i: {"domain": f"[('amount_untaxed', '>', {10**12 + i})]"},
        ("python", False): lambda i: {"code": f"failed = self.amount_total < -{i}"},
        ("domain", True): lambda i: {"domain": f"[('discount', '>', {95 + i})]"},
        ("python", True): lambda i: {"code": f"failed = self.price_unit < -{i}"},
    }
    theirs = env["exception.rule"].create(
        [
            dict(
                code[kind, on_lines](i),
                name=f"Bench exception {n}",
                model="sale.order.line" if on_lines else "sale.order",
                exception_type="by_domain" if kind == "domain" else "by_py_code",
            )
            for n, (kind, on_lines, i) in enumerate(bench_rule_conditions())
        ]
    )
    (env["exception.rule"].search([]) - theirs).write({"active": False})
    drafts, small = make_bench_drafts(env, orders, lines)
    env.cr.commit()
    try:
        theirs.write({"active": False})
        ours_result = compare_confirmations(
            env, drafts, small, lambda on: ours.write({"active": on})
        )
        ours.write({"active": False})
        theirs_result = compare_confirmations(
            env, drafts, small, lambda on: theirs.write({"active": on})
        )
    finally:
        env.cr.rollback()
        (drafts | small).with_context(tracking_disable=True).unlink()
        ours.unlink()
        theirs.unlink()
        env.cr.commit()
    return {
        "orders": orders,
        "lines_per_order": lines,
        "rules": len(ours),
        "ours": ours_result,
        "sale_exception": theirs_result,
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


@benchmark("statements_vs_oca_settlement", PEER_BENCHMARKS)
def bench_statements_vs_oca_settlement(env):
    """Commissions of the busiest month: our statements against OCA's settlement wizard.

    On the same posted invoices, one agent per salesperson (their partner), with a flat plan
    (5%) and a tiered one (OCA: sections on the line amount; ours: progressive tiers on the
    achievement), both settled as ``sale_invoice``. The agent lines OCA computes when an
    invoice is created are made here for each plan, outside the measure: the seed's invoices
    predate the module.
    """
    from datetime import timedelta  # noqa: PLC0415

    from odoo import Command  # noqa: PLC0415

    first, last = busiest_month(env)
    ours = bench_commission_statements(env)
    lines = env["account.move.line"].search(
        [
            ("move_id.move_type", "=", "out_invoice"),
            ("move_id.state", "=", "posted"),
            ("move_id.invoice_date", ">=", first),
            ("move_id.invoice_date", "<=", last),
            ("display_type", "=", "product"),
        ]
    )
    plans = {
        "flat": {"commission_type": "fixed", "fix_qty": 5.0},
        "tiered": {
            "commission_type": "section",
            "section_ids": [
                Command.create({"amount_from": 0, "amount_to": 1000, "percent": 1.0}),
                Command.create({"amount_from": 1000, "amount_to": 5000, "percent": 2.0}),
                Command.create({"amount_from": 5000, "amount_to": 10**9, "percent": 3.0}),
            ],
        },
    }
    results = {"period": f"{first}..{last}", "invoice_lines": len(lines), "ours": ours}
    for label, values in plans.items():
        # each plan from a clean transaction (a savepoint left OCA's second run empty-handed)
        env.cr.rollback()
        env.invalidate_all()
        plan = env["commission"].create(
            {"name": f"Bench {label}", "settlement_type": "sale_invoice", **values}
        )
        salespeople = lines.move_id.invoice_user_id
        salespeople.partner_id.write(
            {"agent": True, "settlement": "monthly", "commission_id": plan.id}
        )
        env["account.invoice.line.agent"].create(
            [
                {
                    "object_id": line.id,
                    "agent_id": line.move_id.invoice_user_id.partner_id.id,
                    "commission_id": plan.id,
                }
                for line in lines
                if line.move_id.invoice_user_id
            ]
        )
        wizard = env["commission.make.settle"].create(
            {"date_to": last + timedelta(days=1), "settlement_type": "sale_invoice"}
        )
        env.invalidate_all()
        with Measure(env) as measure:
            wizard.action_settle()
        settled = env["commission.settlement.line"].search_count([])
        results[f"oca_{label}"] = {
            "settlement_lines": settled,
            "seconds": round(measure.seconds, 2),
            "queries": measure.queries,
            "seconds_per_1000_lines": round(1000 * measure.seconds / max(settled, 1), 3),
        }
    env.cr.rollback()
    env.invalidate_all()
    return results


# --- sales_assistant: "My day" and the morning digest (issue #10) ---------------------------
def make_my_day_activities(env, reps, per_rep=30):
    """A working month of activities for ``reps``, inserted with SQL (the seed makes none).

    Per rep: calls due over the last and next days (a third of them overdue), planned visits,
    and done visits over the last 30 days on their open opportunities. The CRM stages get a
    visit cadence (1, 2, 3 visits a week), so that opportunities fall behind on visits.
    """
    stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence, id")
    for frequency, stage in enumerate(stages, start=1):
        stage.visit_frequency = min(frequency, 3)
    visit = env["mail.activity"]._sales_visit_type()
    call = env.ref("mail.mail_activity_data_call")
    env.flush_all()
    env.cr.execute(
        """
        WITH opp AS (
            SELECT l.id, l.user_id, l.name,
                   ROW_NUMBER() OVER (PARTITION BY l.user_id ORDER BY l.id) AS n
              FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND l.type = 'opportunity' AND s.is_won IS NOT TRUE
               AND l.user_id = ANY(%(reps)s)
        )
        INSERT INTO mail_activity
               (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                user_id, date_deadline, active, date_done, visit_outcome,
                create_uid, write_uid, create_date, write_date)
        SELECT %(model)s, 'crm.lead', opp.id, opp.name,
               CASE WHEN mod(g, 3) = 0 THEN %(call)s ELSE %(visit)s END,
               'Bench', opp.user_id,
               CURRENT_DATE + (mod(g, 10)) - 6,
               NOT (mod(g, 3) <> 0 AND mod(g, 2) = 0),
               CASE WHEN mod(g, 3) <> 0 AND mod(g, 2) = 0 THEN CURRENT_DATE - (mod(g, 30)) END,
               CASE WHEN mod(g, 3) <> 0 AND mod(g, 2) = 0 THEN 'Met the buyer' END,
               1, 1, now(), now()
          FROM opp CROSS JOIN generate_series(1, %(per_rep)s) g
         WHERE opp.n = 1 + (mod(g, 10))
        """,
        {
            "reps": reps.ids,
            "model": env["ir.model"]._get_id("crm.lead"),
            "call": call.id,
            "visit": visit.id,
            "per_rep": per_rep,
        },
    )
    env.cr.execute("ANALYZE mail_activity")  # a live database has its statistics
    env.invalidate_all()
    return (
        env["mail.activity"]
        .with_context(active_test=False)
        .search_count([("summary", "=", "Bench")])
    )


@benchmark("my_day")
def bench_my_day(env, runs=5):
    """ "My day" of the busiest rep and of a team leader of 20 reps, as they would ask for it
    (their rights, warm caches of rights, cold records); median and worst of ``runs``."""
    reps = seed_reps(env)
    activities = make_my_day_activities(env, reps)
    leader = env["res.users"].search([("login", "=like", "seed.leader%")], order="id", limit=1)
    team = leader._sales_teams_led()[:1]
    # a team of 20 reps: the seed's teams have 25
    env["crm.team.member"].search([("crm_team_id", "=", team.id)], order="id")[20:].unlink()
    members = team.member_ids
    rep = members[:1]
    results = {"activities": activities, "team_reps": len(members)}
    Day = env["sales.assistant.day"]
    for label, user in (("rep", rep), ("leader", leader)):
        Day.with_user(user).get_my_day()  # rights and translations cached, as on a live server
        times, queries = [], []
        for _run in range(runs):
            env.invalidate_all()
            with Measure(env) as measure:
                day = Day.with_user(user).get_my_day()
            times.append(measure.seconds * 1000)
            queries.append(measure.queries)
        results[f"{label}_items"] = day["count"]
        results[f"{label}_ms_median"] = round(statistics.median(times), 1)
        results[f"{label}_ms_max"] = round(max(times), 1)
        results[f"{label}_queries"] = max(queries)
    return results


@benchmark("digest_cron")
def bench_digest_cron(env, reps=200):
    """The morning digest cron for every salesperson (200 reps, their leaders and managers):
    the first run ever (it opens each person's OdooBot chat), the same cron again the same day
    (nobody gets a second one), and the next day's run (chats already open)."""
    from datetime import timedelta  # noqa: PLC0415

    from odoo import fields  # noqa: PLC0415

    all_reps = seed_reps(env, limit=reps)
    make_my_day_activities(env, all_reps)
    env["ir.config_parameter"].set_param("sales_assistant.digest_enabled", "True")
    env["ir.config_parameter"].set_param("sales_assistant.digest_hour", 0)  # everybody is due
    Digest = env["sales.assistant.digest"]
    Mail = env["mail.mail"]
    results = {}
    now = fields.Datetime.now()
    for label, when in (("first", now), ("rerun", now), ("next_day", now + timedelta(days=1))):
        mails_before = Mail.search_count([])
        env.invalidate_all()
        cpu = time.process_time()
        with Measure(env) as measure:
            people = Digest._send_digests(batch_size=50, now=when)
        results[f"{label}_cpu_seconds"] = round(time.process_time() - cpu, 2)  # this process
        results[f"{label}_people"] = people
        results[f"{label}_emails"] = Mail.search_count([]) - mails_before
        results[f"{label}_seconds"] = round(measure.seconds, 3)
        results[f"{label}_queries"] = measure.queries
    results["digests_sent"] = Digest.search_count([("sent", "=", True)])
    return results


# --- sales_assistant: collection plans (issue #9, section 3) -------------------------------
def make_collection_plans(env, order_filter):
    """A collection plan for the confirmed orders matching ``order_filter`` (SQL on ``so``):
    30% due on the order day, 70% thirty days later, written in SQL (set-up, not measured)."""
    env.flush_all()
    env.cr.execute(
        f"""
        INSERT INTO sales_collection_plan
               (order_id, partner_id, commercial_partner_id, user_id, team_id, company_id,
                currency_id, state, amount_invoiced, amount_credited, amount_paid,
                amount_residual, create_uid, write_uid, create_date, write_date)
        SELECT so.id, so.partner_id, p.commercial_partner_id, so.user_id, so.team_id,
               so.company_id, so.currency_id, 'open', 0, 0, 0, so.amount_total, 1, 1,
               now(), now()
          FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
         WHERE so.state = 'sale' AND so.amount_total > 0 AND {order_filter}
           AND NOT EXISTS (SELECT 1 FROM sales_collection_plan x WHERE x.order_id = so.id)
        RETURNING id
        """
    )
    plan_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        """
        INSERT INTO sales_collection_installment
               (plan_id, order_id, partner_id, commercial_partner_id, user_id, team_id,
                company_id, currency_id, sequence, date_due, amount, method, is_deposit,
                amount_invoiced, amount_credited, amount_paid, amount_residual, state,
                create_uid, write_uid, create_date, write_date)
        SELECT pl.id, pl.order_id, pl.partner_id, pl.commercial_partner_id, pl.user_id,
               pl.team_id, pl.company_id, pl.currency_id, part.seq,
               so.date_order::date + part.days, part.amount, 'bank_transfer', FALSE,
               0, 0, 0, part.amount, 'planned', 1, 1, now(), now()
          FROM sales_collection_plan pl
          JOIN sale_order so ON so.id = pl.order_id
          CROSS JOIN LATERAL (
                VALUES (1, 0, round(so.amount_total * 0.3, 2)),
                       (2, 30, so.amount_total - round(so.amount_total * 0.3, 2))
          ) AS part(seq, days, amount)
         WHERE pl.id = ANY(%s)
        """,
        (plan_ids,),
    )
    env.invalidate_all()
    return plan_ids


def simulate_yesterday(env, yesterday):
    """The state the daily run left yesterday: states moved, yesterday's reminders logged."""
    from odoo.tools import SQL  # noqa: PLC0415

    Plan = env["sales.collection.plan"]
    Plan._collection_open_plans()._collection_refresh(yesterday)
    query = env["sales.collection.reminder"]._collection_candidates_sql(yesterday)
    env.cr.execute(
        SQL(
            """
            INSERT INTO sales_collection_reminder (installment_id, level_id, plan_id, company_id,
                   date, escalated, create_uid, write_uid, create_date, write_date)
            SELECT c.iid, c.lid, i.plan_id, i.company_id, %s, FALSE, 1, 1, now(), now()
              FROM (%s) AS c(iid, lid)
              JOIN sales_collection_installment i ON i.id = c.iid
            """,
            next(iter(yesterday.values())),
            query,
        )
    )
    env.invalidate_all()


@benchmark("collection_cron")
def bench_collection_cron(env):
    """The daily collection cron over a plan for every confirmed order: states of every
    installment, broken promises, the day's reminders; then a rerun with nothing to do.
    Measured with half the plans, then all, to show the queries do not follow the count."""
    from datetime import timedelta  # noqa: PLC0415

    Plan = env["sales.collection.plan"]
    companies = env["res.company"].search([])
    today = Plan._collection_today(companies)
    yesterday = {cid: day - timedelta(days=1) for cid, day in today.items()}
    results = {}
    for label, order_filter in (("half", "so.id % 2 = 0"), ("all", "TRUE")):
        make_collection_plans(env, order_filter)
        simulate_yesterday(env, yesterday)
        installments = env["sales.collection.installment"].search_count([])
        env.invalidate_all()
        mails_before = env["mail.mail"].search_count([])
        with Measure(env) as run:
            sent = Plan._collection_run(batch_size=500, today=today)
        mails = env["mail.mail"].search_count([]) - mails_before
        env.cr.execute("SELECT max(write_date) FROM sales_collection_installment")
        last_write = env.cr.fetchone()[0]
        env.invalidate_all()
        with CursorCounter() as cursors, Measure(env) as rerun:
            resent = Plan._collection_run(batch_size=500, today=today)
        env.cr.execute("SELECT max(write_date) FROM sales_collection_installment")
        results[label] = {
            "installments": installments,
            "reminders_sent": sent,
            "mails": mails,
            "seconds": round(run.seconds, 2),
            "queries": run.queries,
            "rerun_seconds": round(rerun.seconds, 2),
            "rerun_queries": rerun.queries,
            "rerun_sent": resent,
            "rerun_wrote": env.cr.fetchone()[0] != last_write,
            "extra_cursors": cursors.opened,
        }
    return results


# ---------------------------------------------------------------------------
# sales_assistant: guided confirmation
# ---------------------------------------------------------------------------
@benchmark("guided_confirm_screen")
def bench_guided_confirm_screen(env, runs=20, lines=50):
    """Open the guided-confirmation screen of a 50-line quotation as its salesperson, with
    the 20 bench rules active: compliance result, availability of every line, credit and
    deposit. Server time of ``action_confirm_guided`` (nothing is confirmed)."""
    from odoo import Command, fields  # noqa: PLC0415

    our_bench_rules(env)
    drafts, small = make_bench_drafts(env, 2, lines)
    (drafts | small).company_id.assistant_confirm_guide = True
    # the seed sells goods without stock: the orders sell storable products instead, half
    # of them in stock, the other half arriving on a receipt next week
    products = env["product.product"].create(
        [
            {"name": f"Bench stocked product {i}", "is_storable": True, "list_price": 10 + i}
            for i in range(lines)
        ]
    )
    for order in drafts | small:
        for line, product in zip(order.order_line, products, strict=False):
            line.product_id = product
    warehouse = drafts[0].warehouse_id
    for product in products[::2]:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 100)
    receipt = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "scheduled_date": fields.Datetime.add(fields.Datetime.now(), days=7),
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom_qty": 100,
                        "product_uom": product.uom_id.id,
                        "location_id": env.ref("stock.stock_location_suppliers").id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    }
                )
                for product in products[1::2]
            ],
        }
    )
    receipt.action_confirm()
    env.flush_all()
    measures, small_queries = [], []
    for run in range(runs + 1):
        for order in (small, drafts[run % 2]):
            env.invalidate_all()
            order = order.with_user(order.user_id).browse(order.id)
            with CursorCounter() as cursors, Measure(env) as measure:
                action = order.action_confirm_guided()
            assert action["res_model"] == "sale.order.confirm.guide", action
            guide = env["sale.order.confirm.guide"].browse(action["res_id"])
            assert guide.unavailable_count and not guide.line_ids.filtered(
                lambda line: not line.available and not line.available_date
            ), "every line is in stock or arrives on the receipt"
            if not run:  # the first run warms the caches up
                continue
            if order.id == small.id:
                small_queries.append(measure.queries)
            else:
                measures.append((measure.seconds, measure.queries, cursors.opened))
    seconds = sorted(s for s, _q, _c in measures)
    return {
        "lines": lines,
        "runs": runs,
        "median_ms": round(1000 * statistics.median(seconds), 1),
        "max_ms": round(1000 * seconds[-1], 1),
        "queries_50_lines": statistics.median_high(q for _s, q, _c in measures),
        "queries_5_lines": statistics.median_high(small_queries),
        "extra_cursors": max(c for _s, _q, c in measures),
    }


# -- sales_assistant: late deliveries (issue #9 §2) ------------------------------------------


def make_open_deliveries(env, count, days_late=3):
    """One open delivery, past its scheduled date, for ``count`` confirmed orders that have
    none (the seed confirms orders in SQL, without pickings), and the salesperson following
    the order, as Odoo makes them follow their orders. Returns the number of deliveries."""
    env.cr.execute(
        """
        WITH orders AS (
            SELECT o.id, o.name, o.partner_id, o.company_id
              FROM sale_order o
             WHERE o.state = 'sale'
               AND NOT EXISTS (SELECT FROM stock_picking p WHERE p.sale_id = o.id)
             ORDER BY o.id
             LIMIT %(count)s
        )
        INSERT INTO stock_picking (name, origin, picking_type_id, location_id, location_dest_id,
                                   partner_id, sale_id, company_id, state, move_type, priority,
                                   scheduled_date, date, create_uid, create_date, write_uid,
                                   write_date)
        SELECT 'BENCH/OUT/' || o.id, o.name, t.id, t.default_location_src_id,
               t.default_location_dest_id, o.partner_id, o.id, o.company_id, 'assigned',
               'direct', '0', now() - make_interval(days => %(days)s), now(), 1, now(), 1, now()
          FROM orders o
          JOIN LATERAL (SELECT * FROM stock_picking_type
                         WHERE code = 'outgoing' AND company_id = o.company_id
                         ORDER BY sequence, id LIMIT 1) t ON true
        """,
        {"count": count, "days": days_late},
    )
    made = env.cr.rowcount
    env.cr.execute(
        """
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'sale.order', o.id, u.partner_id
          FROM sale_order o
          JOIN res_users u ON u.id = o.user_id
         WHERE o.state = 'sale'
        ON CONFLICT DO NOTHING
        """
    )
    env.invalidate_all()
    return made


@benchmark("late_deliveries")
def bench_late_deliveries(env, small=1000, orders=10000):
    """The late-delivery cron over 10,000 open orders, its query count beside the same cron
    over 1,000 (rolled back), then a rerun with nothing to do."""
    Late = env["sales.late.delivery"].sudo()
    with env.cr.savepoint() as savepoint:
        make_open_deliveries(env, small)
        with Measure(env) as first:
            small_orders = Late._detect_all()
        savepoint.rollback()
    env.invalidate_all()
    made = make_open_deliveries(env, orders)
    activities_before = env["mail.activity"].search_count([])
    cpu = time.process_time()
    with CursorCounter() as cursors, Measure(env) as measure:
        flagged = Late._detect_all()
    cpu = time.process_time() - cpu  # Odoo's side, without PostgreSQL's
    activities = env["mail.activity"].search_count([]) - activities_before
    env.cr.execute("SELECT count(*), max(write_date) FROM sales_late_delivery")
    recorded = env.cr.fetchone()
    activities_before = env["mail.activity"].search_count([])
    with Measure(env) as rerun:
        again = Late._detect_all()
    env.cr.execute("SELECT count(*), max(write_date) FROM sales_late_delivery")
    written = recorded != env.cr.fetchone()
    written = written or env["mail.activity"].search_count([]) != activities_before
    return {
        "orders_small": small_orders,
        "queries_small": first.queries,
        "seconds_small": round(first.seconds, 2),
        "open_orders": made,
        "orders_flagged": flagged,
        "activities_created": activities,
        "seconds": round(measure.seconds, 2),
        "odoo_cpu_seconds": round(cpu, 2),
        "queries": measure.queries,
        "extra_cursors": cursors.opened,
        "rerun_orders": again,
        "rerun_seconds": round(rerun.seconds, 3),
        "rerun_queries": rerun.queries,
        "rerun_wrote_anything": written,
    }


# --- sales_assistant: hand-over (issue 10, section 6) -------------------------------------
def make_handover_holder(env, rep, customers, opportunities):
    """Give ``rep`` ``customers`` customers of their own and ``opportunities`` open
    opportunities on them (outside the measure: the seed does not make hand-overs)."""
    partners = (
        env["res.partner"]
        .sudo()
        .create(
            [
                {
                    "name": f"Hand-over customer {rep.id}-{i}",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": rep.id,
                }
                for i in range(customers)
            ]
        )
    )
    stage = env["crm.stage"].search([("is_won", "=", False)], order="sequence", limit=1)
    env["crm.lead"].sudo().create(
        [
            {
                "name": f"Hand-over deal {i}",
                "type": "opportunity",
                "user_id": rep.id,
                "partner_id": partners[i % customers].id,
                "stage_id": stage.id,
                "probability": 80 if i % 10 == 0 else 30,
            }
            for i in range(opportunities)
        ]
    )
    env.flush_all()


def run_handover(env, rep, successors):
    """Plan, start and finish a hand-over of ``rep`` split over ``successors``."""
    Log = env["sales.handover.log"]
    plan = Log._handover_plan(rep, env.company, "round_robin", successors, 70.0)
    log = Log._handover_start(
        {
            "from_user_id": rep.id,
            "distribution": "round_robin",
            "successor_ids": [(6, 0, successors.ids)],
            "joint_visit_probability": 70.0,
        },
        plan,
    )
    while log.state == "running":
        log._handover_process_batch()
    return log


@benchmark("handover")
def bench_handover(env):
    """A rep holding 2,000 customers and 500 open opportunities handed over to 3
    successors (round robin), as a sales manager; and a rep holding a tenth of that,
    to show that the queries grow per batch, not per record."""
    manager = env.ref("base.user_admin")
    env = env(user=manager)
    reps = seed_reps(env, limit=8)
    big, small, successors = reps[0], reps[1], reps[2:5]
    make_handover_holder(env, big, 2000, 500)
    make_handover_holder(env, small, 200, 50)
    env.invalidate_all()
    with CursorCounter() as cursors_small, Measure(env) as measure_small:
        log_small = run_handover(env, small, successors)
    env.invalidate_all()
    with CursorCounter() as cursors, Measure(env) as measure:
        log = run_handover(env, big, successors)
    return {
        "records": log.line_count,
        "customers": log.customer_count,
        "opportunities": log.opportunity_count,
        "seconds": round(measure.seconds, 2),
        "queries": measure.queries,
        "records_small": log_small.line_count,
        "seconds_small": round(measure_small.seconds, 2),
        "queries_small": measure_small.queries,
        "extra_cursors": cursors.opened + cursors_small.opened,
    }


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
    args = parser.parse_args(argv)
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
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
