"""Ours against OCA's modules (``scripts/bench --peers``): the compliance gate against
``sale_exception``, commission statements against ``sale_commission_oca``'s settlement; on a
copy of the bench database with those modules installed."""

import subprocess

import preflight

from . import PEER_BENCHMARKS, ROOT, Measure, benchmark
from .compliance import (
    bench_rule_conditions,
    compare_confirmations,
    make_bench_drafts,
    our_bench_rules,
)
from .targets import bench_commission_statements, busiest_month

PEER_MODULES = ("sale_exception", "sale_commission_oca")


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
