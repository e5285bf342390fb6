from contextlib import contextmanager
from datetime import date, datetime

from odoo import Command
from odoo.tests import TransactionCase, tagged

JAN = (date(2025, 1, 1), date(2025, 1, 31))
FEB = (date(2025, 2, 1), date(2025, 2, 28))
MAR = (date(2025, 3, 1), date(2025, 3, 31))
APR = (date(2025, 4, 1), date(2025, 4, 30))
Q1 = (date(2025, 1, 1), date(2025, 3, 31))


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

    @staticmethod
    def split(*shares, overlay=()):
        """The ``credit_share_ids`` commands of a split: ``(user, share)`` pairs, then the
        overlay ones."""
        return [Command.create({"user_id": user.id, "share": share}) for user, share in shares] + [
            Command.create({"user_id": user.id, "share": share, "is_overlay": True})
            for user, share in overlay
        ]

    @classmethod
    def quotation(cls, user, *shares, overlay=()):
        """A quotation of 1,000 by ``user`` with the credit split ``shares``, ``overlay``."""
        return cls.make_order(user, 1000, confirm=False, shares=cls.split(*shares, overlay=overlay))

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


@tagged("post_install", "-at_install")
class CommissionCase(TargetsCase):
    """The field sales commission plan of team East (progressive: 0% to 50% of the target,
    5% to 100%, 10% beyond) and its helpers; reps A and B have targets of 10,000 a month
    from January to March."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.commission.scheme"].search([]).active = False
        cls.scheme = cls.env["sales.commission.scheme"].create(
            {
                "name": "Field sales",
                "base": "revenue",
                "tier_mode": "progressive",
                "tier_ids": [
                    Command.create({"from_pct": 0, "to_pct": 50, "rate": 0}),
                    Command.create({"from_pct": 50, "to_pct": 100, "rate": 5}),
                    Command.create({"from_pct": 100, "to_pct": 0, "rate": 10}),
                ],
                "assignment_ids": [Command.create({"team_id": cls.team_1.id})],
            }
        )
        for rep in (cls.rep_a, cls.rep_b):
            for start, end in (JAN, FEB, MAR):
                cls.make_target(rep, value=10000, start=start, end=end)
        cls.plan.action_approve()

    @classmethod
    def statements(cls, period=JAN):
        return cls.env["sales.commission.statement"]._generate_statements(*period)

    @staticmethod
    def of(statements, user):
        return statements.filtered(lambda s: s.user_id == user)

    def statement(self, period, user=None, scheme=None):
        """The statement of ``user`` for ``period``, computed by a manager with the wizard."""
        action = (
            self.env["sales.commission.generate"]
            .with_user(self.manager)
            .create({"date_from": period[0], "date_to": period[1]})
            .action_generate()
        )
        return (
            self.env["sales.commission.statement"]
            .search(action["domain"])
            .filtered(
                lambda s: (
                    s.user_id == (user or self.rep_a) and s.scheme_id == (scheme or self.scheme)
                )
            )
        )

    def clawbacks(self, statement):
        return statement.line_ids.filtered(lambda line: line.line_type == "clawback")

    def confirm(self, statement):
        statement.with_user(self.manager).action_confirm()

    def invoice(self, order, day):
        move = order._create_invoices()
        move.invoice_date = day
        move.action_post()
        return move

    def pay(self, move, day):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"payment_date": day})
            ._create_payments()
        )

    def clawed_back_refund(self):
        """January paid 250 on an order of 10,000; February took back 100 for a credit note
        of 4,000; both confirmed."""
        order = self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        invoice = self.invoice(order, date(2025, 1, 15))
        self.confirm(self.statement(JAN))
        refund = invoice._reverse_moves([{"invoice_date": date(2025, 2, 5)}])
        refund.invoice_line_ids.price_unit = 4000
        refund.action_post()
        feb = self.statement(FEB)
        self.assertAlmostEqual(feb.clawback_amount, -100)
        self.confirm(feb)
        return order, refund

    def bonus_scheme(self):
        """Rep A's achievement bonus: 1,000 from 80% of the revenue target."""
        return self.env["sales.commission.scheme"].create(
            {
                "name": "Bonus",
                "base": "achievement",
                "metric_id": self.metric_revenue.id,
                "bonus_amount": 1000,
                "tier_mode": "flat",
                "tier_ids": [
                    Command.create({"from_pct": 0, "to_pct": 80, "rate": 0}),
                    Command.create({"from_pct": 80, "to_pct": 0, "rate": 100}),
                ],
                "assignment_ids": [Command.create({"user_id": self.rep_a.id})],
            }
        )
