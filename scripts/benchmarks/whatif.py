"""sales_targets: the commission what-if, three scenarios replayed on the last 12 months."""

from . import Measure, benchmark, seed_reps
from .targets import make_plan


@benchmark("whatif_replay")
def bench_whatif_replay(env):
    """Every rep, the last 12 months (up to last month), the actual version and 3 scenarios
    of a progressive revenue scheme with monthly revenue targets. Goal: under 5 s for about
    200 reps. Rolled back by the runner."""
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415

    from odoo import Command  # noqa: PLC0415

    reps = seed_reps(env)
    company = env.company
    this_month = company._sales_today().replace(day=1)
    ranges = []
    for back in range(12, 0, -1):
        first = this_month - relativedelta(months=back)
        ranges.append((first, first + relativedelta(months=1, days=-1)))
    revenue = env.ref("sales_targets.metric_revenue")
    plan = make_plan(env, reps, ranges, revenue)
    plan.action_approve()
    Scheme = env["sales.commission.scheme"]
    scheme = Scheme.create(
        {
            "name": "Bench what-if commission",
            "base": "revenue",
            "tier_mode": "progressive",
            "tier_ids": [
                Command.create({"from_pct": 0, "to_pct": 80, "rate": 1.0}),
                Command.create({"from_pct": 80, "to_pct": 100, "rate": 2.0}),
                Command.create({"from_pct": 100, "to_pct": 0, "rate": 3.0}),
            ],
            "assignment_ids": [Command.create({"user_id": rep.id}) for rep in reps],
        }
    )
    scenarios = Scheme
    for rate in (3.5, 4.0, 5.0):
        scenario = Scheme.browse(scheme.action_new_scenario()["res_id"])
        scenario.tier_ids.filtered(lambda t: t.from_pct == 100).rate = rate
        scenarios |= scenario
    whatif = env["sales.commission.whatif"].create(
        {
            "name": "Bench what-if",
            "scheme_id": scheme.id,
            "scenario_ids": [Command.set(scenarios.ids)],
            "period_kind": "last_12_months",
            "coverage": "all",
        }
    )
    env.invalidate_all()
    with Measure(env) as measure:
        whatif.action_run()
    return {
        "reps": len(reps),
        "months": len(ranges),
        "scenarios": len(scenarios),
        "lines": len(whatif.line_ids),
        "seconds": round(measure.seconds, 2),
        "queries": measure.queries,
    }
