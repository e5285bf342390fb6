import logging
from unittest.mock import patch

from odoo_test_helper import FakeModelLoader

from odoo.addons.sales_compliance.models.sales_compliance_rule import (
    ComplianceCheck,
    compliance_check,
)
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import ValidationError
from odoo.tests import tagged

# The constraints of the rule model: a check with one of these keys used to reach them
CONSTRAINT_KEYS = ("kind", "message", "limits", "condition", "levels", "code_rights")


@tagged("post_install", "-at_install")
class TestCheckRegistry(ComplianceCase):
    """Built-in checks are an extension point: a ``selection_add`` on ``check`` and one
    ``@compliance_check`` method, found by the registry, never a constraint."""

    def test_the_check_prefix_names_evaluators_and_nothing_else(self):
        """``_compliance_check_<key>`` is the name of a check's evaluator: no other method
        of any model (a guard, a save hook) carries it, so a reader never mistakes one."""
        evaluators = {check.method for check in self.Rule._compliance_checks().values()}
        misnamed = []
        for model_name in self.env.registry:
            cls = type(self.env[model_name])
            for name in dir(cls):
                if not name.startswith("_compliance_check_") or not callable(
                    getattr(cls, name, None)
                ):
                    continue
                if model_name != "sales.compliance.rule" or name not in evaluators:
                    misnamed.append(f"{model_name}.{name}")
        self.assertEqual(misnamed, [])

    def test_registry_holds_the_nine_builtin_checks(self):
        checks = self.Rule._compliance_checks()
        expected = {
            "credit_exposure": (("sale.order",), True, "credit"),
            "overdue": (("sale.order", "res.partner"), True, "credit"),
            "credit_review": (("sale.order",), False, "credit"),
            "rating_terms": (("sale.order",), False, "credit"),
            "discount_ceiling": (("sale.order",), True, "pricing"),
            "price_floor": (("sale.order",), False, "pricing"),
            "amount": (("sale.order",), True, "pricing"),
            "contract_terms": (("sale.order",), False, "contract"),
            "ownership": (("sale.order", "crm.lead"), False, "ownership"),
        }
        # the nine of sales_compliance, and those of other installed addons (sales_assistant
        # adds stock availability and deposit received), each from its own module
        self.assertLessEqual(set(expected), set(checks))
        for key in set(checks) - set(expected):
            module = getattr(type(self.Rule), checks[key].method).__module__
            self.assertNotIn(".sales_compliance.", module, key)
        # every value of the selection has its evaluator, and nothing else is a check
        selection = {key for key, _label in self.Rule._fields["check"].selection}
        self.assertEqual(selection, set(checks))
        for key, (models, measured, family) in expected.items():
            check = checks[key]
            self.assertEqual((check.models, check.measured), (models, measured), key)
            self.assertEqual(check.method, f"_compliance_check_{key}")
            method = getattr(type(self.Rule), check.method)
            self.assertTrue(
                method.__module__.endswith(f"sales_compliance_rule_{family}"), method.__module__
            )

    def test_measured_checks_drive_the_approval_value(self):
        amount = self._rule(check="amount", amount_limit=100, outcome="warn")
        terms = self._rule(check="contract_terms", outcome="warn")
        self.assertEqual(amount._approval_value_kind(), "measure")
        self.assertEqual(terms._approval_value_kind(), "amount")

    def test_constraints_are_never_checks(self):
        checks = self.Rule._compliance_checks()
        for key in CONSTRAINT_KEYS:
            self.assertNotIn(key, checks)
            self.assertTrue(hasattr(self.Rule, f"_check_{key}"))

    def test_stale_check_named_like_a_constraint_fails_closed(self):
        """A rule whose stored check has no evaluator (its addon is gone, or the value
        was written around the ORM) never runs the constraint of the same name: the
        order fails the rule instead of going through unchecked."""
        rule = self._rule(name="Stale", check="amount", amount_limit=10**9, outcome="warn")
        self.env.cr.execute(
            """UPDATE sales_compliance_rule SET "check" = 'message' WHERE id = %s""", (rule.id,)
        )
        rule.invalidate_recordset()
        self.env.registry.clear_cache()
        order = self._order()
        with patch.object(
            type(self.Rule), "_check_message", side_effect=AssertionError("constraint ran")
        ) as constraint:
            failures = order._compliance_failures("confirm")
        constraint.assert_not_called()
        self.assertEqual([f["rule"] for f in failures], [rule])
        self.assertEqual(failures[0]["values"], {"check": "message"})

    def test_check_on_a_model_it_does_not_support_is_refused(self):
        with self.assertRaisesMsg(ValidationError, "does not apply to crm.lead"):
            self._rule(model_name="crm.lead", trigger="save", check="amount")
        with self.assertRaisesMsg(ValidationError, "choose a built-in check"):
            self._rule(condition_type="builtin", check=False)
        # the registry's models, not a list of its own: overdue runs on customers too
        rule = self._rule(model_name="res.partner", trigger="save", check="overdue")
        self.assertEqual(rule.check, "overdue")

    def test_decorator_refuses_bad_declarations(self):
        with self.assertRaises(ValueError):
            compliance_check(models=())
        with self.assertRaises(TypeError):

            @compliance_check()
            def _check_something(rule, records):
                return {}


