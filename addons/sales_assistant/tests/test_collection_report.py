from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestCollectionReport(CollectionCase):
    def test_overdue_by_age_bucket(self):
        Report = self.env["sales.collection.overdue.report"]
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        first, second = plan.installment_ids.sorted("date_due")
        plan.write(
            {
                "installment_ids": [
                    Command.update(first.id, {"date_due": self.today - timedelta(days=45)}),
                    Command.update(second.id, {"date_due": self.today + timedelta(days=3)}),
                ]
            }
        )
        rows = Report.search([("order_id", "=", order.id)])
        self.assertEqual(
            {r.installment_id: (r.age_bucket, r.days_overdue, r.amount_overdue) for r in rows},
            {first: ("31_60", 45, 300), second: ("not_due", 0, 0)},
        )
        groups = Report._read_group(
            [("order_id", "=", order.id)], ["age_bucket"], ["amount_residual:sum"]
        )
        self.assertEqual(dict(groups), {"31_60": 300, "not_due": 700})
        self.assertEqual(Report._age_bucket_of(91), "over_90")

    def test_collected_equals_the_targets_collected_cash(self):
        """The collection rate's collected amount is sales_targets' collected-cash metric."""
        metric = self.env.ref("sales_targets.metric_collected")
        start = self.today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        target_plan = self.env["sales.target.plan"].create(
            {
                "name": "Collections this month",
                "date_from": start,
                "date_to": end,
                "metric_ids": [Command.set(metric.ids)],
            }
        )
        target = self.env["sales.target"].create(
            {
                "plan_id": target_plan.id,
                "metric_id": metric.id,
                "assignee_type": "user",
                "user_id": self.rep.id,
                "date_from": start,
                "date_to": end,
                "target_value": 5000,
            }
        )
        order = self.make_order(amount=1000)
        other = self.make_order(amount=2000)
        self.pay(self.invoice(order), amount=300)
        self.pay(self.invoice(other), amount=1500)
        self.pay(self.invoice(self.make_order(user=self.other_rep, amount=800)))
        target_plan._recompute_achievements()
        self.assertAlmostEqual(target.actual, 1800)

        Rate = self.env["sales.collection.rate.report"]
        domain = [("user_id", "=", self.rep.id), ("date", ">=", start), ("date", "<=", end)]
        [(collected, due, rate)] = Rate._read_group(
            domain, [], ["amount_collected:sum", "amount_due:sum", "collection_rate:sum"]
        )
        self.assertAlmostEqual(collected, target.actual)
        due_in_month = sum(
            (order | other)
            .collection_plan_ids.installment_ids.filtered(lambda i: start <= i.date_due <= end)
            .mapped("amount")
        )
        self.assertAlmostEqual(due, due_in_month)
        self.assertAlmostEqual(rate, 100.0 * collected / due_in_month)
        # the rep sees their own rate, not the other rep's collections
        rows = Rate.with_user(self.rep).search([])
        self.assertEqual(set(rows.mapped("user_id").ids), {self.rep.id})

    def test_pivot_and_graph_as_the_web_client_reads_them(self):
        order = self.make_order(amount=1000)
        self.pay(self.invoice(order), amount=300)
        for model, measures, groupby in (
            (
                "sales.collection.overdue.report",
                ["amount_residual:sum"],
                ["partner_id", "age_bucket"],
            ),
            (
                "sales.collection.rate.report",
                ["amount_due:sum", "amount_collected:sum", "collection_rate:sum"],
                ["user_id", "date:month"],
            ),
        ):
            Report = self.env[model].with_user(self.rep)
            views = Report.get_views([(False, "pivot"), (False, "graph"), (False, "search")])
            self.assertEqual(set(views["views"]), {"pivot", "graph", "search"})
            groups = Report.read_group([], measures, groupby, lazy=False)
            self.assertTrue(groups, model)
        [group] = (
            self.env["sales.collection.rate.report"]
            .with_user(self.rep)
            .read_group(
                [("user_id", "=", self.rep.id)],
                ["amount_due:sum", "amount_collected:sum", "collection_rate:sum"],
                [],
                lazy=False,
            )
        )
        self.assertAlmostEqual(group["amount_collected"], 300)
        self.assertAlmostEqual(group["collection_rate"], 100.0 * 300 / group["amount_due"])
