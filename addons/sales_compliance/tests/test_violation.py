from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestViolationLog(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rule(name="Any order", condition_type="domain", domain="[('amount_total', '>', 0)]")
        cls.order = cls._order()
        cls.error = None
        try:
            cls.order.action_confirm()
        except UserError as exc:
            cls.error = exc
        cls.violation = cls.Violation.sudo().search([("res_id", "=", cls.order.id)])

    def test_violation_recorded(self):
        self.assertIn("Any order", str(self.error))
        self.assertEqual(len(self.violation), 1)
        self.assertEqual(self.violation.record_ref, self.order)
        self.assertEqual(self.violation.salesperson_id, self.rep)
        self.assertEqual(self.violation.team_id, self.team)
        self.assertIn("amount_total", self.violation.values_checked)

    def test_editing_violation_refused(self):
        with self.assertRaisesMsg(UserError, "cannot be edited"):
            self.violation.with_user(self.officer).write({"message": "nothing happened"})
        with self.assertRaisesMsg(UserError, "cannot be edited"):
            self.violation.sudo().write({"rule_id": False})
        self.assertIn("Any order", self.violation.message)

    def test_deleting_violation_refused(self):
        with self.assertRaises(UserError):
            self.violation.sudo().unlink()
        with self.assertRaises(AccessError):
            self.violation.with_user(self.officer).unlink()
        self.assertTrue(self.violation.exists())

    def test_creating_violation_by_hand_refused(self):
        with self.assertRaises(AccessError):
            self.Violation.with_user(self.officer).create(
                {
                    "rule_id": self.violation.rule_id.id,
                    "res_model": "sale.order",
                    "res_id": self.order.id,
                    "outcome": "block",
                    "trigger": "confirm",
                    "user_id": self.rep.id,
                }
            )

    def test_decision_only_by_approvers(self):
        with self.assertRaises(AccessError):
            self.violation.with_user(self.rep).write({"state": "overridden"})
        with self.assertRaises(AccessError):
            self.violation.with_user(self.rep).action_resolve("mine")
        self.assertEqual(self.violation.state, "open")
        self.order.order_line.price_unit = 0  # the breach is gone
        self.violation.with_user(self.officer).action_resolve("Fixed by the customer")
        self.assertEqual(self.violation.state, "resolved")
        self.assertEqual(self.violation.decision_user_id, self.officer)
        self.assertEqual(self.violation.decision_comment, "Fixed by the customer")

    def test_decision_is_final(self):
        officer_violation = self.violation.with_user(self.officer)
        # an open violation: no reopening, no approval by hand, no forged decider/date
        with self.assertRaisesMsg(UserError, "resolved or overridden"):
            officer_violation.write({"state": "approved"})
        with self.assertRaisesMsg(UserError, "resolved or overridden"):
            officer_violation.write({"decision_user_id": self.rep.id})
        self.order.order_line.price_unit = 0  # the breach is gone
        officer_violation.write(
            {
                "state": "resolved",
                "decision_user_id": self.rep.id,
                "decision_date": "2000-01-01 00:00:00",
            }
        )
        self.assertEqual(self.violation.decision_user_id, self.officer)
        decided = self.violation.decision_date
        self.assertGreater(decided.year, 2000)
        # decided: frozen, for officers and superuser code alike
        for vals in (
            {"state": "open"},
            {"state": "overridden"},
            {"decision_user_id": self.rep.id},
            {"decision_date": "2000-01-01 00:00:00"},
            {"decision_comment": "rewritten"},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesMsg(UserError, "already been decided"):
                    officer_violation.write(vals)
                with self.assertRaisesMsg(UserError, "already been decided"):
                    self.violation.sudo().write(vals)
                self.assertEqual(self.violation.state, "resolved")
                self.assertEqual(self.violation.decision_user_id, self.officer)
                self.assertEqual(self.violation.decision_date, decided)
                self.assertFalse(self.violation.decision_comment)

    def test_visibility(self):
        Violation = self.env["sales.compliance.violation"]
        self.assertEqual(Violation.with_user(self.rep).search([]), self.violation)
        self.assertEqual(Violation.with_user(self.leader).search([]), self.violation)
        self.assertFalse(Violation.with_user(self.rep2).search([]))
        self.assertIn(self.violation, Violation.with_user(self.officer).search([]))

    def test_officer_resolves_or_overrides(self):
        with self.assertRaises(AccessError):
            self.violation.with_user(self.leader).action_override("mine")
        self.assertEqual(self.violation.state, "open")
        self.violation.with_user(self.officer).action_override("Strategic customer")
        self.assertEqual(self.violation.state, "overridden")
        self.assertEqual(self.violation.decision_user_id, self.officer)
        with self.assertRaisesMsg(UserError, "already been decided"):
            self.violation.with_user(self.officer).action_resolve()
        self.assertEqual(self.violation.state, "overridden")

    def test_multi_company_isolation(self):
        other = self.env["res.company"].create({"name": "Compliance Other Co"})
        outsider = self.env["res.users"].create(
            {
                "name": "Officer Elsewhere",
                "login": "cmp_officer_other",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "groups_id": [
                    (6, 0, [self.env.ref("sales_compliance.group_compliance_officer").id])
                ],
            }
        )
        Violation = self.env["sales.compliance.violation"].with_user(outsider)
        self.assertFalse(Violation.search([]))
        self.assertIn(self.violation, self.Violation.with_user(self.officer).search([]))
