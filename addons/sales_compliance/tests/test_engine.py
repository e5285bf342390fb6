from lxml import etree

from odoo.addons.sales_compliance.models.sales_compliance_mixin import (
    COMPLIANCE_SKIP,
    ComplianceBlockedError,
)
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestEngine(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big_rule = cls._rule(
            name="Big orders",
            condition_type="domain",
            domain="[('amount_untaxed', '>', 500)]",
            outcome="block",
            message="{record}: order too big",
        )

    def test_blocked_confirm_from_code_raises_and_keeps_violation(self):
        order = self._order(lines=6)
        sequence_before = (
            self.env["ir.sequence"].search([("code", "=", "sale.order")]).number_next_actual
        )
        mails_before = self.env["mail.mail"].sudo().search_count([])
        messages_before = len(order.message_ids)
        date_before = order.date_order
        # No assertRaises here: it would roll back to a savepoint, and the point is
        # that the violation stays in the transaction of the caller.
        error = None
        try:
            order.action_confirm()
        except ComplianceBlockedError as exc:
            error = exc
        self.assertIsInstance(error, UserError)
        self.assertIn("Big orders", str(error))
        self.assertIn("order too big", str(error))
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.date_order, date_before)
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails_before)
        self.assertEqual(
            self.env["ir.sequence"].search([("code", "=", "sale.order")]).number_next_actual,
            sequence_before,
        )
        # The violation and the chatter note are written in this very transaction
        violation = self.Violation.sudo().search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(len(violation), 1)
        self.assertEqual(violation.rule_id, self.big_rule)
        self.assertEqual(violation.user_id, self.rep)
        self.assertEqual(violation.state, "open")
        self.assertEqual(violation.outcome, "block")
        self.assertEqual(len(order.message_ids), messages_before + 1)
        self.assertIn("Big orders", order.message_ids[0].body)
        self.assertEqual(error.violations, violation)

    def test_blocked_confirm_in_ui_returns_dialog(self):
        order = self._order(lines=6)
        action = order.with_context(compliance_dialog=True).action_confirm()
        self.assertEqual(action["res_model"], "sales.compliance.check.wizard")
        self.assertEqual(action["target"], "new")
        wizard = (
            self.env["sales.compliance.check.wizard"].with_user(self.rep).browse(action["res_id"])
        )
        self.assertTrue(wizard.has_blocking)
        self.assertEqual(wizard.violation_ids.rule_id, self.big_rule)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.compliance_status, "blocked")
        self.assertEqual(order.compliance_violation_count, 1)
        # continuing is impossible while blocked
        wizard.action_continue()
        self.assertEqual(order.state, "draft")

    def test_compliant_order_confirms(self):
        order = self._order(lines=2)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(
            self.Violation.sudo().search(
                [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
            )
        )

    def test_warning_is_logged_and_order_goes_on(self):
        self.big_rule.outcome = "warn"
        order = self._order(lines=6)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        violation = self.Violation.sudo().search(
            [("res_id", "=", order.id), ("res_model", "=", "sale.order")]
        )
        self.assertEqual(violation.outcome, "warn")

    def test_warning_in_ui_asks_then_continues(self):
        self.big_rule.outcome = "warn"
        order = self._order(lines=6)
        action = order.with_context(compliance_dialog=True).action_confirm()
        self.assertEqual(order.state, "draft")
        wizard = (
            self.env["sales.compliance.check.wizard"].with_user(self.rep).browse(action["res_id"])
        )
        self.assertFalse(wizard.has_blocking)
        wizard.action_continue()
        self.assertEqual(order.state, "sale")
        # logged once, not again when the user went on
        self.assertEqual(
            self.Violation.sudo().search_count(
                [("res_id", "=", order.id), ("res_model", "=", "sale.order")]
            ),
            1,
        )

    def test_scope_team_and_company(self):
        self.big_rule.team_ids = self.other_team
        order = self._order(lines=6)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self.big_rule.write({"team_ids": [(5,)], "company_id": other_company.id})
        order2 = self._order(lines=6)
        order2.action_confirm()
        self.assertEqual(order2.state, "sale")

    def test_rule_cache_cleared_on_write(self):
        Rule = self.env["sales.compliance.rule"]
        self.assertIn(self.big_rule.id, Rule._get_active_rule_ids("sale.order", "confirm"))
        self.big_rule.active = False
        self.assertNotIn(self.big_rule.id, Rule._get_active_rule_ids("sale.order", "confirm"))
        self.big_rule.write({"active": True, "trigger": "send"})
        self.assertNotIn(self.big_rule.id, Rule._get_active_rule_ids("sale.order", "confirm"))
        self.assertIn(self.big_rule.id, Rule._get_active_rule_ids("sale.order", "send"))

    def test_send_trigger_blocks_quotation_mail(self):
        self.big_rule.trigger = "send"
        order = self._order(lines=6)
        with self.assertRaisesMsg(UserError, "Big orders"):
            order.action_quotation_send()
        self.assertEqual(order.state, "draft")

    def test_python_line_rule(self):
        self._rule(
            name="No tiny quantities with discount",
            condition_type="python",
            apply_on_lines=True,
            python_code="line.discount > 15 and line.product_uom_qty < 10",
        )
        order = self._order(lines=3, discount=16)
        with self.assertRaisesMsg(UserError, "No tiny quantities"):
            order.action_confirm()
        order2 = self._order(lines=3, discount=5)
        order2.action_confirm()
        self.assertEqual(order2.state, "sale")

    def test_python_rule_failing_on_a_line_fails_closed(self):
        self._rule(
            name="Fragile rule",
            condition_type="python",
            apply_on_lines=True,
            python_code="line.name == 'Boom' and (1 / 0) > 0",
        )
        good = self._order(lines=2)
        bad = self._order(lines=2)
        bad.order_line[1].name = "Boom"
        failures = (good | bad)._compliance_failures("confirm")
        self.assertEqual([f["record"] for f in failures], [bad])
        self.assertEqual(failures[0]["values"]["lines"], bad.order_line[1].ids)

    def test_save_rule_blocks_partner_write(self):
        self._rule(
            name="Customers need a phone",
            model_name="res.partner",
            trigger="save",
            condition_type="domain",
            domain="[('is_company', '=', True), ('phone', '=', False)]",
        )
        with self.assertRaisesMsg(UserError, "Customers need a phone"):
            self.customer.with_user(self.rep).write({"name": "Customer Chen Ltd"})
        self.customer.with_user(self.rep).write({"phone": "+86 10 1234 5678"})
        self.assertEqual(self.customer.phone, "+86 10 1234 5678")

    def test_lead_stage_rule(self):
        self._rule(
            name="Won needs revenue",
            model_name="crm.lead",
            trigger="stage",
            condition_type="domain",
            domain="[('expected_revenue', '=', 0)]",
        )
        lead = (
            self.env["crm.lead"]
            .with_user(self.rep)
            .create({"name": "Opportunity", "type": "opportunity", "team_id": self.team.id})
        )
        stage = self.env["crm.stage"].search([], limit=1, order="sequence desc")
        with self.assertRaisesMsg(UserError, "Won needs revenue"):
            lead.write({"stage_id": stage.id})
        lead.write({"expected_revenue": 1000, "stage_id": stage.id})
        self.assertEqual(lead.stage_id, stage)

    def test_client_context_cannot_skip_the_checks(self):
        """``compliance_skip`` / ``install_mode`` sent by a client (any JSON value) do not
        switch the rules off."""
        self._rule(
            name="Customers need a phone",
            model_name="res.partner",
            trigger="save",
            condition_type="domain",
            domain="[('is_company', '=', True), ('phone', '=', False)]",
        )
        self._rule(
            name="Forbidden lead name",
            model_name="crm.lead",
            trigger="save",
            condition_type="domain",
            domain="[('name', '=', 'Forbidden')]",
        )
        order = self._order(lines=6)
        for context in ({"compliance_skip": True}, {"compliance_skip": 1}, {"install_mode": True}):
            with self.subTest(context=context):
                with self.assertRaisesMsg(UserError, "Big orders"):
                    order.with_context(**context).action_confirm()
                self.assertEqual(order.state, "draft")
                with self.assertRaisesMsg(UserError, "Customers need a phone"):
                    self.customer.with_user(self.rep).with_context(**context).write(
                        {"name": "Skipped Ltd"}
                    )
                self.assertEqual(self.customer.name, "Customer Chen")
                leads = self.env["crm.lead"].search_count([])
                with self.assertRaisesMsg(UserError, "Forbidden lead name"):
                    self.env["crm.lead"].with_user(self.rep).with_context(**context).create(
                        {"name": "Forbidden"}
                    )
                self.assertEqual(self.env["crm.lead"].search_count([]), leads)
        # the internal sentinel (Python code only) still skips the checks
        self.customer.with_user(self.rep).with_context(compliance_skip=COMPLIANCE_SKIP).write(
            {"name": "Internal Ltd"}
        )
        self.assertEqual(self.customer.name, "Internal Ltd")


@tagged("post_install", "-at_install")
class TestQueryCount(ComplianceCase):
    """Each rule costs a constant number of queries, whatever the number of lines."""

    def _count(self, order):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        failures = order._compliance_failures("confirm")
        return self.env.cr.sql_log_count - before, failures

    def test_query_count_independent_of_lines(self):
        self._rule(
            name="Order domain",
            condition_type="domain",
            domain="[('amount_untaxed', '>', 10**9)]",
        )
        self._rule(
            name="Line domain",
            condition_type="domain",
            apply_on_lines=True,
            domain="[('discount', '>', 90)]",
        )
        self._rule(
            name="Line python",
            condition_type="python",
            apply_on_lines=True,
            python_code="line.price_unit < 0",
        )
        self._rule(
            name="Order python", condition_type="python", python_code="record.amount_total < 0"
        )
        self._rule(name="Discount", check="discount_ceiling")
        self._rule(name="Floor", check="price_floor", min_margin=10)
        self._rule(name="Terms", check="contract_terms", outcome="warn")
        self._rule(name="Amount", check="amount", amount_limit=10**9)
        self._rule(name="Exposure", check="credit_exposure")
        self._rule(name="Review", check="credit_review")
        self._rule(name="Owner", check="ownership")
        warmup = self._order(lines=2)
        self._count(warmup)
        small = self._order(lines=2)
        large = self._order(lines=50)
        small_count, small_failures = self._count(small)
        large_count, large_failures = self._count(large)
        self.assertEqual(small_count, large_count)
        # the same rules failed (missing contract terms only)
        self.assertEqual(
            [f["rule"].name for f in small_failures], [f["rule"].name for f in large_failures]
        )
        self.assertEqual([f["rule"].name for f in large_failures], ["Terms"])

    def test_no_rules_no_query(self):
        order = self._order(lines=3)
        self.env["sales.compliance.rule"]._get_active_rule_ids("sale.order", "confirm")
        count, failures = self._count(order)
        self.assertEqual(failures, [])
        self.assertEqual(count, 0)


@tagged("post_install", "-at_install")
class TestRuleValidation(ComplianceCase):
    """Bad rules are rejected on save with a clear error and nothing is saved."""

    def _assert_rejected(self, message, **vals):
        count = self.Rule.with_context(active_test=False).search_count([])
        with self.assertRaisesMsg(ValidationError, message):
            self._rule(**vals)
        self.assertEqual(self.Rule.with_context(active_test=False).search_count([]), count)

    def test_bad_domain_syntax(self):
        self._assert_rejected(
            "does not parse", condition_type="domain", domain="[('amount_total', '>'"
        )

    def test_bad_domain_unknown_field(self):
        self._assert_rejected(
            "not valid", condition_type="domain", domain="[('no_such_field', '=', 1)]"
        )

    def test_bad_expression_syntax(self):
        self._assert_rejected(
            "does not parse", condition_type="python", python_code="record.amount_total >"
        )

    def test_bad_expression_fails_on_sample(self):
        self._order()
        self._assert_rejected(
            "fails on", condition_type="python", python_code="record.no_such_field > 1"
        )

    def test_negative_limits(self):
        self._assert_rejected("cannot be negative", check="amount", amount_limit=-1)
        self._assert_rejected("cannot be negative", check="overdue", overdue_days=-5)
        self._assert_rejected("cannot be negative", check="price_floor", min_margin=-10)

    def test_check_not_for_model(self):
        self._assert_rejected(
            "does not apply", model_name="res.partner", trigger="save", check="discount_ceiling"
        )

    def test_salesperson_cannot_edit_rules(self):
        rule = self._rule(check="amount", amount_limit=100)
        with self.assertRaises(AccessError):
            rule.with_user(self.rep).write({"amount_limit": 1000})
        with self.assertRaises(AccessError):
            rule.with_user(self.leader).unlink()
        self.assertEqual(rule.amount_limit, 100)


@tagged("post_install", "-at_install")
class TestConfirmQueryOverhead(ComplianceCase):
    """20 active rules (10 on the order, 10 on the lines, domains and expressions)
    add the same number of queries to a confirmation with 2 or 50 lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rules = []
        for i in range(5):
            rules += [
                {
                    "name": f"Order domain {i}",
                    "condition_type": "domain",
                    "domain": f"[('amount_untaxed', '>', {10**9 + i})]",
                },
                {
                    "name": f"Order python {i}",
                    "condition_type": "python",
                    "python_code": f"record.amount_total < -{i}",
                },
                {
                    "name": f"Line domain {i}",
                    "condition_type": "domain",
                    "apply_on_lines": True,
                    "domain": f"[('discount', '>', {90 + i})]",
                },
                {
                    "name": f"Line python {i}",
                    "condition_type": "python",
                    "apply_on_lines": True,
                    "python_code": f"line.price_unit < -{i}",
                },
            ]
        cls.rules = cls.Rule.with_user(cls.sysadmin).create(
            [dict(vals, model_name="sale.order", trigger="confirm") for vals in rules]
        )

    def _confirm_queries(self, order):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        order.action_confirm()
        self.env.flush_all()
        self.assertEqual(order.state, "sale")
        return self.env.cr.sql_log_count - before

    def test_overhead_does_not_grow_with_lines(self):
        self.assertEqual(len(self.rules), 20)
        self._confirm_queries(self._order(lines=2))
        with_rules_small = self._confirm_queries(self._order(lines=2))
        with_rules_large = self._confirm_queries(self._order(lines=50))
        self.rules.write({"active": False})
        self._confirm_queries(self._order(lines=2))
        without_small = self._confirm_queries(self._order(lines=2))
        without_large = self._confirm_queries(self._order(lines=50))
        overhead_small = with_rules_small - without_small
        overhead_large = with_rules_large - without_large
        self.assertEqual(overhead_small, overhead_large)
        # the rules are cached with what they need: at most one query to load the
        # orders' data earlier than Odoo would, nowhere near one per rule or line
        self.assertLessEqual(overhead_large, 1)


@tagged("post_install", "-at_install")
class TestSendInUi(ComplianceCase):
    def test_blocked_send_in_ui_returns_dialog_and_keeps_violation(self):
        self._rule(
            name="Quote needs reference",
            trigger="send",
            condition_type="domain",
            domain="[('client_order_ref', '=', False)]",
        )
        order = self._order()
        action = order.with_context(compliance_dialog=True).action_quotation_send()
        self.assertEqual(action["res_model"], "sales.compliance.check.wizard")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.compliance_violation_count, 1)
        order.client_order_ref = "PO-42"
        action = order.with_context(compliance_dialog=True).action_quotation_send()
        self.assertEqual(action["res_model"], "mail.compose.message")

    def test_order_form_buttons_use_the_dialog_path(self):
        arch = self.env["sale.order"].get_view(self.env.ref("sale.view_order_form").id, "form")[
            "arch"
        ]
        tree = etree.fromstring(arch)
        buttons = tree.xpath(
            "//header/button[@name='action_confirm' or @name='action_quotation_send']"
        )
        self.assertGreaterEqual(len(buttons), 4)
        for button in buttons:
            self.assertIn("'compliance_dialog': True", button.get("context"))
