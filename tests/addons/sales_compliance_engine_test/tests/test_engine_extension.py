from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import ComplianceBlockedError
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

DOCUMENT = "sales.engine.test.document"


@tagged("post_install", "-at_install")
class TestEngineExtension(TransactionCase):
    """Another addon adds a check with a parameter and a model of its own to the
    compliance engine, without editing sales_compliance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a refused save commits its violations with a cursor of its own: in test mode
        # that cursor works inside this test's transaction
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.officer = new_test_user(
            cls.env,
            login="engine_officer",
            groups="sales_team.group_sale_manager,sales_compliance.group_compliance_officer",
            name="Officer Engine",
        )
        cls.rep = new_test_user(
            cls.env, login="engine_rep", groups="sales_team.group_sale_salesman", name="Rep Engine"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Engine Customer"})
        cls.Rule = cls.env["sales.compliance.rule"]
        cls.Violation = cls.env["sales.compliance.violation"]
        cls.Approval = cls.env["sales.compliance.approval"]

    def _rule(self, **values):
        values = {
            "name": "Document ceiling",
            "model_name": DOCUMENT,
            "trigger": "save",
            "condition_type": "builtin",
            "check": "document_ceiling",
            "document_ceiling": 1000,
            "outcome": "block",
            **values,
        }
        return self.Rule.with_user(self.officer).create(values)

    def _document(self, amount, user=None):
        return (
            self.env[DOCUMENT]
            .with_user(user or self.rep)
            .create({"name": "Doc", "partner_id": self.customer.id, "amount": amount})
        )

    def _violations(self, document):
        return self.Violation.sudo().search(
            [("res_model", "=", DOCUMENT), ("res_id", "=", document.id)]
        )

    def test_the_new_check_and_model_are_in_the_engine(self):
        self.assertIn("document_ceiling", self.Rule._compliance_checks())
        self.assertIn(DOCUMENT, dict(self.Rule._fields["model_name"].selection))
        # violations and approvals read the models of the rules: nothing to declare
        for model in (self.Violation, self.Approval):
            self.assertIn(DOCUMENT, model._fields["res_model"].get_values(self.env))
        self.assertEqual(self.Rule._compliance_engine_errors(), [])

    def test_the_parameter_of_the_check_has_its_constraint_and_its_view(self):
        with self.assertRaisesRegex(ValidationError, "document ceiling cannot be negative"):
            self._rule(document_ceiling=-1)
        arch = self.Rule.with_user(self.officer).get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('name="document_ceiling"', arch)

    def test_a_rule_of_the_new_model_fires_only_on_its_triggers(self):
        with self.assertRaisesRegex(ValidationError, "cannot fire"):
            self._rule(trigger="confirm")
        with self.assertRaisesRegex(ValidationError, "no lines"):
            self._rule(condition_type="domain", check=False, domain="[]", apply_on_lines=True)
        # a built-in check of orders does not apply to it
        with self.assertRaisesRegex(ValidationError, "does not apply"):
            self._rule(check="amount")

    def test_a_blocking_rule_refuses_the_save_and_logs_the_violation(self):
        rule = self._rule(outcome="block")
        self._document(500)  # under the ceiling
        # no assertRaises: its savepoint would roll back what the refusal committed apart
        # (one connection in tests)
        try:
            self._document(1500)
        except ComplianceBlockedError as exc:
            error = exc
        else:
            self.fail("the save was not refused")
        self.assertIn("Document ceiling", str(error))
        # committed apart: kept when the save rolls back
        violation = self.Violation.sudo().search([("res_model", "=", DOCUMENT)])
        self.assertEqual(violation.ids, error.violations.ids)
        self.assertEqual(violation.rule_id, rule)
        self.assertEqual(violation.res_model, DOCUMENT)
        self.assertEqual((violation.value, violation.limit), (1500, 1000))
        self.assertEqual(violation.salesperson_id, self.rep)
        self.assertEqual(violation.partner_id, self.customer)

    def test_a_warning_rule_lets_the_save_through_and_logs_it(self):
        self._rule(outcome="warn")
        document = self._document(2000)
        violation = self._violations(document)
        self.assertEqual(violation.mapped("outcome"), ["warn"])
        self.assertEqual(document.compliance_status, "warning")

    def test_a_domain_rule_works_on_the_new_model(self):
        self._rule(
            condition_type="domain", check=False, domain="[('amount', '>', 10)]", outcome="warn"
        )
        self.assertFalse(self._violations(self._document(5)))
        self.assertEqual(len(self._violations(self._document(50))), 1)

    def test_an_approval_binds_the_values_of_the_new_model(self):
        rule = self._rule(
            outcome="approval",
            level_ids=[
                Command.create(
                    {"name": "Officer", "approver_type": "user", "user_id": self.officer.id}
                )
            ],
        )
        document = self._document(1500)
        approval = self.Approval.sudo().search(
            [("res_model", "=", DOCUMENT), ("res_id", "=", document.id), ("rule_id", "=", rule.id)]
        )
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.value, 1500)
        self.assertEqual(approval.values_hash, document._compliance_hash())
        self.assertIn('"read:amount": [1500.0]', approval.values_snapshot)
        self.assertEqual(document.compliance_status, "pending")
        approval.with_user(self.officer).action_approve()
        self.assertEqual(approval.state, "approved")
        # approved: the same values pass
        self.assertEqual(document._compliance_failures("save"), [])
        # another amount voids the approval and asks again
        document.with_user(self.rep).amount = 1600
        self.assertEqual(approval.state, "voided")
        self.assertEqual(len(document._compliance_failures("save")), 1)
        request = self.Approval.sudo().search(
            [("res_model", "=", DOCUMENT), ("res_id", "=", document.id), ("state", "=", "pending")]
        )
        self.assertEqual(request.value, 1600)
        self.assertEqual(request.values_hash, document._compliance_hash())
