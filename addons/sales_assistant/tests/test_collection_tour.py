from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCollectionTour(HttpCase):
    """In the browser: a rep records a promise to pay on the collection plan; once the
    customer's payment is reconciled, the installments show paid and the promise kept."""

    def test_promise_then_payment_tour(self):
        env = self.env
        rep = new_test_user(
            env,
            login="coll_tour_rep",
            password="coll_tour_rep_pwd",
            groups="sales_team.group_sale_salesman",
            name="Collection Tour Rep",
        )
        rep.action_id = False
        customer = env["res.partner"].create({"name": "Tour Collection Customer"})
        term = env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                ],
            }
        )
        product = env["product.product"].create(
            {"name": "Tour Machine", "type": "service", "invoice_policy": "order"}
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": rep.id,
                "payment_term_id": term.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "price_unit": 1000,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        plan = order.collection_plan_ids

        self.start_tour("/odoo", "sales_assistant_collection_promise", login="coll_tour_rep")
        self.assertEqual(plan.promise_ids.promised_by, "Wang Fang")
        self.assertEqual(plan.promise_ids.amount, 300)
        self.assertEqual(plan.promise_ids.state, "open")

        invoice = order._create_invoices()
        invoice.action_post()
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 1000})._create_payments()
        self.assertEqual(plan.installment_ids.mapped("state"), ["paid", "paid"])

        self.start_tour("/odoo", "sales_assistant_collection_paid", login="coll_tour_rep")
        self.assertEqual(plan.promise_ids.state, "kept")
