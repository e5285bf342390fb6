import base64
from datetime import timedelta

from odoo import Command
from odoo.addons.sales_compliance.tests.common import disable_demo_rules
from odoo.tests import HttpCase, tagged

from .common import PDF_SCAN, deliver, tour_user


@tagged("post_install", "-at_install")
class TestContractTour(HttpCase):
    """In the browser: the life of a contract, from the rep's draft through legal and the
    general manager to the signed scan; and a change that waits while version 1 stays in
    force."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        disable_demo_rules(env)
        env.ref("sales_assistant.rule_contract_legal_review").active = True
        env.ref("sales_assistant.rule_contract_general_manager").active = True
        cls.rep = tour_user(
            env, "ct_tour_rep", "sales_team.group_sale_salesman", "Contract Tour Rep"
        )
        cls.legal = tour_user(
            env,
            "ct_tour_legal",
            "base.group_user,sales_assistant.group_contract_legal",
            "Contract Tour Legal",
        )
        cls.general_manager = tour_user(
            env,
            "ct_tour_gm",
            "sales_assistant.group_contract_manager",
            "Contract Tour General Manager",
        )
        cls.product = env["product.product"].create(
            {
                "name": "Tour Switchgear",
                "type": "consu",
                "list_price": 1200.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        cls.today = env.company._sales_today()

    def _approvals(self, contract):
        return self.env["sales.compliance.approval"].search(
            [("res_model", "=", "sales.contract"), ("res_id", "=", contract.id)]
        )

    def test_contract_life_tour(self):
        customer = self.env["res.partner"].create(
            {"name": "Tour Contract Customer", "is_company": True}
        )
        self.start_tour("/odoo", "sales_contract_draft_submit", login="ct_tour_rep")
        contract = self.env["sales.contract"].search([("partner_id", "=", customer.id)])
        self.assertEqual(contract.state, "review")
        self.assertEqual(contract.user_id, self.rep)
        self.assertEqual(contract.amount, 600000)
        self.assertEqual(contract.line_ids.product_id, self.product)
        self.assertEqual(contract.line_ids.quantity, 500)
        self.assertEqual(
            sorted(self._approvals(contract).mapped("rule_id.name")),
            [
                "General manager above 500,000 (总经理审批)",
                "Legal review of every contract (法务审核)",
            ],
        )

        self.start_tour("/odoo", "sales_contract_legal_approve", login="ct_tour_legal")
        self.assertEqual(contract.state, "review", "the general manager has not approved yet")
        self.start_tour("/odoo", "sales_contract_general_manager_approve", login="ct_tour_gm")
        self.assertEqual(self._approvals(contract).mapped("state"), ["approved", "approved"])
        self.assertEqual(contract.state, "approved")

        self.start_tour("/odoo", "sales_contract_sign", login="ct_tour_rep")
        self.assertEqual(contract.state, "signed")
        self.assertEqual(contract.date_signed, self.today)
        self.assertEqual(contract.scan_ids.mapped("name"), ["signed-contract.pdf"])
        self.assertEqual(base64.b64decode(contract.scan_ids.datas)[:5], b"%PDF-")

        self.start_tour("/odoo", "sales_contract_order", login="ct_tour_rep")
        order = contract.order_ids
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.user_id, self.rep)
        self.assertEqual(order.amount_total, 600000)
        self.assertEqual(contract.state, "performance")

        deliver(order)
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": self.today})._create_payments()
        self.assertEqual(invoice.payment_state, "paid")

        self.start_tour("/odoo", "sales_contract_performance", login="ct_tour_rep")

    def test_change_stays_pending_tour(self):
        customer = self.env["res.partner"].create(
            {"name": "Tour Change Customer", "is_company": True}
        )
        contract = (
            self.env["sales.contract"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": customer.id,
                    "title": "Cabinets",
                    "amount": 120000,
                    "date_start": self.today,
                    "date_end": self.today + timedelta(days=364),
                    "line_ids": [
                        Command.create(
                            {"product_id": self.product.id, "quantity": 100, "price_unit": 1200}
                        )
                    ],
                }
            )
        )
        contract.action_submit()
        self._approvals(contract).with_user(self.legal).action_approve()
        self.env["sales.contract.sign"].with_user(self.rep).create(
            {
                "contract_id": contract.id,
                "scan": base64.b64encode(PDF_SCAN),
                "scan_name": "signed.pdf",
            }
        ).action_sign()
        self.assertEqual(contract.state, "signed")

        self.start_tour("/odoo", "sales_contract_change_pending", login="ct_tour_rep")
        change = contract.version_ids - contract
        self.assertEqual(change.version, 2)
        self.assertEqual(change.amount, 130000)
        self.assertEqual(change.change_reason, "Ten more cabinets")
        self.assertEqual(change.state, "review")
        self.assertEqual(contract.state, "signed")
        self.assertEqual(contract.amount, 120000)
        self.assertTrue(contract.is_head)
        self.assertFalse(change.is_head)
        self.assertEqual(contract.with_user(self.rep).pending_change_id, change)
        self.assertFalse(change.with_user(self.rep).pending_change_id)
