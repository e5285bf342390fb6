from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestCollectionAccess(CollectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls.make_order(user=cls.rep).collection_plan_ids
        cls.others = cls.make_order(user=cls.other_rep).collection_plan_ids
        cls.env["sales.collection.plan"]._collection_run(
            today={c.id: cls.today + timedelta(days=31) for c in cls.env["res.company"].search([])}
        )
        cls.all_plans = cls.own | cls.others

    def visible(self, user, model, field="plan_id"):
        records = self.env[model].with_user(user).search([(field, "in", self.all_plans.ids)])
        return records.mapped(field) if field != "id" else records

    def test_rep_sees_only_own_orders(self):
        for model in (
            "sales.collection.installment",
            "sales.collection.reminder",
        ):
            self.assertEqual(self.visible(self.rep, model), self.own, model)
        self.assertEqual(self.visible(self.rep, "sales.collection.plan", "id"), self.own)
        with self.assertRaises(AccessError):
            self.others.with_user(self.rep).read(["amount_residual"])
        report = self.env["sales.collection.overdue.report"].with_user(self.rep).search([])
        self.assertEqual(set(report.mapped("user_id").ids), {self.rep.id})

    def test_rep_cannot_write_or_promise_on_others_orders(self):
        installment = self.others.installment_ids[:1]
        with self.assertRaises(AccessError):
            installment.with_user(self.rep).write({"method": "cash"})
        with self.assertRaises(AccessError):
            self.env["sales.collection.promise"].with_user(self.rep).create(
                {
                    "plan_id": self.others.id,
                    "date_promised": self.today,
                    "amount": 10,
                    "promised_by": "x",
                }
            )
        self.assertEqual(installment.method, "bank_transfer")
        self.assertFalse(self.others.promise_ids)

    def test_nobody_but_the_system_and_the_desk_creates_plans(self):
        order = self.make_order(user=self.rep, confirm=False)
        with self.assertRaises(AccessError):
            self.env["sales.collection.plan"].with_user(self.rep).create({"order_id": order.id})
        self.assertFalse(order.collection_plan_ids)

    def test_team_leader_sees_the_team(self):
        self.assertEqual(self.visible(self.leader, "sales.collection.plan", "id"), self.own)
        self.assertEqual(self.visible(self.leader, "sales.collection.installment"), self.own)

    def test_sales_desk_sees_and_edits_all(self):
        self.assertEqual(self.visible(self.desk, "sales.collection.plan", "id"), self.all_plans)
        first, second = self.others.installment_ids.sorted("date_due")
        self.others.with_user(self.desk).write(
            {
                "installment_ids": [
                    Command.update(first.id, {"amount": 400}),
                    Command.update(second.id, {"amount": 600}),
                ]
            }
        )
        self.assertEqual(first.amount, 400)

    def test_finance_sees_all_and_changes_no_plan(self):
        self.assertEqual(self.visible(self.finance, "sales.collection.plan", "id"), self.all_plans)
        self.assertEqual(self.visible(self.finance, "sales.collection.reminder"), self.all_plans)
        report = self.env["sales.collection.overdue.report"].with_user(self.finance).search([])
        self.assertLessEqual({self.rep.id, self.other_rep.id}, set(report.mapped("user_id").ids))
        with self.assertRaises(AccessError):
            self.own.installment_ids[:1].with_user(self.finance).write({"method": "cash"})
        with self.assertRaises(AccessError):
            self.own.with_user(self.finance).action_regenerate()

    def test_collected_amounts_are_not_written_by_hand(self):
        for vals in ({"amount_paid": 1000}, {"state": "paid"}, {"order_id": self.make_order().id}):
            with self.assertRaises(UserError):
                self.own.with_user(self.rep).write(vals)
        self.assertEqual(self.own.amount_paid, 0)
        self.assertEqual(self.own.state, "open")

    def test_finance_records_a_promise(self):
        promise = (
            self.env["sales.collection.promise"]
            .with_user(self.finance)
            .create(
                {
                    "plan_id": self.others.id,
                    "date_promised": self.today + timedelta(days=2),
                    "amount": 1000,  # all of it is overdue
                    "promised_by": "出纳 李女士",
                }
            )
        )
        self.assertEqual(promise.recorded_by_id, self.finance)
        self.assertIn("李女士", self.others.message_ids[0].body)
