from contextlib import contextmanager
from datetime import date, datetime

from odoo import Command
from odoo.tests import TransactionCase


class TargetsCase(TransactionCase):
    """Users, teams, products and helpers shared by the sales_targets tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        group_salesman = cls.env.ref("sales_team.group_sale_salesman")
        group_leader = cls.env.ref("sales_targets.group_targets_team_leader")
        group_manager = cls.env.ref("sales_team.group_sale_manager")

        def user(login, groups):
            return Users.create(
                {
                    "name": login.title(),
                    "login": login,
                    "email": f"{login}@example.com",
                    "company_id": cls.company.id,
                    "company_ids": [Command.set(cls.company.ids)],
                    "groups_id": [Command.set([g.id for g in groups])],
                }
            )

        cls.rep_a = user("tgt_rep_a", [group_salesman])
        cls.rep_b = user("tgt_rep_b", [group_salesman])
        cls.rep_c = user("tgt_rep_c", [group_salesman])
        cls.leader = user("tgt_leader", [group_salesman, group_leader])
        cls.manager = user("tgt_manager", [group_manager])
        cls.team_1 = cls.env["crm.team"].create(
            {"name": "Team East", "user_id": cls.leader.id, "company_id": cls.company.id}
        )
        cls.team_2 = cls.env["crm.team"].create({"name": "Team West", "company_id": cls.company.id})
        cls.env["crm.team.member"].create(
            [
                {"crm_team_id": cls.team_1.id, "user_id": cls.rep_a.id},
                {"crm_team_id": cls.team_1.id, "user_id": cls.rep_b.id},
                {"crm_team_id": cls.team_2.id, "user_id": cls.rep_c.id},
            ]
        )
        cls.customer = cls.env["res.partner"].create({"name": "Customer One"})
        cls.customer_2 = cls.env["res.partner"].create({"name": "Customer Two"})
        cls.categ = cls.env["product.category"].create({"name": "Tgt Machines"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tgt Machine",
                "type": "service",
                "list_price": 1000.0,
                "standard_price": 600.0,
                "categ_id": cls.categ.id,
                "invoice_policy": "order",
            }
        )
        cls.product_other = cls.env["product.product"].create(
            {"name": "Tgt Other", "type": "service", "list_price": 100.0, "standard_price": 0.0}
        )
        cls.metric_revenue = cls.env.ref("sales_targets.metric_revenue")
        cls.metric_invoiced = cls.env.ref("sales_targets.metric_invoiced")
        cls.metric_margin = cls.env.ref("sales_targets.metric_margin")
        cls.metric_collected = cls.env.ref("sales_targets.metric_collected")
        cls.metric_new = cls.env.ref("sales_targets.metric_new_customers")
        cls.metric_won = cls.env.ref("sales_targets.metric_won_opportunities")
        cls.metric_visits = cls.env.ref("sales_targets.metric_visits")
        cls.year = 2025
        cls.plan = cls.env["sales.target.plan"].create(
            {
                "name": "Plan 2025",
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
                "metric_ids": [Command.set([cls.metric_revenue.id])],
            }
        )

    # helpers -----------------------------------------------------------
    @contextmanager
    def assert_raises_msg(self, exception, text):
        """assertRaises (rolled back to a savepoint) that also checks the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))

    @classmethod
    def make_target(
        cls,
        user=None,
        value=1000.0,
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        metric=None,
        plan=None,
        **extra,
    ):
        vals = {
            "plan_id": (plan or cls.plan).id,
            "metric_id": (metric or cls.metric_revenue).id,
            "assignee_type": "user" if user else "company",
            "user_id": user.id if user else False,
            "date_from": start,
            "date_to": end,
            "target_value": value,
        }
        vals.update(extra)
        return cls.env["sales.target"].create(vals)

    @classmethod
    def make_order(
        cls,
        user,
        amount=1000.0,
        when=datetime(2025, 1, 15, 10),
        partner=None,
        product=None,
        confirm=True,
        shares=None,
        **extra,
    ):
        product = product or cls.product
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": user.id,
                "team_id": user._sales_team(cls.company).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
                "credit_share_ids": shares or [],
                **extra,
            }
        )
        if confirm:
            order.action_confirm()
            order.date_order = when
        return order
