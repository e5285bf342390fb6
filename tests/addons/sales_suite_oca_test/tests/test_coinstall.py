"""The suite in one database with the OCA modules companies run for the same jobs.

Two confirmation gates (ours and ``sale_exception``), a second approval workflow
(``sale_tier_validation``), a second credit check (``sale_financial_risk``) and a second
commission engine (``sale_commission_oca``) must all run, and none may switch another off.
"""

from odoo import Command
from odoo.addons.base_exception.exceptions import BaseExceptionError
from odoo.addons.sales_compliance.models.sales_compliance_mixin import ComplianceBlockedError
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestNextToOca(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.rep = new_test_user(
            cls.env, login="oca_rep", groups="sales_team.group_sale_salesman", name="Rep Oca"
        )
        cls.manager = new_test_user(
            cls.env,
            login="oca_manager",
            groups="sales_team.group_sale_manager",
            name="Manager Oca",
        )
        cls.customer = cls.env["res.partner"].create({"name": "OCA Customer", "is_company": True})
        cls.product = cls.env["product.product"].create(
            {"name": "Gadget", "list_price": 100.0, "type": "consu", "taxes_id": [Command.clear()]}
        )
        # Rules shipped as demo data, theirs and ours, stay out of the way
        cls.env["sales.compliance.rule"].search([]).write({"active": False})
        cls.env["sales.compliance.discount.ceiling"].search([]).write({"active": False})
        cls.env["exception.rule"].search([]).write({"active": False})
        cls.env["tier.definition"].search([]).write({"active": False})
        cls.big_order_exception = cls.env["exception.rule"].create(
            {
                "name": "Order over 500 (OCA)",
                "model": "sale.order",
                "exception_type": "by_py_code",
                "code": "failed = self.amount_total > 500",
            }
        )

    def _order(self, price=100.0):
        return (
            self.env["sale.order"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.rep.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "price_unit": price})
                    ],
                }
            )
        )

    def _our_rule(self, outcome, amount_limit):
        return self.env["sales.compliance.rule"].create(
            {
                "name": f"Order over {amount_limit} (ours)",
                "model_name": "sale.order",
                "trigger": "confirm",
                "condition_type": "builtin",
                "check": "amount",
                "amount_limit": amount_limit,
                "outcome": outcome,
            }
        )

    def _our_violations(self, order):
        return self.env["sales.compliance.violation"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )

    def test_both_gates_run_when_both_pass(self):
        self._our_rule("warn", 50.0)
        order = self._order(price=100.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.exception_ids, "sale_exception checked the order and found nothing")
        self.assertTrue(self._our_violations(order), "our warning was logged on the way")

    def test_sale_exception_still_blocks_after_our_gate_passes(self):
        self._our_rule("block", 10_000.0)
        order = self._order(price=800.0)
        with self.assertRaises(BaseExceptionError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.big_order_exception.active = False  # the OCA rule, and nothing of ours, blocked
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_our_block_holds_when_sale_exception_passes(self):
        self.big_order_exception.active = False
        self._our_rule("block", 50.0)
        order = self._order(price=100.0)
        with self.assertRaises(ComplianceBlockedError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_tier_validation_and_our_gate_both_apply(self):
        self.big_order_exception.active = False
        self._our_rule("warn", 50.0)
        self.env["tier.definition"].create(
            {
                "name": "Every quotation (OCA)",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "review_type": "individual",
                "reviewer_id": self.manager.id,
                "definition_domain": "[]",
            }
        )
        order = self._order(price=100.0)
        with self.assertRaises(ValidationError):
            order.action_confirm()  # tier validation refuses an order nobody validated
        self.assertEqual(order.state, "draft")
        order.request_validation()
        order.invalidate_recordset()
        order.with_user(self.manager).validate_tier()
        order.invalidate_recordset()
        self.assertTrue(order.validated, order.review_ids.mapped("status"))
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(self._our_violations(order))

    def test_financial_risk_bypass_does_not_bypass_our_credit_gate(self):
        """OCA's risk wizard continues with ``bypass_risk``: that must not skip our rules."""
        self.big_order_exception.active = False
        self.customer.write({"credit_limit": 50.0, "risk_sale_order_include": True})
        credit_rule = self.env["sales.compliance.rule"].create(
            {
                "name": "Credit (ours)",
                "model_name": "sale.order",
                "trigger": "confirm",
                "condition_type": "builtin",
                "check": "credit_exposure",
                "outcome": "warn",
            }
        )
        order = self._order(price=100.0)
        action = order.action_confirm()  # our warning logged, then OCA's risk check asks
        self.assertEqual(action["res_model"], "partner.risk.exceeded.wiz")
        self.assertEqual(order.state, "draft")
        credit_rule.outcome = "block"
        with self.assertRaises(ComplianceBlockedError):
            order.with_context(bypass_risk=True).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_oca_commission_and_our_split_credit_on_one_order(self):
        self.big_order_exception.active = False
        commission = self.env["commission"].create(
            {"name": "5% (OCA)", "commission_type": "fixed", "fix_qty": 5.0}
        )
        agent = self.env["res.partner"].create(
            {"name": "Agent Oca", "agent": True, "commission_id": commission.id}
        )
        self.customer.agent_ids = agent
        order = self._order(price=200.0)
        order.credit_share_ids = [
            Command.create({"user_id": self.rep.id, "share": 60.0}),
            Command.create({"user_id": self.manager.id, "share": 40.0}),
        ]
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        line_agents = order.order_line.agent_ids
        self.assertEqual(line_agents.agent_id, agent)
        self.assertAlmostEqual(sum(line_agents.mapped("amount")), 10.0)  # OCA: 5% of 200
        shares = {share.user_id: share.share for share in order.credit_share_ids}
        self.assertEqual(shares, {self.rep: 60.0, self.manager: 40.0})  # ours: the split holds
