from odoo.addons.sales_compliance.models.sales_compliance_rule_eval import (
    compile_domain,
    filter_domain,
    parse_literal_domain,
    sandboxed_eval,
)
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRuleEvaluation(ComplianceCase):
    """The fast paths of the rule engine agree with Odoo's own evaluation."""

    def test_simple_domains_agree_with_filtered_domain(self):
        order = self._order(lines=3, discount=0)
        order.order_line[0].discount = 12
        order.order_line[1].write({"name": "Special", "price_unit": 250})
        lines = order.order_line
        domains = [
            [("discount", ">", 10)],
            [("discount", "<=", 0)],
            [("price_unit", ">=", 100), ("discount", "=", 0)],
            ["|", ("name", "=", "Special"), ("discount", ">", 10)],
            ["!", ("name", "!=", "Special")],
            [("name", "in", ["Special", "Other"])],
            [("name", "not in", ["Special"])],
            [("product_id", "=", self.product.id)],
            [("product_id", "in", [self.product.id, 0])],
            [("product_id", "!=", False)],
            [("display_type", "=", False)],
            [("is_downpayment", "=", True)],
            [(1, "=", 1)],
            [],
        ]
        for domain in domains:
            self.assertIsNotNone(compile_domain(lines, domain), domain)
            self.assertEqual(filter_domain(lines, domain), lines.filtered_domain(domain), domain)
        # values written but not flushed yet are seen too
        lines[2].discount = 50
        self.assertEqual(filter_domain(lines, [("discount", ">", 40)]), lines[2])

    def test_complex_domains_fall_back(self):
        lines = self._order(lines=1).order_line
        for domain in (
            [("order_id.amount_total", ">", 0)],
            [("name", "ilike", "wid")],
            [("discount", "=", False)],
            [("create_date", ">", "2020-01-01")],
        ):
            self.assertIsNone(compile_domain(lines, domain), domain)
            self.assertEqual(filter_domain(lines, domain), lines.filtered_domain(domain))

    def test_literal_domain_parsing(self):
        self.assertEqual(parse_literal_domain("[('a', '=', 1)]"), [("a", "=", 1)])
        self.assertIsNone(parse_literal_domain("[('user_id', '=', uid)]"))
        self.assertEqual(parse_literal_domain(""), [])

    def test_sandboxed_eval_is_the_safe_eval_sandbox(self):
        self.assertEqual(sandboxed_eval("[x * 2 for x in values]", {"values": [1, 2]}), [2, 4])
        with self.assertRaises(NameError):
            sandboxed_eval("().__class__.__bases__[0].__subclasses__()", {})
        with self.assertRaises(NameError):
            sandboxed_eval("open('/etc/passwd')", {})
        with self.assertRaises(NameError):
            sandboxed_eval("__import__('os')", {})

    def test_uid_domain_still_works(self):
        self._rule(
            name="My own orders",
            condition_type="domain",
            domain="[('user_id', '=', uid)]",
        )
        order = self._order()
        with self.assertRaisesMsg(UserError, "My own orders"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
