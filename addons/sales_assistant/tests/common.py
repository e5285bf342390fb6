"""The base classes and shared set-ups of the sales_assistant tests."""

import base64
import re
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from odoo import Command
from odoo.addons.sales_compliance.tests.common import (
    RpcError,
    call_kw,
    disable_demo_rules,
    tour_user,
)
from odoo.tests import TransactionCase, new_test_user

__all__ = [
    "PDF_SCAN",
    "ClosingCase",
    "CollectionCase",
    "ConfirmGuideCase",
    "ContractCase",
    "HandoverCase",
    "MyDayCase",
    "RpcError",
    "call_kw",
    "deliver",
    "receipt_link",
    "tour_collection_order",
    "tour_user",
]


def receipt_link(case, order):
    """The link the customer got by e-mail to confirm receipt of ``order``."""
    mails = (
        case.env["mail.mail"]
        .sudo()
        .search([("body_html", "like", f"/my/orders/{order.id}/receipt?token=")])
    )
    case.assertEqual(len(mails), 1, "one receipt request e-mail per order")
    case.assertIn(order.partner_id, mails.recipient_ids)
    return re.search(r'href="[^"]*(/my/orders/\d+/receipt\?token=[^"]+)"', mails.body_html)[1]


def deliver(order):
    """Delivers all of ``order``: every move done, its pickings validated."""
    moves = order.picking_ids.move_ids
    for move in moves:
        move.quantity = move.product_uom_qty
    moves.picked = True
    order.picking_ids.button_validate()


def tour_collection_order(env, rep):
    """A confirmed order of 1,000 by ``rep`` for the collection tours: half now, half in 30
    days."""
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
                    {"product_id": product.id, "price_unit": 1000, "tax_id": [Command.clear()]}
                )
            ],
        }
    )
    order.action_confirm()
    return order


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
        cls.today = cls.company._sales_today()

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


