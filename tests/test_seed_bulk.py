"""The seed's bulk path (``--bulk``, scripts/seed/bulk.py) makes the same data as its ORM path.

The tiny size is seeded twice in one transaction, through the ORM then in bulk, rolled back to a
savepoint in between (the same random draws, the same day), and the aggregates of both runs are
compared, exactly, rounded to the currency. A third bulk run is killed twice (by a hook, right
after a commit) and run again: it continues where it stopped and makes the same data.
"""

import importlib
import sys
from collections import Counter
from pathlib import Path

from odoo.tests import TransactionCase

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"  # the seed package, preflight.py


def _load_seed_module():
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    return importlib.import_module("seed")


def _aggregates(env, seed_mod):
    """What the seed made, without ids: they differ between the runs."""
    env.flush_all()
    rnd = env.company.currency_id.round
    prefix = seed_mod.REF_PREFIX
    customers = env["res.partner"].search([("ref", "=like", f"{prefix}%")])
    orders = env["sale.order"].search([("partner_id", "in", customers.ids)])
    invoices = env["account.move"].search(
        [("partner_id", "in", customers.ids), ("move_type", "=", "out_invoice")]
    )
    receivable = invoices.line_ids.filtered(lambda ln: ln.display_type == "payment_term")
    partials = receivable.matched_credit_ids
    products = env["product.product"].search([("default_code", "=like", f"{prefix}%")])
    quants = env["stock.quant"].search([("product_id", "in", products.ids)])
    facts = {
        "orders": sorted(
            (
                state,
                len(group),
                rnd(sum(group.mapped("amount_untaxed"))),
                rnd(sum(group.mapped("amount_total"))),
            )
            for state in set(orders.mapped("state"))
            for group in [orders.filtered(lambda o, s=state: o.state == s)]
        ),
        "order_lines": (len(orders.order_line), rnd(sum(orders.order_line.mapped("margin")))),
        "delivered": _sum_by(
            orders.order_line, lambda ln: ln.product_id.default_code, "qty_delivered"
        ),
        "invoices": sorted(
            (
                state,
                len(group),
                rnd(sum(group.mapped("amount_total"))),
                rnd(sum(group.mapped("amount_residual"))),
            )
            for state in set(invoices.mapped("payment_state"))
            for group in [invoices.filtered(lambda m, s=state: m.payment_state == s)]
        ),
        "reconciliations": (len(partials), rnd(sum(partials.mapped("amount")))),
        "stock": _sum_by(quants, lambda q: q.product_id.default_code, "quantity"),
        "activities": env["mail.activity"].search_count([]),
    }
    if "sales.compliance.violation" in env:
        violations = env["sales.compliance.violation"].search([])
        facts["violations"] = sorted(Counter(violations.mapped("outcome")).items())
    if "sales.collection.installment" in env:
        installments = env["sales.collection.installment"].search(
            [("plan_id.partner_id", "in", customers.ids)]
        )
        facts["installments"] = _sum_by(installments, lambda i: i.state, "amount", rnd)
    if "sales.target" in env:
        env["sales.target.plan"].search([])._recompute_achievements()
        facts["targets"] = sorted(
            (
                t.plan_id.name,
                t.assignee_type,
                t.user_id.login or "",
                t.team_id.name or "",
                t.metric_id.name,
                str(t.date_from),
                rnd(t.actual),
            )
            for t in env["sales.target"].search([])
        )
    return facts


def _sum_by(records, key, fname, rnd=round):
    sums = {}
    for record in records:
        sums[key(record)] = sums.get(key(record), 0.0) + record[fname]
    return sorted((k, rnd(v)) for k, v in sums.items())


class _Killed(Exception):
    """The seed's process dies (the test's hook, right after a commit)."""


class TestSeedBulk(TransactionCase):
    # this file lives outside an addon: give Odoo's test machinery the tags it expects
    test_tags = {"standard", "at_install"}
    test_module = "sales_suite_seed"
    test_class = "TestSeedBulk"
    test_sequence = 0
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seed_mod = _load_seed_module()
        cls.facts, cls.counts = {}, {}
        for path, bulk in (("orm", False), ("bulk", True)):
            savepoint = cls.env.cr.savepoint()
            cls.counts[path] = cls.seed_mod.seed(
                cls.env, size="tiny", log=lambda _m: None, bulk=bulk
            )
            cls.facts[path] = _aggregates(cls.env, cls.seed_mod)
            savepoint.rollback()
            savepoint.close()
            cls.env.invalidate_all()
            cls.env.registry.clear_all_caches()
        cls._seed_interrupted()

    @classmethod
    def _seed_interrupted(cls):
        """The bulk seed killed twice (in the orders' batch, then after the payments' step)
        and run again after each kill; a run of another size meanwhile."""
        stops, cls.stopped = ["make_orders:batch", "make_payments"], []

        def kill(step):
            if stops and step == stops[0]:
                cls.stopped.append(stops.pop(0))
                raise _Killed(step)

        savepoint = cls.env.cr.savepoint()
        for _attempt in range(3):
            try:
                cls.counts["resumed"] = cls.seed_mod.seed(
                    cls.env, size="tiny", log=lambda _m: None, bulk=True, checkpoint_hook=kill
                )
                break
            except _Killed:
                # what the kill lost: the caches of the dead process
                cls.env.invalidate_all()
                cls.env.registry.clear_all_caches()
                if len(cls.stopped) == 1:
                    cls.other_size = cls.seed_mod.seed(cls.env, size="demo", log=lambda _m: None)
        cls.facts["resumed"] = _aggregates(cls.env, cls.seed_mod)
        savepoint.rollback()
        savepoint.close()
        cls.env.invalidate_all()
        cls.env.registry.clear_all_caches()

    def test_the_bulk_seed_makes_the_same_orders_invoices_payments_and_stock(self):
        orm, bulk = self.facts["orm"], self.facts["bulk"]
        self.assertTrue(orm["orders"] and orm["invoices"] and orm["reconciliations"][0])
        for key in orm:
            self.assertEqual(bulk[key], orm[key], key)

    def test_the_bulk_seed_counts_the_same_records(self):
        drop = {"seconds", "gate_seconds"}
        orm = {k: v for k, v in self.counts["orm"].items() if k not in drop}
        bulk = {k: v for k, v in self.counts["bulk"].items() if k not in drop}
        self.assertEqual(bulk, orm)

    def test_a_killed_bulk_seed_continues_where_it_stopped_and_makes_the_same_data(self):
        self.assertEqual(self.stopped, ["make_orders:batch", "make_payments"])
        self.assertEqual(self.facts["resumed"], self.facts["bulk"])
        drop = {"seconds", "gate_seconds"}
        resumed = {k: v for k, v in self.counts["resumed"].items() if k not in drop}
        bulk = {k: v for k, v in self.counts["bulk"].items() if k not in drop}
        self.assertEqual(resumed, bulk)

    def test_a_seed_of_another_size_does_not_continue_a_killed_one(self):
        self.assertEqual(self.other_size, {"already_seeded": "tiny:in_progress"})
