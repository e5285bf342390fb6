"""A confirmation blocked by a compliance rule leaves no trace in stock (sale_stock installed)."""

from odoo.addons.sales_compliance.models.sales_compliance_mixin import ComplianceBlockedError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestBlockedConfirmationStock(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a refusal commits its violation with a cursor of its own: in test mode, a test
        # cursor inside this test's transaction
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.rep = new_test_user(
            cls.env, login="stock_block_rep", groups="sales_team.group_sale_salesman"
        )
        officer = new_test_user(
            cls.env,
            login="stock_block_officer",
            groups="base.group_user,sales_compliance.group_compliance_officer",
        )
        cls.rule = (
            cls.env["sales.compliance.rule"]
            .with_user(officer)
            .create(
                {
                    "name": "Orders above 1,000 need a contract review",
                    "model_name": "sale.order",
                    "trigger": "confirm",
                    "condition_type": "domain",
                    "domain": "[('amount_untaxed', '>', 1000)]",
                    "outcome": "block",
                }
            )
        )
        customer = cls.env["res.partner"].create({"name": "深圳市腾达电子有限公司"})
        product = cls.env["product.product"].create(
            {"name": "Stocked valve", "type": "consu", "is_storable": True, "list_price": 600}
        )
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.rep)
            .create(
                {
                    "partner_id": customer.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
                }
            )
        )
        cls.picking_sequence = cls.env.ref("stock.picking_type_out").sequence_id

    def _snapshot(self):
        self.env.flush_all()
        return {
            "state": self.order.state,
            "name": self.order.name,
            "date_order": self.order.date_order,
            "pickings": self.env["stock.picking"].search_count([("origin", "=", self.order.name)]),
            "moves": self.env["stock.move"].search_count(
                [("sale_line_id.order_id", "=", self.order.id)]
            ),
            "picking_number_next": self.picking_sequence.number_next_actual,
            "outgoing_mails": self.env["mail.mail"].search_count([]),
        }

    def _violations(self):
        return self.env["sales.compliance.violation"].search(
            [("rule_id", "=", self.rule.id), ("res_id", "=", self.order.id)]
        )

    def test_blocked_in_the_web_client_shows_a_dialog_and_changes_no_stock(self):
        before = self._snapshot()
        action = self.order.with_context(compliance_dialog=True).action_confirm()
        self.assertIsInstance(action, dict)
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(len(self._violations()), 1)

    def test_blocked_from_code_raises_and_changes_no_stock(self):
        before = self._snapshot()
        try:
            self.order.action_confirm()
        except ComplianceBlockedError as error:
            self.assertIn("contract review", str(error))
        else:
            self.fail("the rule did not block the confirmation")
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(len(self._violations()), 1)

    def test_the_same_order_confirms_and_ships_once_the_rule_is_off(self):
        self.rule.active = False
        self.order.action_confirm()
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(len(self.order.picking_ids), 1)
        self.assertEqual(self.order.receipt_state, "delivering")
