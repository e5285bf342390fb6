from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.addons.sales_compliance.tests.common import count_cursors
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestCollectionPlan(CollectionCase):
    def test_plan_follows_payment_terms_and_adds_up(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        self.assertEqual(len(plan), 1)
        installments = plan.installment_ids.sorted("date_due")
        self.assertEqual(installments.mapped("amount"), [300, 700])
        day = order._collection_date_ref()
        self.assertEqual(installments.mapped("date_due"), [day, day + timedelta(days=30)])
        self.assertEqual(installments.mapped("method"), ["bank_transfer", "bank_transfer"])
        self.assertEqual(plan.amount_planned, order.amount_total)
        self.assertEqual(plan.user_id, self.rep)
        self.assertEqual(plan.team_id, self.team)

    def test_deposit_comes_first_and_terms_split_the_rest(self):
        # no deposit in the terms (30 days net): Odoo's online prepayment is the deposit
        order = self.make_order(
            amount=1000,
            confirm=False,
            require_payment=True,
            prepayment_percent=0.2,
            term=self.env.ref("account.account_payment_term_30days"),
        )
        order.action_confirm()
        installments = order.collection_plan_ids.installment_ids.sorted("date_due")
        self.assertEqual(installments.mapped("amount"), [200, 800])
        self.assertEqual(installments.mapped("is_deposit"), [True, False])

    def test_deposit_of_the_terms_is_their_first_part(self):
        # 30% now, 70% in 30 days: the 30% is the deposit, whatever the online prepayment
        order = self.make_order(
            amount=1000, confirm=False, require_payment=True, prepayment_percent=0.2
        )
        order.action_confirm()
        installments = order.collection_plan_ids.installment_ids.sorted("date_due")
        self.assertEqual(installments.mapped("amount"), [300, 700])
        self.assertEqual(installments.mapped("is_deposit"), [True, False])
        self.assertEqual(order._assistant_deposit()[order.id][0], 300)

    def test_no_payment_term_gives_one_installment(self):
        order = self.make_order(amount=500, term=self.env["account.payment.term"])
        self.assertEqual(order.collection_plan_ids.installment_ids.mapped("amount"), [500])

    def test_rep_edits_installments_while_nothing_is_paid(self):
        plan = self.make_order(amount=1000).collection_plan_ids
        first, second = plan.installment_ids.sorted("date_due")
        plan.with_user(self.rep).write(
            {
                "installment_ids": [
                    Command.update(first.id, {"amount": 500, "method": "acceptance_bill"}),
                    Command.update(second.id, {"amount": 500}),
                ]
            }
        )
        self.assertEqual(plan.installment_ids.sorted("date_due").mapped("amount"), [500, 500])
        self.assertEqual(first.method, "acceptance_bill")

    def test_installments_not_adding_up_are_refused(self):
        plan = self.make_order(amount=1000).collection_plan_ids
        first = plan.installment_ids.sorted("date_due")[0]
        with self.assertRaises(ValidationError) as error:
            plan.with_user(self.rep).write(
                {"installment_ids": [Command.update(first.id, {"amount": 400})]}
            )
        self.assertIn("add up to", str(error.exception))
        self.assertEqual(first.amount, 300)
        with self.assertRaises(ValidationError):
            first.with_user(self.rep).write({"amount": 250})
        self.assertEqual(first.amount, 300)
        with self.assertRaises(ValidationError):
            self.env["sales.collection.installment"].with_user(self.rep).create(
                {"plan_id": plan.id, "date_due": self.today, "amount": 10}
            )
        self.assertEqual(len(plan.installment_ids), 2)

    def test_negative_or_zero_installment_is_refused(self):
        plan = self.make_order(amount=1000).collection_plan_ids
        first, second = plan.installment_ids.sorted("date_due")
        for amount in (0, -100):
            with self.assertRaises(ValidationError) as error:
                plan.with_user(self.rep).write(
                    {
                        "installment_ids": [
                            Command.update(first.id, {"amount": amount}),
                            Command.update(second.id, {"amount": 1000 - amount}),
                        ]
                    }
                )
            self.assertIn("positive", str(error.exception))
            self.assertEqual([first.amount, second.amount], [300, 700])

    def test_plan_is_locked_once_the_customer_paid(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        self.pay(self.invoice(order), amount=100)
        self.assertEqual(plan.amount_paid, 100)
        self.assertTrue(plan.is_locked)
        first, second = plan.installment_ids.sorted("date_due")
        with self.assertRaises(UserError):
            plan.with_user(self.rep).write(
                {
                    "installment_ids": [
                        Command.update(first.id, {"amount": 500}),
                        Command.update(second.id, {"amount": 500}),
                    ]
                }
            )
        with self.assertRaises(UserError):
            second.with_user(self.rep).unlink()
        with self.assertRaises(UserError):
            plan.with_user(self.rep).action_regenerate()
        self.assertEqual(plan.installment_ids.sorted("date_due").mapped("amount"), [300, 700])

    def test_state_is_never_booked_by_hand(self):
        plan = self.make_order(amount=1000).collection_plan_ids
        first = plan.installment_ids.sorted("date_due")[0]
        for vals in ({"state": "paid"}, {"amount_paid": 300}):
            with self.assertRaises(UserError):
                first.with_user(self.rep).write(vals)
        self.assertEqual(first.amount_paid, 0)
        self.assertNotEqual(first.state, "paid")

    def test_regenerate_after_the_order_changed(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        order.order_line.price_unit = 2000
        plan.with_user(self.rep).action_regenerate()
        self.assertEqual(plan.installment_ids.sorted("date_due").mapped("amount"), [600, 1400])

    def test_quotation_and_zero_order_have_no_plan(self):
        self.assertFalse(self.make_order(confirm=False).collection_plan_ids)
        self.assertFalse(self.make_order(amount=0).collection_plan_ids)

    def test_cancelled_order_is_no_longer_collected(self):
        order = self.make_order(amount=1000)
        order.with_user(self.rep)._action_cancel()
        self.assertFalse(order.collection_plan_ids)
        self.assertEqual(self.run_cron(days=31), 0)
        order.action_draft()
        order.action_confirm()
        self.assertEqual(order.collection_plan_ids.amount_planned, 1000)

    def test_plan_on_confirmation_costs_the_same_for_any_lines_and_orders(self):
        """Creating the plans on confirmation does not grow with lines or orders, and opens
        no cursor."""
        SaleOrder = type(self.env["sale.order"])

        def orders(count, lines):
            with patch.object(SaleOrder, "_collection_create_plans", lambda self: None):
                confirmed = self.env["sale.order"]
                for __ in range(count):
                    order = self.make_order(amount=100)
                    order.order_line = [
                        Command.create({"product_id": self.product.id, "price_unit": 10})
                        for __ in range(lines - 1)
                    ]
                    confirmed |= order
                confirmed.collection_plan_ids.unlink()
            return confirmed

        def queries(confirmed):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with count_cursors() as cursors:
                confirmed._collection_create_plans()
                self.env.flush_all()
            self.assertEqual(cursors["opened"], 0)
            self.assertTrue(all(confirmed.collection_plan_ids))
            return self.env.cr.sql_log_count - before

        queries(orders(1, 1))  # warm up
        one_small = queries(orders(1, 2))
        one_large = queries(orders(1, 30))
        three = queries(orders(3, 2))
        self.assertEqual(one_small, one_large)
        self.assertEqual(one_small, three)
