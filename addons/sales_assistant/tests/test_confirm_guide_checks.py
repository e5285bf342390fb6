from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import ComplianceBlockedError
from odoo.tests import TransactionCase, tagged

from .common import ConfirmGuideCase


@tagged("post_install", "-at_install")
class TestConfirmGuideChecks(ConfirmGuideCase, TransactionCase):
    """The two compliance checks of the assistant, through sales_compliance's check registry:
    they refuse on the same figures the guided confirmation screen shows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_confirm_data()
        cls.deposit_term = cls.env["account.payment.term"].create(
            {
                "name": "30% deposit, balance 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70, "nb_days": 60}),
                ],
            }
        )

    def test_checks_are_in_the_registry(self):
        checks = self.env["sales.compliance.rule"]._compliance_checks()
        self.assertEqual(checks["stock_availability"].models, ("sale.order",))
        self.assertTrue(checks["deposit_received"].measured)

    def test_stock_availability_blocks_and_the_split_lets_the_rest_through(self):
        self._rule(name="Goods in stock", check="stock_availability", outcome="block")
        order = self._quotation()
        guide = self._guide(order)
        self.assertEqual(guide.check_ids.mapped("state"), ["block"])
        self.assertTrue(guide.blocked)
        self.assertTrue(guide.splittable)
        # the line the screen shows unavailable is the line the rule names
        unavailable = guide.line_ids.filtered(lambda line: not line.available).order_line_id
        (failure,) = order._compliance_failures("confirm")
        self.assertEqual(failure["values"]["lines"], unavailable.ids)
        with self.assertRaisesRegex(ComplianceBlockedError, "Goods in stock"):
            order.with_user(self.rep).action_confirm()
        self.assertEqual(order.state, "draft")
        # the lines in stock go through the same gate once the rest waits in a quotation
        guide.action_confirm_available()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.assistant_split_ids.order_line, unavailable)

    def test_deposit_received_blocks_until_paid(self):
        self._rule(name="Deposit first", check="deposit_received", outcome="block")
        order = self._quotation().with_env(self.env)
        order.payment_term_id = self.deposit_term
        guide = self._guide(order)
        self.assertEqual(guide.check_ids.mapped("state"), ["block"])
        self.assertGreater(guide.deposit_asked, 0)
        self.assertEqual(guide.deposit_received, 0)
        with self.assertRaisesRegex(ComplianceBlockedError, "Deposit first"):
            order.with_user(self.rep).action_confirm()
        self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": "percentage", "amount": 30}).create_invoices()
        invoice = order.invoice_ids
        invoice.invoice_payment_term_id = self.env.ref("account.account_payment_term_immediate")
        invoice.action_post()
        # invoiced is not received
        self.assertTrue(self._guide(order).blocked)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        guide = self._guide(order)
        self.assertFalse(guide.check_ids)
        self.assertEqual(guide.deposit_received, invoice.amount_total)
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_no_deposit_asked_passes(self):
        self._rule(name="Deposit first", check="deposit_received", outcome="block")
        order = self._quotation(short_qty=1)
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.state, "sale")
