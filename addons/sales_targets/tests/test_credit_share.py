from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TargetsCase


@tagged("post_install", "-at_install")
class TestCreditShare(TargetsCase):
    def test_shares_must_add_up_to_100(self):
        order = self.make_order(self.rep_a, 1000, confirm=False)
        with self.assert_raises_msg(ValidationError, "add up to 70"):
            order.write(
                {
                    "credit_share_ids": [
                        Command.create({"user_id": self.rep_a.id, "share": 40}),
                        Command.create({"user_id": self.rep_b.id, "share": 30}),
                    ]
                }
            )
        self.assertFalse(order.credit_share_ids)

    def test_shares_not_100_on_opportunity(self):
        with self.assert_raises_msg(ValidationError, "not 100%"):
            self.env["crm.lead"].create(
                {
                    "name": "Split deal",
                    "type": "opportunity",
                    "credit_share_ids": [
                        Command.create({"user_id": self.rep_a.id, "share": 60}),
                        Command.create({"user_id": self.rep_b.id, "share": 60}),
                    ],
                }
            )
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Split deal")]))

    def test_rebalancing_shares_in_one_save(self):
        order = self.make_order(
            self.rep_a,
            1000,
            confirm=False,
            shares=[
                Command.create({"user_id": self.rep_a.id, "share": 60}),
                Command.create({"user_id": self.rep_b.id, "share": 40}),
            ],
        )
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
        order = self.make_order(
            self.rep_a,
            1000,
            confirm=False,
            shares=[
                Command.create({"user_id": self.rep_a.id, "share": 100}),
                Command.create({"user_id": self.rep_c.id, "share": 20, "is_overlay": True}),
            ],
        )
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
                "credit_share_ids": [
                    Command.create({"user_id": self.rep_a.id, "share": 70}),
                    Command.create({"user_id": self.rep_b.id, "share": 30}),
                    Command.create({"user_id": self.rep_c.id, "share": 10, "is_overlay": True}),
                ],
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
            {
                "credit_share_ids": [
                    Command.create({"user_id": self.rep_a.id, "share": 50}),
                    Command.create({"user_id": self.rep_b.id, "share": 50}),
                ]
            }
        )
        self.assertEqual(order.credit_share_ids.team_id, self.team_1)

    def test_share_out_of_range(self):
        order = self.make_order(self.rep_a, 1000, confirm=False)
        with self.assert_raises_msg(ValidationError, "between 0 and 100% (got 120.0)"):
            order.write(
                {"credit_share_ids": [Command.create({"user_id": self.rep_a.id, "share": 120})]}
            )
        self.assertFalse(order.credit_share_ids)
