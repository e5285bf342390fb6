from contextlib import contextmanager
from unittest.mock import patch

from odoo.addons.sales_compliance.models.sales_compliance_rule import EVALUATORS, compliance_check
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.addons.sales_compliance.tools.registry import ExtensionError, MethodRegistry, accepts
from odoo.exceptions import ValidationError
from odoo.tests import tagged

BUILTIN_CHECKS = {
    "credit_exposure",
    "overdue",
    "credit_review",
    "rating_terms",
    "discount_ceiling",
    "price_floor",
    "amount",
    "contract_terms",
    "ownership",
}


@tagged("post_install", "-at_install")
class TestDispatchRegistry(ComplianceCase):
    """The evaluators of the compliance checks go through the shared registry helper
    (``tools/registry.py``): each one is found, checked, and what it returns is checked,
    with an error naming the method; a check that cannot be evaluated still fails closed."""

    def _reset_registry(self):
        cls = type(self.Rule)
        if "_compliance_registry" in cls.__dict__:
            delattr(cls, "_compliance_registry")

    @contextmanager
    def _another_addon_check(self, key, method):
        """What another addon does: a value of ``check`` and its method on the rule."""
        field = self.Rule._fields["check"]
        label = key.replace("_", " ").title()
        self._reset_registry()
        self.addCleanup(self._reset_registry)
        with (
            patch.object(field, "selection", [*field.selection, (key, label)]),
            patch.object(field, "_selection", {**field._selection, key: label}),
            patch.object(type(self.Rule), method.__name__, method, create=True),
        ):
            yield

    def _confirm_as_rep(self, order):
        with self.assertRaises(ExtensionError) as caught:
            order.with_user(self.rep).action_confirm()
        self.assertEqual(order.state, "draft")
        return str(caught.exception)

    def test_every_builtin_evaluator_is_found_and_passes_its_check(self):
        Rule = self.Rule.with_user(self.rep)
        self.assertLessEqual(BUILTIN_CHECKS, set(EVALUATORS.keys(Rule)))
        self.assertEqual(set(Rule._compliance_checks()), set(EVALUATORS.keys(Rule)))
        for key in EVALUATORS.keys(Rule):
            self.assertEqual(EVALUATORS.method(Rule, key).__name__, f"_compliance_check_{key}")

    def test_an_evaluator_keyed_by_records_instead_of_ids_stops_the_order(self):
        """Keyed by records, ``record.id in results`` would never match: every order
        would pass. The registry refuses it, naming the evaluator, and nothing is confirmed."""

        @compliance_check()
        def _compliance_check_keyed_by_record(rule, orders):
            return {order: (1, 0, {}) for order in orders}

        with self._another_addon_check("keyed_by_record", _compliance_check_keyed_by_record):
            self._rule(name="Keyed", check="keyed_by_record", outcome="block")
            message = self._confirm_as_rep(self._order())
        self.assertIn("sales.compliance.rule._compliance_check_keyed_by_record", message)
        self.assertIn("not ids of the records it checks", message)

    def test_an_evaluator_returning_another_shape_is_refused_naming_it(self):
        shapes = {
            "a list of ids": lambda orders: orders.ids,
            "a value without limit": lambda orders: {order.id: (1, {}) for order in orders},
            "values that are no dict": lambda orders: {order.id: (1, 0, "x") for order in orders},
        }
        for label, shape in shapes.items():
            with self.subTest(label):

                @compliance_check()
                def _compliance_check_misshapen(rule, orders, shape=shape):
                    return shape(orders)

                with self._another_addon_check("misshapen", _compliance_check_misshapen):
                    rule = self._rule(name="Misshapen", check="misshapen", outcome="warn")
                    order = self._order()
                    with self.assertRaisesRegex(
                        ExtensionError, r"sales\.compliance\.rule\._compliance_check_misshapen "
                    ):
                        order._compliance_failures("confirm")
                    rule.active = False

    def test_a_well_shaped_evaluator_of_another_addon_is_found_and_runs(self):
        @compliance_check(measured=True)
        def _compliance_check_two_lines(rule, orders):
            return {
                order.id: (len(order.order_line), 1, {"lines": len(order.order_line)})
                for order in orders
                if len(order.order_line) > 1
            }

        with self._another_addon_check("two_lines", _compliance_check_two_lines):
            self.assertIn("two_lines", self.Rule._compliance_checks())
            rule = self._rule(name="Two lines", check="two_lines", outcome="warn")
            failures = self._order(lines=2)._compliance_failures("confirm")
            self.assertEqual([(f["rule"], f["value"]) for f in failures], [(rule, 2)])
            self.assertEqual(self._order(lines=1)._compliance_failures("confirm"), [])

    def test_an_evaluator_without_its_decorator_is_named_and_never_runs(self):
        """A method named like an evaluator but not declared with ``@compliance_check``
        is left out of the registry with an error naming it: no rule can use it."""

        def _compliance_check_undeclared(rule, orders):
            raise AssertionError("an undeclared evaluator ran")

        with self._another_addon_check("undeclared", _compliance_check_undeclared):
            with self.assertLogs("odoo.addons.sales_compliance.models", "ERROR") as logs:
                checks = self.Rule._compliance_checks()
            self.assertNotIn("undeclared", checks)
            self.assertIn("sales.compliance.rule._compliance_check_undeclared", logs.output[0])
            self.assertIn("@compliance_check", logs.output[0])
            with self.assertRaisesMsg(ValidationError, "cannot be evaluated"):
                self._rule(name="Undeclared", check="undeclared")

    def test_a_rule_whose_evaluator_is_gone_still_fails_closed(self):
        rule = self._rule(name="Gone", check="amount", amount_limit=10**9, outcome="warn")
        self.env.cr.execute(
            """UPDATE sales_compliance_rule SET "check" = 'gone' WHERE id = %s""", (rule.id,)
        )
        rule.invalidate_recordset()
        self.env.registry.clear_cache()
        failures = self._order()._compliance_failures("confirm")
        self.assertEqual([(f["rule"], f["values"]) for f in failures], [(rule, {"check": "gone"})])


