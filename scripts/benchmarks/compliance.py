"""sales_compliance: confirming orders through the rules, and the ownership cron."""

import statistics

from . import CursorCounter, Measure, benchmark, seed_reps


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


@benchmark("ownership_release")
def bench_ownership_release(env):
    """The ownership cron over every customer: all owned, created long ago, many stale. The
    owners are told first (the notice, 7 days ahead), then the customers are released."""
    from odoo.addons.sales_compliance.tools.batches import run_batches  # noqa: PLC0415

    customers = env["res.partner"].search([("customer_rank", ">", 0), ("parent_id", "=", False)])
    reps = seed_reps(env)
    env.cr.execute(
        """UPDATE res_partner SET create_date = now() - interval '400 days',
                  user_id = COALESCE(user_id, %s)
            WHERE id = ANY(%s)""",
        (reps[0].id, customers.ids),
    )
    env["ir.config_parameter"].set_param("sales_compliance.release_days", 90)
    env["ir.config_parameter"].set_param("sales_compliance.release_notice_days", 7)
    env.invalidate_all()
    with Measure(env) as notice:
        told = run_batches(env["res.partner"]._compliance_notice_batch, 500)
    env.invalidate_all()
    with CursorCounter() as cursors, Measure(env) as measure:
        released = env["res.partner"]._compliance_release_stale_owners(batch_size=500)
    return {
        "customers_checked": len(customers),
        "told": told,
        "notice_seconds": round(notice.seconds, 2),
        "notice_queries": notice.queries,
        "released": released,
        "seconds": round(measure.seconds, 2),
        "queries": measure.queries,
        "extra_cursors": cursors.opened,
    }
