import base64
from datetime import timedelta

from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import ComplianceBlockedError
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PDF_SCAN, ContractCase, RpcError, call_kw


class ContractOrderCase(ContractCase):
    """Contracts whose lines make orders without taxes: amounts read as the contract's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.taxes_id = False
        cls.term = cls.env["account.payment.term"].create(
            {
                "name": "Net 45",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 100, "nb_days": 45})
                ],
            }
        )

    @classmethod
    def order_under(cls, contract, amount=1000.0, qty=1, user=None, confirm=True):
        """An order of ``qty`` times ``amount`` under ``contract``, by its rep."""
        user = user or contract.user_id
        order = (
            cls.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": contract.partner_id.id,
                    "user_id": user.id,
                    "contract_id": contract.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": qty,
                                "price_unit": amount,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order.with_user(cls.env.user)

    def confirm_and_catch(self, order):
        """Confirms ``order`` outside a savepoint (the violations of a refusal stay in the
        transaction); the ComplianceBlockedError raised, or None."""
        try:
            order.action_confirm()
        except ComplianceBlockedError as error:
            return error
        return None

    def violations(self, order, rule):
        return (
            self.env["sales.compliance.violation"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "=", order.id),
                    ("rule_id", "=", rule.id),
                ]
            )
        )


@tagged("post_install", "-at_install")
class TestContractOrders(ContractOrderCase):
    def test_a_quotation_from_a_signed_contract_takes_its_lines_prices_and_terms(self):
        contract = self.signed_contract(payment_term_id=self.term.id)
        action = contract.with_user(self.rep).action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.contract_id, contract)
        self.assertEqual(order.payment_term_id, self.term)
        self.assertEqual(order.user_id, self.rep)
        self.assertEqual(order.state, "draft")
        line = order.order_line
        self.assertEqual(
            (line.product_id, line.product_uom_qty, line.price_unit), (self.product, 10, 1000)
        )

    def test_a_contract_not_yet_signed_makes_no_quotation(self):
        contract = self.make_contract()
        contract.action_submit()
        orders_before = self.env["sale.order"].search_count([])
        with self.assertRefused(UserError, "in force"):
            contract.with_user(self.rep).action_create_quotation()
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)

    def test_a_superseded_version_makes_no_quotation(self):
        first = self.signed_contract()
        second = self.env["sales.contract"].browse(first.action_new_version()["res_id"])
        second.write({"amount": 120000.0})
        second.action_submit()
        self.sign(second)
        with self.assertRefused(UserError, "in force"):
            first.with_user(self.rep).action_create_quotation()
        action = second.with_user(self.rep).action_create_quotation()
        self.assertEqual(self.env["sale.order"].browse(action["res_id"]).contract_id, second)

    def test_a_rep_cannot_make_a_quotation_from_another_teams_contract(self):
        contract = self.signed_contract(user=self.other_rep)
        orders_before = self.env["sale.order"].search_count([])
        with self.assertRefused(AccessError, "sales.contract"):
            contract.with_user(self.rep).action_create_quotation()
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)

    def test_confirming_the_first_order_puts_the_contract_in_performance(self):
        contract = self.signed_contract()
        # a teammate who may not edit the rep's contract confirms the first order
        quotation = self.order_under(contract, user=self.mate, confirm=False)
        self.assertEqual(contract.state, "signed")
        quotation.with_user(self.mate).action_confirm()
        self.assertEqual(contract.state, "performance")
        self.order_under(contract)
        self.assertEqual(contract.state, "performance")

    def test_an_order_cannot_be_placed_under_a_contract_of_another_customer(self):
        contract = self.signed_contract()
        other = self.env["res.partner"].create({"name": "南京其他客户", "is_company": True})
        order = self.env["sale.order"].create({"partner_id": other.id, "user_id": self.rep.id})
        with self.assertRefused(ValidationError, "another customer"):
            order.with_user(self.rep).write({"contract_id": contract.id})
        self.assertFalse(order.contract_id)

    def test_an_existing_quotation_linked_to_a_contract_takes_its_payment_terms(self):
        contract = self.signed_contract(payment_term_id=self.term.id)
        order = self.order_under(contract, confirm=False)
        order.write({"contract_id": False, "payment_term_id": False})
        order.with_user(self.rep).write({"contract_id": contract.id})
        self.assertEqual(order.payment_term_id, self.term)

    def test_an_order_of_a_contact_of_the_customer_goes_under_its_contract(self):
        contract = self.signed_contract()
        buyer = self.env["res.partner"].create(
            {"name": "采购部 王经理", "parent_id": self.customer.id}
        )
        order = self.env["sale.order"].create({"partner_id": buyer.id, "user_id": self.rep.id})
        order.with_user(self.rep).write({"contract_id": contract.id})
        self.assertEqual(order.contract_id, contract)

    def test_an_order_cannot_be_placed_under_a_draft_contract(self):
        contract = self.make_contract()
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "user_id": self.rep.id}
        )
        with self.assertRefused(ValidationError, "in force"):
            order.with_user(self.rep).write({"contract_id": contract.id})
        self.assertFalse(order.contract_id)

    def test_the_orders_button_lists_the_orders_of_every_version(self):
        first = self.signed_contract()
        before = self.order_under(first)
        second = self.env["sales.contract"].browse(first.action_new_version()["res_id"])
        second.write({"amount": 150000.0})
        second.action_submit()
        self.sign(second)
        after = self.order_under(second)
        action = second.with_user(self.rep).action_view_orders()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), before | after)
        self.assertEqual(second.order_count, 2)
        self.assertEqual(
            self.env["sale.order"].browse(after.id).action_view_contract()["res_id"], second.id
        )


@tagged("post_install", "-at_install")
class TestContractOrderChecks(ContractOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_ceiling = cls.env.ref("sales_assistant.rule_order_contract_ceiling")
        cls.rule_in_force = cls.env.ref("sales_assistant.rule_order_contract_not_in_force")
        cls.framework = cls.signed_contract(
            contract_type="framework", amount=15000.0, ceiling=15000.0
        )

    def test_the_default_rules_on_contract_orders_ship_inactive(self):
        self.assertFalse(self.rule_ceiling.active)
        self.assertFalse(self.rule_in_force.active)
        self.assertEqual(
            (self.rule_ceiling.trigger, self.rule_ceiling.outcome), ("confirm", "block")
        )

    def test_an_order_over_the_ceiling_is_refused_when_the_rule_blocks(self):
        self.rule_ceiling.active = True
        self.order_under(self.framework, amount=10000.0)
        order = self.order_under(self.framework, amount=6000.0, confirm=False)
        error = self.confirm_and_catch(order.with_user(self.rep))
        self.assertIsInstance(error, UserError)
        self.assertIn("framework agreement", str(error))
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.collection_plan_ids)
        self.assertEqual(self.framework.amount_ordered, 10000.0)
        violation = self.violations(order, self.rule_ceiling)
        self.assertEqual(len(violation), 1)
        self.assertEqual(violation.outcome, "block")
        # the value is what the order takes beyond what remains (5,000 remain)
        self.assertAlmostEqual(violation.value, 1000.0)

    def test_an_order_within_what_remains_passes_the_ceiling(self):
        self.rule_ceiling.active = True
        self.order_under(self.framework, amount=10000.0)
        order = self.order_under(self.framework, amount=5000.0)
        self.assertEqual(order.state, "sale")
        self.assertFalse(self.violations(order, self.rule_ceiling))

    def test_an_order_over_the_ceiling_is_confirmed_and_logged_when_the_rule_warns(self):
        self.rule_ceiling.write({"active": True, "outcome": "warn"})
        order = self.order_under(self.framework, amount=16000.0)
        self.assertEqual(order.state, "sale")
        violation = self.violations(order, self.rule_ceiling)
        self.assertEqual(violation.outcome, "warn")
        self.assertAlmostEqual(violation.value, 1000.0)
        self.assertTrue(self.framework.is_over_ceiling)
        self.assertLess(self.framework.amount_remaining, 0)

    def test_an_order_under_an_expired_contract_is_refused_when_the_rule_blocks(self):
        self.rule_in_force.active = True
        contract = self.signed_contract(
            date_start=self.today - timedelta(days=100), date_end=self.today - timedelta(days=10)
        )
        order = self.order_under(contract, confirm=False)
        error = self.confirm_and_catch(order.with_user(self.rep))
        self.assertIn("not signed, or has ended", str(error))
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertEqual(contract.state, "signed")
        violation = self.violations(order, self.rule_in_force)
        self.assertEqual(violation.value, 10)

    def test_an_order_under_a_terminated_contract_is_refused_when_the_rule_blocks(self):
        self.rule_in_force.active = True
        contract = self.signed_contract()
        order = self.order_under(contract, confirm=False)
        termination = self.env["sales.contract"].browse(contract.action_terminate()["res_id"])
        termination.action_submit()
        self.sign(termination)
        error = self.confirm_and_catch(order.with_user(self.rep))
        self.assertIsNotNone(error)
        self.assertEqual(order.state, "draft")

    def test_an_order_under_a_contract_in_force_passes(self):
        self.rule_in_force.active = True
        order = self.order_under(self.framework, amount=100.0)
        self.assertEqual(order.state, "sale")
        self.assertFalse(self.violations(order, self.rule_in_force))


@tagged("post_install", "-at_install")
class TestContractOrderLinkOverRpc(HttpCase):
    """A rep links an order to a contract over JSON-RPC, as the web client does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env = env
        env["sales.compliance.rule"].search([]).write({"active": False})
        cls.rep = new_test_user(env, login="cto_rep", groups="sales_team.group_sale_salesman")
        cls.customer = env["res.partner"].create({"name": "常州客户", "is_company": True})
        cls.other = env["res.partner"].create({"name": "扬州客户", "is_company": True})
        today = env.company._sales_today()

        def signed(partner):
            contract = env["sales.contract"].create(
                {
                    "partner_id": partner.id,
                    "user_id": cls.rep.id,
                    "amount": 5000.0,
                    "date_start": today,
                    "date_end": today + timedelta(days=90),
                }
            )
            contract.action_submit()
            env["sales.contract.sign"].create(
                {
                    "contract_id": contract.id,
                    "date_signed": today,
                    "scan": base64.b64encode(PDF_SCAN),
                    "scan_name": "signed.pdf",
                }
            ).action_sign()
            return contract

        cls.contract = signed(cls.customer)
        cls.foreign_contract = signed(cls.other)
        cls.draft = env["sales.contract"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep.id,
                "amount": 5000.0,
                "date_start": today,
            }
        )
        cls.order = env["sale.order"].create({"partner_id": cls.customer.id, "user_id": cls.rep.id})

    def test_a_rep_links_an_order_only_to_a_contract_in_force_of_its_customer(self):
        self.authenticate("cto_rep", "cto_rep")
        for contract, message in (
            (self.foreign_contract, "another customer"),
            (self.draft, "in force"),
        ):
            with (
                self.subTest(contract=contract.display_name),
                self.assertRaises(RpcError) as caught,
            ):
                call_kw(
                    self, "sale.order", "write", [[self.order.id], {"contract_id": contract.id}]
                )
            self.assertIn(message, str(caught.exception))
            self.order.invalidate_recordset()
            self.assertFalse(self.order.contract_id)
        call_kw(self, "sale.order", "write", [[self.order.id], {"contract_id": self.contract.id}])
        self.order.invalidate_recordset()
        self.assertEqual(self.order.contract_id, self.contract)