class MyDayCase(TransactionCase):
    """A team (leader, two reps), a rep of another team, stages with a visit cadence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.rep = new_test_user(
            env, login="myday_rep", groups="sales_team.group_sale_salesman", name="Rep Wang"
        )
        cls.rep_2 = new_test_user(
            env, login="myday_rep_2", groups="sales_team.group_sale_salesman", name="Rep Zhao"
        )
        cls.leader = new_test_user(
            env,
            login="myday_leader",
            groups="sales_team.group_sale_salesman_all_leads,sales_targets.group_targets_team_leader",
            name="Leader Li",
        )
        cls.other_rep = new_test_user(
            env, login="myday_other", groups="sales_team.group_sale_salesman", name="Rep Sun"
        )
        cls.manager = new_test_user(
            env, login="myday_manager", groups="sales_team.group_sale_manager", name="Manager Zhou"
        )
        cls.team = env["crm.team"].create(
            {
                "name": "East China",
                "user_id": cls.leader.id,
                "member_ids": [Command.set((cls.rep | cls.rep_2).ids)],
            }
        )
        cls.other_team = env["crm.team"].create(
            {"name": "North China", "member_ids": [Command.set(cls.other_rep.ids)]}
        )
        Stage = env["crm.stage"]
        cls.stage_potential = Stage.create({"name": "Potential", "visit_frequency": 1})
        cls.stage_bidding = Stage.create({"name": "Bidding", "visit_frequency": 2})
        cls.stage_negotiation = Stage.create({"name": "Negotiation", "visit_frequency": 3})
        cls.stage_none = Stage.create({"name": "Nurturing", "visit_frequency": 0})
        cls.stage_won = Stage.create({"name": "Signed", "is_won": True, "visit_frequency": 3})
        cls.customer = env["res.partner"].create({"name": "苏州精密机械有限公司"})
        cls.visit_type = env.ref("sales_targets.mail_activity_type_visit")
        cls.call_type = env.ref("mail.mail_activity_data_call")
        cls.today = cls.rep._sales_person_today()

    @classmethod
    def make_lead(cls, user, stage, name="Opportunity", **values):
        return cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "user_id": user.id,
                "team_id": user.sale_team_id.id,
                "partner_id": cls.customer.id,
                "stage_id": stage.id,
                **values,
            }
        )

    @classmethod
    def make_activity(cls, record, user, activity_type=None, days=0, done_days_ago=None, **values):
        """An activity due in ``days`` days; done ``done_days_ago`` days ago when given."""
        activity = cls.env["mail.activity"].create(
            {
                "activity_type_id": (activity_type or cls.visit_type).id,
                "res_model_id": cls.env["ir.model"]._get_id(record._name),
                "res_id": record.id,
                "user_id": user.id,
                "date_deadline": cls.today + timedelta(days=days),
                **values,
            }
        )
        if done_days_ago is not None:
            activity.action_feedback(feedback="Met the buyer")
            activity.date_done = cls.today - timedelta(days=done_days_ago)
        return activity


class ClosingCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.rep = new_test_user(
            env, login="cl_rep", groups="sales_team.group_sale_salesman", name="Rep Wu"
        )
        cls.other_rep = new_test_user(
            env, login="cl_other", groups="sales_team.group_sale_salesman", name="Rep Zheng"
        )
        cls.leader = new_test_user(
            env, login="cl_leader", groups="sales_team.group_sale_salesman", name="Leader Feng"
        )
        cls.manager = new_test_user(env, login="cl_manager", groups="sales_team.group_sale_manager")
        cls.team = env["crm.team"].create(
            {"name": "North", "user_id": cls.leader.id, "member_ids": [Command.set(cls.rep.ids)]}
        )
        cls.other_team = env["crm.team"].create(
            {"name": "South", "member_ids": [Command.set(cls.other_rep.ids)]}
        )
        cls.stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence")
        cls.competitor = env["sales.competitor"].create({"name": "华为"})
        cls.price = env["crm.lost.reason"].create({"name": "Price too high"})
        cls.to_competitor = env.ref("sales_assistant.closing_reason_lost_competitor")
        cls.won_reason = env.ref("sales_assistant.closing_reason_won_value")

    def _lead(self, user=None, **values):
        user = user or self.rep
        return (
            self.env["crm.lead"]
            .with_user(user)
            .create(
                {
                    "name": "Boiler tender",
                    "type": "opportunity",
                    "user_id": user.id,
                    "stage_id": self.stages[1].id,
                    "expected_revenue": 50000,
                    **values,
                }
            )
        )

    def _require_summary(self):
        self.env["ir.config_parameter"].set_param("sales_assistant.closing_summary_required", "1")

    def _lose(self, lead, **values):
        wizard = (
            self.env["crm.lead.lost"]
            .with_user(lead.env.user)
            .create({"lead_ids": [Command.set(lead.ids)], **values})
        )
        return wizard.action_lost_reason_apply()

    def _win(self, lead, **values):
        wizard = (
            self.env["sales.lead.won"]
            .with_user(lead.env.user)
            .create({"lead_ids": [Command.set(lead.ids)], **values})
        )
        return wizard.action_apply()

    def _suspend(self, lead, days=30, **values):
        wizard = (
            self.env["sales.lead.suspend"]
            .with_user(lead.env.user)
            .create(
                {
                    "lead_ids": [Command.set(lead.ids)],
                    "resume_date": self.env.company._sales_today() + timedelta(days=days),
                    **values,
                }
            )
        )
        return wizard.action_apply()


class HandoverCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.manager = new_test_user(
            env, login="ho_manager", groups="sales_team.group_sale_manager", name="Manager Wang"
        )
        cls.leaving = new_test_user(
            env, login="ho_leaving", groups="sales_team.group_sale_salesman", name="Rep Zhao"
        )
        cls.succ_a = new_test_user(
            env, login="ho_succ_a", groups="sales_team.group_sale_salesman", name="Rep Qian"
        )
        cls.succ_b = new_test_user(
            env, login="ho_succ_b", groups="sales_team.group_sale_salesman", name="Rep Sun"
        )
        cls.leader = new_test_user(
            env, login="ho_leader", groups="sales_team.group_sale_salesman", name="Leader Li"
        )
        cls.outsider = new_test_user(
            env, login="ho_outsider", groups="sales_team.group_sale_salesman", name="Rep Zhou"
        )
        cls.team = env["crm.team"].create(
            {
                "name": "East",
                "user_id": cls.leader.id,
                "member_ids": [Command.set((cls.leaving | cls.succ_a | cls.succ_b).ids)],
            }
        )
        Partner = env["res.partner"].sudo()
        cls.customers = Partner.create(
            [
                {
                    "name": f"华东客户 {i}",
                    "is_company": True,
                    "user_id": cls.leaving.id,
                    "email": f"c{i}@example.com",
                    "customer_rank": 1,
                }
                for i in range(4)
            ]
        )
        cls.foreign_customer = Partner.create(
            {"name": "Other rep's customer", "is_company": True, "user_id": cls.outsider.id}
        )
        stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence", limit=1)
        cls.leads = env["crm.lead"].create(
            [
                {
                    "name": f"Deal {i}",
                    "type": "opportunity",
                    "partner_id": cls.customers[i].id,
                    "user_id": cls.leaving.id,
                    "team_id": cls.team.id,
                    "stage_id": stages.id,
                    "probability": 90 if i == 0 else 20,
                    "expected_revenue": 10000 * (i + 1),
                }
                for i in range(3)
            ]
        )
        cls.product = env["product.product"].create(
            {"name": "Pump", "type": "consu", "list_price": 100.0}
        )
        cls.quotation = env["sale.order"].create(
            {
                "partner_id": cls.customers[1].id,
                "user_id": cls.leaving.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.order = env["sale.order"].create(
            {
                "partner_id": cls.customers[2].id,
                "user_id": cls.leaving.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.order.action_confirm()
        cls.activity = cls.customers[3].activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.leaving.id, summary="Call back"
        )

    def _wizard(self, user=None, **values):
        values.setdefault("from_user_id", self.leaving.id)
        return self.env["sales.handover.wizard"].with_user(user or self.manager).create(values)

    def _held_by_leaving(self):
        return (
            self.env["res.partner"].search_count([("user_id", "=", self.leaving.id)])
            + self.env["crm.lead"].search_count([("user_id", "=", self.leaving.id)])
            + self.env["sale.order"].search_count([("user_id", "=", self.leaving.id)])
        )


class ConfirmGuideCase:
    """A rep's quotation: a line in stock, a line short of stock with a receipt on its way,
    and a service."""

    @classmethod
    def _setup_confirm_data(cls):
        env = cls.env
        disable_demo_rules(env)
        env.company.assistant_confirm_guide = True
        cls.rep = new_test_user(
            env, login="guide_rep", groups="sales_team.group_sale_salesman", name="Rep Zhao"
        )
        cls.other_rep = new_test_user(
            env, login="guide_other_rep", groups="sales_team.group_sale_salesman"
        )
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        cls.customer = env["res.partner"].create({"name": "苏州恒通机电有限公司"})
        cls.in_stock = env["product.product"].create(
            {"name": "Ball valve DN50", "is_storable": True, "list_price": 100.0}
        )
        cls.short = env["product.product"].create(
            {"name": "Gate valve DN200", "is_storable": True, "list_price": 500.0}
        )
        cls.service = env["product.product"].create(
            {"name": "Installation", "type": "service", "list_price": 80.0}
        )
        env["stock.quant"]._update_available_quantity(cls.in_stock, cls.warehouse.lot_stock_id, 10)
        env["stock.quant"]._update_available_quantity(cls.short, cls.warehouse.lot_stock_id, 2)
        # 10 gate valves arrive in 5 days
        cls.arrival = env.user._sales_person_today() + timedelta(days=5)
        receipt = env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.in_type_id.id,
                "partner_id": cls.customer.id,
                # at noon UTC: the same day in UTC and in Shanghai
                "scheduled_date": datetime.combine(cls.arrival, time(12)),
                "move_ids": [
                    Command.create(
                        {
                            "name": "Gate valves",
                            "product_id": cls.short.id,
                            "product_uom_qty": 10,
                            "product_uom": cls.short.uom_id.id,
                            "location_id": env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": cls.warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()

    @classmethod
    def _quotation(cls, user=None, short_qty=5):
        return (
            cls.env["sale.order"]
            .with_user(user or cls.rep)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": (user or cls.rep).id,
                    "warehouse_id": cls.warehouse.id,
                    "order_line": [
                        Command.create({"product_id": cls.in_stock.id, "product_uom_qty": 3}),
                        Command.create({"product_id": cls.short.id, "product_uom_qty": short_qty}),
                        Command.create({"product_id": cls.service.id, "product_uom_qty": 1}),
                    ],
                }
            )
        )

    def _guide(self, order, user=None):
        action = order.with_user(user or self.rep).action_confirm_guided()
        self.assertEqual(action["res_model"], "sales.confirm.guide")
        return self.env["sales.confirm.guide"].with_user(user or self.rep).browse(action["res_id"])

    def _rule(self, **values):
        return self.env["sales.compliance.rule"].create(
            {"model_name": "sale.order", "trigger": "confirm", **values}
        )


# the smallest PDF a signed scan can be: its content, not its name, is checked
PDF_SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ContractCase(TransactionCase):
    """A team of two reps and its leader, another team's rep, the sales desk, a legal
    reviewer, a general manager and finance; a customer and a product; the contract review
    rules of the addon (inactive until a test switches them on)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # refused actions commit their violations with a cursor of their own
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        disable_demo_rules(cls.env)
        cls.company = cls.env.company
        salesman = "sales_team.group_sale_salesman"
        cls.rep = new_test_user(cls.env, login="ct_rep", groups=salesman)
        cls.mate = new_test_user(cls.env, login="ct_mate", groups=salesman)
        cls.leader = new_test_user(cls.env, login="ct_leader", groups=salesman)
        cls.other_rep = new_test_user(cls.env, login="ct_other_rep", groups=salesman)
        cls.desk = new_test_user(
            cls.env, login="ct_desk", groups="sales_assistant.group_assistant_desk"
        )
        cls.legal = new_test_user(
            cls.env, login="ct_legal", groups="base.group_user,sales_assistant.group_contract_legal"
        )
        cls.general_manager = new_test_user(
            cls.env, login="ct_gm", groups="sales_assistant.group_contract_manager"
        )
        cls.finance = new_test_user(
            cls.env, login="ct_finance", groups="account.group_account_manager"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Contracts East", "user_id": cls.leader.id, "company_id": cls.company.id}
        )
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Contracts West", "company_id": cls.company.id}
        )
        cls.env["crm.team.member"].create(
            [
                {"crm_team_id": cls.team.id, "user_id": cls.rep.id},
                {"crm_team_id": cls.team.id, "user_id": cls.mate.id},
                {"crm_team_id": cls.other_team.id, "user_id": cls.other_rep.id},
            ]
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "无锡华东电气有限公司", "is_company": True}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Switchgear", "type": "consu", "list_price": 1200.0, "invoice_policy": "order"}
        )
        cls.today = cls.company._sales_today()
        cls.rule_legal = cls.env.ref("sales_assistant.rule_contract_legal_review")
        cls.rule_general_manager = cls.env.ref("sales_assistant.rule_contract_general_manager")
        cls.rule_finance = cls.env.ref("sales_assistant.rule_contract_finance")

    @contextmanager
    def assertRefused(self, exception, pattern):
        """The block raises ``exception`` with a message matching ``pattern``, and what it
        wrote is rolled back (Odoo's ``assertRaises`` runs it in a savepoint)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    @classmethod
    def make_contract(cls, user=None, amount=100000.0, **values):
        """A draft contract of ``user`` (the rep), written as that user."""
        user = user or cls.rep
        vals = {
            "partner_id": cls.customer.id,
            "title": "Switchgear supply",
            "amount": amount,
            "date_start": cls.today,
            "date_end": cls.today + timedelta(days=364),
            "deposit_percent": 30.0,
            "line_ids": [
                Command.create({"product_id": cls.product.id, "quantity": 10, "price_unit": 1000})
            ],
            **values,
        }
        return cls.env["sales.contract"].with_user(user).create(vals)

    @classmethod
    def sign(cls, contract, user=None, scan=PDF_SCAN, date_signed=None):
        """Sign ``contract`` through the signing dialog, as ``user`` (its rep)."""
        wizard = (
            cls.env["sales.contract.sign"]
            .with_user(user or contract.user_id)
            .create(
                {
                    "contract_id": contract.id,
                    "date_signed": date_signed or cls.today,
                    "scan": base64.b64encode(scan) if scan else False,
                    "scan_name": "signed.pdf",
                }
            )
        )
        return wizard.action_sign()

    @classmethod
    def approve_all(cls, contract, approvers):
        """Each of ``approvers`` approves the steps of the contract's requests they may decide."""
        Approval = cls.env["sales.compliance.approval"]
        for approver in approvers:
            approvals = Approval.sudo().search(
                [
                    ("res_model", "=", "sales.contract"),
                    ("res_id", "=", contract.id),
                    ("state", "=", "pending"),
                ]
            )
            for approval in approvals.filtered(
                lambda a, who=approver: who in a.pending_approver_ids
            ):
                approval.with_user(approver).action_approve()

    @classmethod
    def signed_contract(cls, user=None, **values):
        contract = cls.make_contract(user, **values)
        contract.action_submit()
        cls.sign(contract)
        return contract
