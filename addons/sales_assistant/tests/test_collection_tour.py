from odoo.tests import HttpCase, tagged

from .common import tour_collection_order, tour_user


@tagged("post_install", "-at_install")
class TestCollectionTour(HttpCase):
    """In the browser: a rep records a promise to pay on the collection plan; once the
    customer's payment is reconciled, the installments show paid and the promise kept."""

    def test_promise_then_payment_tour(self):
        env = self.env
        rep = tour_user(
            env, "coll_tour_rep", "sales_team.group_sale_salesman", "Collection Tour Rep"
        )
        order = tour_collection_order(env, rep)
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
