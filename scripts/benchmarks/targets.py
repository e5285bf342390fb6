"""sales_targets: achievements of a year of targets, and commission statements."""

from . import Measure, benchmark, seed_reps


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
