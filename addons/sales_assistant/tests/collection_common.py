from datetime import timedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class CollectionCase(TransactionCase):
    """Reps of a team and its leader, the sales desk, finance; a customer and a payment term
    of 30% on order and 70% at 30 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.rep = new_test_user(
            cls.env,
            login="coll_rep",
            groups="sales_team.group_sale_salesman",
            email="rep@example.com",
        )
        cls.other_rep = new_test_user(
            cls.env, login="coll_other_rep", groups="sales_team.group_sale_salesman"
        )
        cls.leader = new_test_user(
            cls.env, login="coll_leader", groups="sales_team.group_sale_salesman"
        )
        cls.desk = new_test_user(
            cls.env, login="coll_desk", groups="sales_assistant.group_assistant_desk"
        )
        cls.finance = new_test_user(
            cls.env, login="coll_finance", groups="account.group_account_invoice"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Collection East", "user_id": cls.leader.id, "company_id": cls.company.id}
        )
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Collection West", "company_id": cls.company.id}
        )
        cls.env["crm.team.member"].create(
            [
                {"crm_team_id": cls.team.id, "user_id": cls.rep.id},
                {"crm_team_id": cls.other_team.id, "user_id": cls.other_rep.id},
            ]
        )
        cls.company.collection_finance_user_id = cls.finance
        cls.customer = cls.env["res.partner"].create(
            {"name": "苏州精工机械有限公司", "email": "ap@jinggong.example.com", "is_company": True}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Machine",
                "type": "service",
                "list_price": 1000.0,
                "invoice_policy": "order",
            }
        )
        cls.term = cls.env["account.payment.term"].create(
            {
                "name": "30% on order, 70% in 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70, "nb_days": 30}),
                ],
            }
        )
        cls.today = cls.company._sales_targets_today()

    @classmethod
    def make_order(cls, user=None, amount=1000.0, term=None, confirm=True, **extra):
        user = user or cls.rep
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": user.id,
                "team_id": user.sale_team_id.id,
                "payment_term_id": (term if term is not None else cls.term).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
                **extra,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def invoice(self, order):
        move = order._create_invoices()
        move.action_post()
        return move

    def pay(self, move, amount=None, when=None):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(
                {
                    "payment_date": when or self.today,
                    **({"amount": amount} if amount else {}),
                }
            )
        )
        return wizard._create_payments()

    def days(self, n):
        """{company id: today + n days} for every company, as the cron takes it."""
        return {c.id: self.today + timedelta(days=n) for c in self.env["res.company"].search([])}

    def run_cron(self, days=0):
        return self.env["sales.collection.plan"]._collection_run(today=self.days(days))

    def states(self, plan):
        return plan.installment_ids.sorted("date_due").mapped("state")
