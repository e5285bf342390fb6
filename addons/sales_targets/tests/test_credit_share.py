from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TargetsCase


@tagged("post_install", "-at_install")
class TestCreditShare(TargetsCase):
    def test_shares_must_add_up_to_100(self):
        order = self.make_order(self.rep_a, 1000, confirm=False)
        with self.assert_raises_msg(ValidationError, "add up to 70"):
            order.write({"credit_share_ids": self.split((self.rep_a, 40), (self.rep_b, 30))})
        self.assertFalse(order.credit_share_ids)

    def test_shares_not_100_on_opportunity(self):
        with self.assert_raises_msg(ValidationError, "not 100%"):
            self.env["crm.lead"].create(
                {
                    "name": "Split deal",
                    "type": "opportunity",
                    "credit_share_ids": self.split((self.rep_a, 60), (self.rep_b, 60)),
                }
            )
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Split deal")]))

    def test_rebalancing_shares_in_one_save(self):
        order = self.quotation(self.rep_a, (self.rep_a, 60), (self.rep_b, 40))
        first, second = order.credit_share_ids
        order.write(
            {
                "credit_share_ids": [
                    Command.update(first.id, {"share": 50}),
                    Command.update(second.id, {"share": 50}),
                ]
            }
        )
        self.assertEqual(order.credit_share_ids.mapped("share"), [50, 50])

    def test_overlay_is_outside_100(self):
        order = self.quotation(self.rep_a, (self.rep_a, 100), overlay=[(self.rep_c, 20)])
        self.assertEqual(len(order.credit_share_ids), 2)
        with self.assert_raises_msg(ValidationError, "only overlay"):
            order.write({"credit_share_ids": [Command.unlink(order.credit_share_ids[0].id)]})

    def test_shares_pass_from_won_opportunity_to_orders(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Shared deal",
                "type": "opportunity",
                "user_id": self.rep_a.id,
                "partner_id": self.customer.id,
                "credit_share_ids": self.split(
                    (self.rep_a, 70), (self.rep_b, 30), overlay=[(self.rep_c, 10)]
                ),
            }
        )
        # an order quoted before the opportunity had its split
        early = self.make_order(self.rep_a, 500, confirm=False)
        early.opportunity_id = lead
        self.assertFalse(early.credit_share_ids)
        # an order created from the opportunity gets the split at once
        later = self.make_order(self.rep_a, 500, confirm=False, opportunity_id=lead.id)
        self.assertEqual(sorted(later.credit_share_ids.mapped("share")), [10.0, 30.0, 70.0])
        lead.action_set_won()
        self.assertEqual(early.credit_share_ids.user_id, self.rep_a | self.rep_b | self.rep_c)
        overlay = early.credit_share_ids.filtered("is_overlay")
        self.assertEqual(overlay.user_id, self.rep_c)

    def test_salesperson_sets_split_on_own_order(self):
        order = self.make_order(self.rep_a, 1000, confirm=False)
        order.with_user(self.rep_a).write(
            {"credit_share_ids": self.split((self.rep_a, 50), (self.rep_b, 50))}
        )
        self.assertEqual(order.credit_share_ids.team_id, self.team_1)

    def test_share_out_of_range(self):
        order = self.make_order(self.rep_a, 1000, confirm=False)
        with self.assert_raises_msg(ValidationError, "between 0 and 100% (got 120.0)"):
            order.write({"credit_share_ids": self.split((self.rep_a, 120))})
        self.assertFalse(order.credit_share_ids)

    def test_salesperson_cannot_share_a_colleagues_order(self):
        order = self.quotation(self.rep_b, (self.rep_b, 100))
        Share = self.env["sales.credit.share"].with_user(self.rep_a)
        with self.assertRaises(AccessError):
            Share.create(
                {"order_id": order.id, "user_id": self.rep_a.id, "share": 20, "is_overlay": True}
            )
        with self.assertRaises(AccessError):
            order.credit_share_ids.with_user(self.rep_a).write({"user_id": self.rep_a.id})
        with self.assertRaises(AccessError):
            order.credit_share_ids.with_user(self.rep_a).unlink()
        self.assertEqual(order.credit_share_ids.user_id, self.rep_b)
        self.assertEqual(order.credit_share_ids.mapped("share"), [100.0])
        # the colleague's team leader may, and the shares still add up
        order.credit_share_ids.with_user(self.leader).write({"user_id": self.rep_a.id})
        self.assertEqual(order.credit_share_ids.user_id, self.rep_a)

    def test_direct_share_changes_keep_100(self):
        order = self.quotation(self.rep_a, (self.rep_a, 60), (self.rep_b, 40))
        first, second = order.credit_share_ids.with_user(self.rep_a)
        with self.assert_raises_msg(ValidationError, "add up to 90"):
            first.write({"share": 50})
        with self.assert_raises_msg(ValidationError, "add up to 200"):
            self.env["sales.credit.share"].with_user(self.rep_a).create(
                {"order_id": order.id, "user_id": self.rep_c.id, "share": 100}
            )
        with self.assert_raises_msg(ValidationError, "add up to 60"):
            second.unlink()
        with self.assert_raises_msg(ValidationError, "twice"):
            second.write({"user_id": self.rep_a.id})
        self.assertEqual(order.credit_share_ids.mapped("share"), [60.0, 40.0])
        self.assertEqual(order.credit_share_ids.user_id, self.rep_a | self.rep_b)
        # the team leader's overlay share is outside the 100%; all shares may go
        self.env["sales.credit.share"].with_user(self.leader).create(
            {"order_id": order.id, "user_id": self.rep_c.id, "share": 10, "is_overlay": True}
        )
        self.assertEqual(len(order.credit_share_ids), 3)
        order.credit_share_ids.with_user(self.leader).unlink()
        self.assertFalse(order.credit_share_ids)

    def test_moving_a_share_keeps_both_documents_valid(self):
        mine = self.quotation(self.rep_a, (self.rep_a, 60), (self.rep_b, 40))
        other = self.make_order(self.rep_a, 500, confirm=False)
        # a share never moves (issue 16): removed here, added there
        with self.assert_raises_msg(UserError, "stays on its opportunity or order"):
            mine.credit_share_ids[1].with_user(self.rep_a).write({"order_id": other.id})
        self.assertEqual(len(mine.credit_share_ids), 2)
        self.assertFalse(other.credit_share_ids)

    # ------------------------------------------------------------------
    # Self-awarded credit (issue 8, 1.5)
    # ------------------------------------------------------------------
    def test_salesperson_cannot_award_themselves_an_overlay(self):
        order = self.quotation(self.rep_a, (self.rep_a, 100))
        overlay = {"user_id": self.rep_a.id, "share": 100, "is_overlay": True}
        with self.assert_raises_msg(UserError, "ask your team leader"):
            order.with_user(self.rep_a).write({"credit_share_ids": [Command.create(overlay)]})
        with self.assertRaises(UserError):
            self.env["sales.credit.share"].with_user(self.rep_a).create(
                dict(overlay, order_id=order.id)
            )
        # nor on a colleague: overlays are a leader's decision
        with self.assert_raises_msg(UserError, "Only team leaders and managers"):
            order.with_user(self.rep_a).write(
                {"credit_share_ids": [Command.create(dict(overlay, user_id=self.rep_b.id))]}
            )
        self.assertEqual(order.credit_share_ids.user_id, self.rep_a)
        self.assertFalse(order.credit_share_ids.filtered("is_overlay"))

    def test_salesperson_cannot_change_a_granted_overlay(self):
        order = self.quotation(self.rep_a, (self.rep_a, 100))
        self.env["sales.credit.share"].with_user(self.leader).create(
            {"order_id": order.id, "user_id": self.rep_c.id, "share": 20, "is_overlay": True}
        )
        overlay = order.credit_share_ids.filtered("is_overlay")
        self.assertEqual(overlay.user_id, self.rep_c)
        with self.assert_raises_msg(UserError, "Only team leaders and managers"):
            overlay.with_user(self.rep_a).write({"user_id": self.rep_b.id, "share": 100})
        with self.assert_raises_msg(UserError, "Only team leaders and managers"):
            order.credit_share_ids.filtered(lambda s: not s.is_overlay).with_user(self.rep_a).write(
                {"is_overlay": True}
            )
        self.assertEqual(overlay.user_id, self.rep_c)
        self.assertEqual(overlay.share, 20)
        # nor does the team leader grant it to themselves
        with self.assert_raises_msg(UserError, "overlay credit to yourself"):
            overlay.with_user(self.leader).write({"user_id": self.leader.id})
        with self.assert_raises_msg(UserError, "overlay credit to yourself"):
            self.env["sales.credit.share"].with_user(self.leader).create(
                {"order_id": order.id, "user_id": self.leader.id, "share": 10, "is_overlay": True}
            )
        self.assertEqual(order.credit_share_ids.user_id, self.rep_a | self.rep_c)
        # a manager may
        overlay.with_user(self.manager).write({"user_id": self.leader.id})
        self.assertEqual(overlay.user_id, self.leader)

    def test_duplicated_order_keeps_overlays_only_for_leaders_and_managers(self):
        order = self.quotation(self.rep_a, (self.rep_a, 100), overlay=[(self.rep_c, 20)])
        mine = order.with_user(self.rep_a).copy()
        self.assertEqual(mine.credit_share_ids.user_id, self.rep_a)
        managers = order.with_user(self.manager).copy()
        self.assertEqual(managers.credit_share_ids.user_id, self.rep_a | self.rep_c)

    def test_person_is_not_both_regular_and_overlay(self):
        order = self.quotation(self.rep_a, (self.rep_a, 60), (self.rep_b, 40))
        with self.assert_raises_msg(ValidationError, "both a regular and an overlay owner"):
            self.env["sales.credit.share"].with_user(self.leader).create(
                {"order_id": order.id, "user_id": self.rep_a.id, "share": 100, "is_overlay": True}
            )
        with self.assert_raises_msg(ValidationError, "both a regular and an overlay owner"):
            self.env["crm.lead"].with_user(self.leader).create(
                {
                    "name": "Double credit",
                    "type": "opportunity",
                    "credit_share_ids": self.split((self.rep_a, 100), overlay=[(self.rep_a, 50)]),
                }
            )
        self.assertEqual(len(order.credit_share_ids), 2)

    def test_split_frozen_once_invoiced_and_manager_change_tracked(self):
        order = self.make_order(
            self.rep_a,
            1000,
            shares=self.split((self.rep_a, 60), (self.rep_b, 40)),
        )
        # before invoicing the salesperson still rebalances their own order
        first, second = order.credit_share_ids
        order.with_user(self.rep_a).write(
            {
                "credit_share_ids": [
                    Command.update(first.id, {"share": 70}),
                    Command.update(second.id, {"share": 30}),
                ]
            }
        )
        invoice = order._create_invoices()
        invoice.action_post()
        with self.assert_raises_msg(UserError, "Ask a sales targets manager"):
            order.with_user(self.rep_a).write(
                {
                    "credit_share_ids": [
                        Command.update(first.id, {"share": 100}),
                        Command.unlink(second.id),
                    ]
                }
            )
        for user in (self.rep_a, self.leader):
            with self.assert_raises_msg(UserError, "frozen"):
                second.with_user(user).unlink()
            with self.assert_raises_msg(UserError, "frozen"):
                first.with_user(user).write({"user_id": self.rep_c.id})
            with self.assert_raises_msg(UserError, "frozen"):
                self.env["sales.credit.share"].with_user(user).create(
                    {"order_id": order.id, "user_id": self.rep_c.id, "share": 5, "is_overlay": True}
                )
        self.assertEqual(order.credit_share_ids.mapped("share"), [70.0, 30.0])
        # a manager corrects it; the change is in the order's chatter, with who and what
        order.with_user(self.manager).write(
            {
                "credit_share_ids": [
                    Command.update(first.id, {"share": 50}),
                    Command.update(second.id, {"share": 50}),
                ]
            }
        )
        self.assertEqual(order.credit_share_ids.mapped("share"), [50.0, 50.0])
        messages = order.message_ids.filtered(
            lambda m: "Credit split changed after invoicing" in (m.body or "")
        )
        self.assertEqual(len(messages), 2)
        self.assertEqual(messages.author_id, self.manager.partner_id)
        bodies = " ".join(messages.mapped("body"))
        self.assertIn("Tgt_Rep_A 70.0% -&gt; Tgt_Rep_A 50.0%", bodies)
        self.assertIn("Tgt_Rep_B 30.0% -&gt; Tgt_Rep_B 50.0%", bodies)