@tagged("post_install", "-at_install")
class TestTheRegistryHelper(ComplianceCase):
    """``MethodRegistry`` itself: found once per model class, each method checked once
    (again only when the method changes), what it returns checked on every call."""

    def test_a_method_is_checked_once_per_class_and_again_when_it_changes(self):
        checked = []

        def check(model, name, function):
            checked.append(name)
            return accepts(function, "value")

        registry = MethodRegistry("_dispatch_probe_", check=check)
        Rule = type(self.Rule)

        def _dispatch_probe_double(self, value):
            return 2 * value

        def _dispatch_probe_bad(self):
            return None

        with patch.object(Rule, "_dispatch_probe_double", _dispatch_probe_double, create=True):
            self.assertEqual(registry.keys(self.Rule), ["double"])
            for _i in range(3):
                self.assertEqual(registry.call(self.Rule, "double", 21), 42)
            self.assertEqual(checked, ["_dispatch_probe_double"])
            with patch.object(Rule, "_dispatch_probe_double", lambda self, value: value):
                self.assertEqual(registry.call(self.Rule, "double", 21), 21)
            self.assertEqual(checked, ["_dispatch_probe_double"] * 2)
            with patch.object(Rule, "_dispatch_probe_bad", _dispatch_probe_bad, create=True):
                self.assertEqual(registry.keys(self.Rule), ["bad", "double"])
                with self.assertRaisesRegex(
                    ExtensionError,
                    r"sales\.compliance\.rule\._dispatch_probe_bad cannot be called with \(value\)",
                ):
                    registry.call(self.Rule, "bad", 1)
        self.assertEqual(registry.keys(self.Rule), [])
        self.assertIsNone(registry.method(self.Rule, "double"))
        with self.assertRaisesRegex(ExtensionError, "has no method _dispatch_probe_double"):
            registry.call(self.Rule, "double", 1)
