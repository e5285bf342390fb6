from odoo.tests import tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestCollectionState(CollectionCase):
    def test_payments_fill_installments_in_due_date_order(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        # the first installment falls due on the order day, the second in 30 days
        self.run_cron()
        self.assertEqual(self.states(plan), ["due", "planned"])
        invoice = self.invoice(order)
        self.assertEqual(self.states(plan), ["due", "due"], "invoiced: both are due")
        self.pay(invoice, amount=200)
        self.assertEqual(self.states(plan), ["partial", "due"])
        self.assertEqual(plan.installment_ids.sorted("date_due").mapped("amount_paid"), [200, 0])
        self.pay(invoice, amount=500)
        self.assertEqual(self.states(plan), ["paid", "partial"])
        self.assertEqual(plan.installment_ids.sorted("date_due").mapped("amount_paid"), [300, 400])
        self.assertEqual(plan.amount_residual, 300)
        self.pay(invoice, amount=300)
        self.assertEqual(self.states(plan), ["paid", "paid"])
        self.assertEqual(plan.state, "paid")

    def test_overdue_when_the_due_date_passed_unpaid(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        self.pay(self.invoice(order), amount=300)
        self.run_cron(days=31)
        self.assertEqual(self.states(plan), ["paid", "overdue"])
        self.assertEqual(plan.installment_ids.sorted("date_due")[1].amount_residual, 700)

    def test_credit_note_reduces_what_is_due(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        invoice = self.invoice(order)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "damaged", "journal_id": invoice.journal_id.id})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.invoice_line_ids.price_unit = 200
        refund.action_post()
        self.assertEqual(plan.amount_credited, 200)
        last = plan.installment_ids.sorted("date_due")[1]
        self.assertEqual(last.amount_credited, 200, "credit notes reduce the last installment")
        self.pay(invoice, amount=800)
        self.assertEqual(self.states(plan), ["paid", "paid"])
        self.assertEqual(plan.state, "paid")
        self.assertEqual(plan.amount_residual, 0)

    def test_unreconciled_payment_reopens_the_installment(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        invoice = self.invoice(order)
        payment = self.pay(invoice, amount=300)
        self.assertEqual(self.states(plan)[0], "paid")
        payment.move_id.line_ids.remove_move_reconcile()
        self.assertEqual(plan.amount_paid, 0)
        self.assertNotEqual(self.states(plan)[0], "paid")

    def test_a_rerun_writes_nothing(self):
        order = self.make_order(amount=1000)
        self.pay(self.invoice(order), amount=300)
        self.run_cron(days=31)
        plans = self.env["sales.collection.plan"].search([("order_id", "=", order.id)])
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT max(write_date) FROM sales_collection_installment WHERE plan_id = %s",
            plans.ids,
        )
        before = self.env.cr.fetchone()[0]
        self.assertEqual(plans._collection_refresh(self.days(31)), 0, "nothing changed")
        self.env.cr.execute(
            "SELECT max(write_date) FROM sales_collection_installment WHERE plan_id = %s",
            plans.ids,
        )
        self.assertEqual(self.env.cr.fetchone()[0], before)

    def test_refresh_queries_do_not_grow_with_plans(self):
        orders = [self.make_order(amount=1000 + i) for i in range(12)]
        for order in orders:
            self.invoice(order)
        Plan = self.env["sales.collection.plan"]

        def queries(plans, days):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            plans._collection_refresh(self.days(days))
            return self.env.cr.sql_log_count - before

        small = Plan.search([("order_id", "in", orders[0].ids)])
        large = Plan.search([("order_id", "in", [o.id for o in orders[1:]])])
        self.assertEqual(queries(small, 40), queries(large, 40))
        self.assertEqual(large.installment_ids.mapped("state"), ["overdue"] * 22)
