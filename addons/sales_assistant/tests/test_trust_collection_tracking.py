from odoo import Command
from odoo.tests import tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestTrustCollectionTracking(CollectionCase):
    """The state of a collection plan is tracked in its chatter and reaches its followers,
    though the refresh writes it in bulk: one batch of messages, whatever the number of
    plans that changed."""

    def _paid_plans(self, count):
        plans = self.env["sales.collection.plan"]
        for _index in range(count):
            order = self.make_order(amount=1000)
            self.pay(self.invoice(order), amount=1000)
            plans |= order.collection_plan_ids
        return plans

    def _tracked(self, plan):
        return plan.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state" and t.new_value_char == "Fully Collected"
        )

    def test_a_fully_collected_plan_says_so_in_its_chatter_and_to_its_followers(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        plan.message_subscribe(partner_ids=self.leader.partner_id.ids)
        self.pay(self.invoice(order), amount=1000)
        self.assertEqual(plan.state, "paid")
        tracking = self._tracked(plan)
        self.assertEqual(len(tracking), 1)
        self.assertEqual(tracking.old_value_char, "Open")
        message = tracking.mail_message_id
        self.assertIn(self.leader.partner_id, message.notification_ids.res_partner_id)
        # and back to open when the payment is undone
        payment_lines = order.invoice_ids.line_ids.filtered("reconciled")
        payment_lines.remove_move_reconcile()
        self.assertEqual(plan.state, "open")
        self.assertTrue(
            plan.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "state" and t.new_value_char == "Open"
            )
        )

    def test_tracking_the_states_does_not_cost_a_query_per_plan(self):
        def stale(plans):
            # the stored state as before the payments, so that a refresh moves them
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE sales_collection_plan SET state = 'open', amount_paid = 0, "
                "amount_residual = amount_invoiced WHERE id = ANY(%s)",
                [plans.ids],
            )
            self.env.invalidate_all()

        warm, one, many = self._paid_plans(1), self._paid_plans(1), self._paid_plans(4)
        stale(warm | one | many)
        warm._collection_refresh()  # the caches of the first run
        queries = []
        for plans in (one, many):
            start = self.env.cr.sql_log_count
            plans._collection_refresh()
            queries.append(self.env.cr.sql_log_count - start)
        self.assertEqual(queries[0], queries[1], "one batch of messages for every plan")
        for plan in one | many:
            self.assertEqual(plan.state, "paid")
            self.assertEqual(len(self._tracked(plan)), 2, "paid once, then again after stale")

    def test_followers_of_other_subtypes_are_not_told(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        discussions = self.env.ref("mail.mt_comment")
        plan.message_subscribe(partner_ids=self.other_rep.partner_id.ids)
        plan.message_follower_ids.filtered(
            lambda f: f.partner_id == self.other_rep.partner_id
        ).subtype_ids = [Command.set(discussions.ids)]
        self.pay(self.invoice(order), amount=1000)
        message = self._tracked(plan).mail_message_id
        self.assertTrue(message)
        self.assertNotIn(self.other_rep.partner_id, message.notification_ids.res_partner_id)
