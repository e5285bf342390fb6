from datetime import datetime
from unittest.mock import patch

from odoo.addons.sales_compliance.models.sales_compliance_mixin import (
    COMPLIANCE_SKIP,
    ComplianceBlockedError,
)
from odoo.addons.sales_compliance.tests.common import ComplianceCase, count_cursors
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestGate(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big_rule = cls._rule(
            name="Big orders",
            condition_type="domain",
            domain="[('amount_untaxed', '>', 500)]",
            outcome="block",
        )

    def _violations(self, record, rule=None):
        domain = [("res_model", "=", record._name), ("res_id", "=", record.id)]
        if rule:
            domain.append(("rule_id", "=", rule.id))
        return self.Violation.sudo().search(domain)

    def _refused(self, action):
        """Run ``action``, expecting a refusal; no assertRaises: its savepoint would
        roll back what the refusal committed apart (one connection in tests)."""
        try:
            action()
        except UserError as exc:
            return exc
        self.fail("the action was not refused")

    # 1.4 ------------------------------------------------------------------
    def test_forged_warnings_seen_does_not_drop_warnings(self):
        self.big_rule.outcome = "warn"
        order = self._order(lines=6)
        forged = order.with_context(compliance_warnings_seen=True)
        # in the web client: the dialog is shown and the warning logged
        action = forged.with_context(compliance_dialog=True).action_confirm()
        self.assertEqual(action["res_model"], "sales.compliance.check.wizard")
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._violations(order).outcome, "warn")
        # from code: the order goes on, the warning is logged
        other = self._order(lines=6)
        other.with_context(compliance_warnings_seen=True).action_confirm()
        self.assertEqual(other.state, "sale")
        self.assertEqual(self._violations(other, self.big_rule).outcome, "warn")

    def test_going_on_after_the_dialog_is_not_another_attempt(self):
        self.big_rule.outcome = "warn"
        order = self._order(lines=6)
        action = order.with_context(compliance_dialog=True).action_confirm()
        wizard = self.env[action["res_model"]].with_user(self.rep).browse(action["res_id"])
        wizard.action_continue()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._violations(order).attempt_count, 1)

    # 2.2 ------------------------------------------------------------------
    def test_refusal_commits_its_violation_in_one_cursor(self):
        order = self._order(lines=6)
        with count_cursors() as cursors:
            error = self._refused(order.action_confirm)
        self.assertIsInstance(error, ComplianceBlockedError)
        self.assertIn("Big orders", str(error))
        self.assertEqual(cursors["opened"], 1)
        violation = self._violations(order)
        self.assertEqual((violation.rule_id, violation.user_id), (self.big_rule, self.rep))
        self.assertEqual(error.violations, violation)
        # the chatter note was posted by the other cursor too (another cache)
        order.invalidate_recordset(["message_ids"])
        self.assertIn("Big orders", order.message_ids[0].body)

    def test_refused_save_and_stage_change_keep_their_violation(self):
        phone_rule = self._rule(
            name="Customers need a phone",
            model_name="res.partner",
            trigger="save",
            condition_type="domain",
            domain="[('is_company', '=', True), ('phone', '=', False)]",
        )
        with count_cursors() as cursors:
            self._refused(lambda: self.customer.with_user(self.rep).write({"ref": "C-1"}))
        self.assertEqual(cursors["opened"], 1)
        self.assertEqual(self._violations(self.customer, phone_rule).user_id, self.rep)
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
        self._refused(lambda: lead.write({"stage_id": stage.id}))
        self.assertEqual(self._violations(lead).trigger, "stage")

    def test_nothing_refused_opens_no_cursor(self):
        self.big_rule.outcome = "warn"
        self._rule(name="Owner", check="ownership")
        with count_cursors() as cursors:
            order = self._order(lines=2)
            order.write({"client_order_ref": "PO-1"})
            order.action_confirm()
            warned = self._order(lines=6)
            warned.action_confirm()
        self.assertEqual(cursors["opened"], 0)
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._violations(warned).outcome, "warn")

    def test_links_to_records_of_the_refused_transaction_are_dropped(self):
        """The separate transaction does not see a customer created by the refused
        one: the link is left empty, the names are kept."""
        Violation = self.env["sales.compliance.violation"].sudo()
        gone = self.env["res.partner"].search([], order="id desc", limit=1).id + 1000
        vals = {
            "rule_id": self.big_rule.id,
            "res_model": "res.partner",
            "res_id": gone,
            "record_name": "新客户有限公司",
            "partner_id": gone,
            "salesperson_id": self.rep.id,
            "user_id": self.rep.id,
        }
        [kept] = Violation._keep_saved_links([vals])
        self.assertEqual(kept, dict(vals, partner_id=False))

    # 2.3 ------------------------------------------------------------------
    def test_override_lets_exactly_that_record_and_values_through(self):
        order = self._order(lines=6)
        self._refused(order.action_confirm)
        violation = self._violations(order).with_user(self.officer)
        with self.assertRaisesMsg(UserError, "reason"):
            violation.action_override("")
        with self.assertRaisesMsg(UserError, "still breaks"):
            violation.action_resolve("done")
        self.assertEqual(violation.state, "open")
        violation.action_override("Framework contract signed by the director")
        self.assertEqual(violation.state, "overridden")
        self.assertIn("Framework contract", order.message_ids[0].body)
        self.assertIn(self.officer.name, order.message_ids[0].body)
        # the same breach on another order still blocks
        other = self._order(lines=6)
        self.assertIn("Big orders", str(self._refused(other.action_confirm)))
        # the overridden order with other values is blocked again
        order.order_line[0].product_uom_qty = 2
        self.assertIn("Big orders", str(self._refused(order.action_confirm)))
        self.assertEqual(order.compliance_status, "blocked")
        # with the overridden values it goes through and shows compliant
        order.order_line[0].product_uom_qty = 1
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_override_through_the_decision_dialog(self):
        order = self._order(lines=6)
        self._refused(order.action_confirm)
        violation = self._violations(order)
        action = (
            violation.with_user(self.officer)
            .with_context(decision="override")
            .action_open_decision()
        )
        wizard = (
            self.env["sales.compliance.decision.wizard"]
            .with_user(self.officer)
            .with_context(**action["context"])
            .create({"comment": "Key account"})
        )
        wizard.action_confirm()
        self.assertEqual(violation.state, "overridden")
        self.assertEqual(violation.decision_user_id, self.officer)
        self.assertEqual(order.compliance_status, "ok")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_resolve_once_fixed(self):
        order = self._order(lines=6)
        self._refused(order.action_confirm)
        order.order_line[1:].unlink()
        self._violations(order).with_user(self.officer).action_resolve("Split the order")
        self.assertEqual(order.compliance_status, "ok")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    # 2.4 ------------------------------------------------------------------
    def test_attempts_on_one_breach_are_counted_not_logged_again(self):
        order = self._order(lines=6)
        for _attempt in range(3):
            self._refused(order.action_confirm)
        violation = self._violations(order)
        self.assertEqual(len(violation), 1)
        self.assertEqual(violation.attempt_count, 3)
        self.assertGreaterEqual(violation.last_attempt_date, violation.date)
        self.assertEqual(order.compliance_violation_count, 1)
        # other values: another breach
        order.order_line[0].product_uom_qty = 3
        self._refused(order.action_confirm)
        self.assertEqual(self._violations(order).mapped("attempt_count"), [1, 3])
        self.assertNotIn("count", self.Violation._fields)

    def test_compliance_rate_per_rep_and_month_in_company_time_zone(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        Report = self.env["sales.compliance.rate.report"]
        # 1 March 00:30 in Shanghai, 28 February 23:30 in Shanghai (both UTC on 28 Feb)
        march = self._order(lines=6, date_order=datetime(2026, 2, 28, 16, 30))
        february = self._order(lines=2, date_order=datetime(2026, 2, 28, 15, 30))
        self._order(user=self.rep2, lines=2, date_order=datetime(2026, 3, 2, 8, 0))
        self._order(lines=2, date_order=datetime(2026, 3, 3, 8, 0))
        self._refused(march.action_confirm)
        for _attempt in range(2):
            self._refused(march.action_confirm)
        self.env.flush_all()
        rows = Report.with_user(self.officer)._read_group(
            [
                ("res_model", "=", "sale.order"),
                ("salesperson_id", "in", (self.rep | self.rep2).ids),
                ("date", ">=", "2026-02-01"),
            ],
            ["salesperson_id", "date:month"],
            ["record_count:sum", "compliant_count:sum", "compliance_rate:avg"],
        )
        figures = {
            (user.name, month.strftime("%Y-%m")): (count, compliant, rate)
            for user, month, count, compliant, rate in rows
        }
        self.assertEqual(
            figures,
            {
                (self.rep.name, "2026-02"): (1, 1, 100.0),
                (self.rep.name, "2026-03"): (2, 1, 50.0),
                (self.rep2.name, "2026-03"): (1, 1, 100.0),
            },
        )
        self.assertEqual(
            Report.search([("res_model", "=", "sale.order"), ("res_id", "=", february.id)]).date,
            datetime(2026, 2, 28).date(),
        )
        # a rep sees their own figures only
        self.assertEqual(
            set(Report.with_user(self.rep2).search([]).salesperson_id.ids), {self.rep2.id}
        )

    # 2.7 ------------------------------------------------------------------
    def test_confirmed_order_change_is_checked_again(self):
        self.big_rule.trigger = "confirm"
        order = self._order(lines=2)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        error = self._refused(
            lambda: order.order_line.with_user(self.rep).write({"price_unit": 400})
        )
        self.assertIn("Big orders", str(error))
        self.assertEqual(self._violations(order).trigger, "confirm")
        # a change that breaks nothing goes through
        order.order_line[0].with_user(self.rep).price_unit = 90
        self.assertEqual(order.order_line[0].price_unit, 90)
        # the internal sentinel is trusted code, a client's key is not
        order.order_line.with_context(compliance_skip=COMPLIANCE_SKIP).price_unit = 300
        self.assertEqual(order.amount_untaxed, 600)

    def test_confirmed_order_change_opens_a_new_request(self):
        self._salesman_ceiling()
        self._discount_approval_rule()
        Approval = self.env["sales.compliance.approval"]
        order = self._order(discount=25)
        self._refused(order.action_confirm)
        order.action_compliance_request_approval()
        first = Approval.search([("res_id", "=", order.id)])
        first.with_user(self.leader).action_approve("ok")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        order.order_line.with_user(self.rep).write({"discount": 30})
        self.assertEqual(first.state, "voided")
        second = Approval.search([("res_id", "=", order.id)]) - first
        self.assertEqual(second.state, "pending")
        self.assertEqual(second.pending_approver_ids, self.leader)
        self.assertEqual(order.compliance_status, "pending")

    def test_change_of_confirmed_order_costs_no_query_when_nothing_fails(self):
        """The re-check of a confirmed order adds no query when no rule fails (the
        rules' data is what Odoo reads anyway), and opens no cursor."""
        orders = self._order(lines=3) | self._order(lines=3)
        orders.action_confirm()

        def write_queries(order, price=90):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            order.order_line.with_user(self.rep).write({"price_unit": price})
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        write_queries(orders, price=95)  # warm the caches up

        SaleOrder = type(self.env["sale.order"])
        with patch.object(SaleOrder, "_compliance_recheck_confirmed", lambda orders: None):
            unchecked = write_queries(orders[0])
        with count_cursors() as cursors:
            checked = write_queries(orders[1])
        self.assertEqual(cursors["opened"], 0)
        self.assertLessEqual(checked, unchecked)
        self.assertEqual(orders.mapped("amount_untaxed"), [270, 270])