def _reset_check_registry(rule_model):
    """Forget the checks read from the rule's class (rebuilt in place by the loader)."""
    cls = type(rule_model)
    if "_compliance_registry" in cls.__dict__:
        delattr(cls, "_compliance_registry")
    rule_model.env.registry.clear_cache()


@tagged("post_install", "-at_install")
class TestAnotherAddonCheck(ComplianceCase):
    """What another addon does to add a check: a selection value and a decorated
    evaluator ``_compliance_check_<key>`` on the rule (fake models of ``fake_checks``,
    loaded in the registry as OCA's ``base_tier_validation`` tests do)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        # imported once the registry is saved, as FakeModelLoader asks
        from .fake_checks import SalesComplianceRuleFakeChecks  # noqa: PLC0415

        cls.loader.update_registry((SalesComplianceRuleFakeChecks,))
        cls.addClassCleanup(_reset_check_registry, cls.env["sales.compliance.rule"])
        cls.addClassCleanup(cls.loader.restore_registry)
        _reset_check_registry(cls.env["sales.compliance.rule"])
        cls.Rule = cls.env["sales.compliance.rule"]

    def test_another_addon_adds_a_check_named_like_a_constraint(self):
        """A check keyed “message” (the constraint ``_check_message`` exists) is
        evaluated by its own ``_compliance_check_message`` (fake_checks.py)."""
        check = self.Rule._compliance_checks()["message"]
        self.assertEqual(
            check,
            ComplianceCheck(
                "message", "_compliance_check_message", ("sale.order", "crm.lead"), True
            ),
        )
        rule = self._rule(name="Lines", check="message", outcome="warn", message="{value}")
        self.assertEqual(rule._approval_value_kind(), "measure")
        small, big = self._order(lines=2), self._order(lines=3)
        self.assertEqual(small._compliance_failures("confirm"), [])
        failures = big._compliance_failures("confirm")
        self.assertEqual([(f["rule"], f["value"]) for f in failures], [(rule, 3)])
        self.assertEqual(failures[0]["message"], "3")
        # the constraint of the same prefix still guards the message
        with self.assertRaisesMsg(ValidationError, "message is not valid"):
            rule.with_user(self.officer).message = "{value"

    def test_check_without_evaluator_is_refused(self):
        # "orphan" is a value of the selection without evaluator (fake_checks.py)
        count = self.Rule.with_context(active_test=False).search_count([])
        with self.assertRaisesMsg(ValidationError, "cannot be evaluated.*_compliance_check_orphan"):
            self._rule(name="Orphan", check="orphan")
        self.assertEqual(self.Rule.with_context(active_test=False).search_count([]), count)

    def test_a_check_on_a_model_that_did_not_join_the_engine_is_reported_at_load(self):
        """``models`` cannot be checked when the decorator runs (the model may come from
        an addon loaded later): the registry reports it when it is loaded."""
        check = self.Rule._compliance_checks()["picking"]
        self.assertEqual(check.models, ("stock.picking",))
        with self.assertLogs(
            "odoo.addons.sales_compliance.models.sales_compliance_rule", logging.ERROR
        ) as logs:
            self.Rule._register_hook()
        self.assertEqual(len(logs.output), 1)
        self.assertIn("'picking'", logs.output[0])
        self.assertIn("'stock.picking'", logs.output[0])
        self.assertIn("did not join the compliance engine", logs.output[0])
        # and it stays closed: no rule of a model of the engine can use it
        with self.assertRaisesMsg(ValidationError, "does not apply to sale.order"):
            self._rule(name="Picking", check="picking")
