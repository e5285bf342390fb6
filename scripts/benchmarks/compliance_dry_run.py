"""sales_compliance: a rule tried on a year of past orders (the rule's dry-run)."""

from . import Measure, benchmark


@benchmark("rule_dry_run")
def bench_rule_dry_run(env):
    """A discount ceiling rule, not yet active, tried on the orders confirmed in the last
    12 months, in batches through the engine's own evaluation, nothing written but the
    results."""
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415

    rule = env["sales.compliance.rule"].create(
        {
            "name": "Bench dry-run: discount ceiling",
            "model_name": "sale.order",
            "trigger": "confirm",
            "check": "discount_ceiling",
            "outcome": "block",
            "active": False,
        }
    )
    today = env.company._sales_today()
    dry_run = env["sales.compliance.rule.dry.run"].create(
        {"rule_id": rule.id, "date_from": today - relativedelta(months=12), "date_to": today}
    )
    violations = env["sales.compliance.violation"].search_count([])
    env.invalidate_all()
    with Measure(env) as measure:
        dry_run.action_run()
    assert env["sales.compliance.violation"].search_count([]) == violations
    return {
        "records": dry_run.record_count,
        "blocked": dry_run.block_count,
        "already_caught": dry_run.caught_count,
        "seconds": round(measure.seconds, 2),
        "queries": measure.queries,
    }
