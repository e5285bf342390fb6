from odoo.addons.sales_compliance.models.sales_compliance_rule_eval import (
    compile_domain,
    filter_domain,
    parse_literal_domain,
    unsafe_attribute,
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

    def test_expressions_only_read(self):
        registry = self.env.registry
        for expr in (
            "record.amount_total > 1000 and record.partner_id.ref == 'VIP'",
            "line.discount > 15 and line.product_id.categ_id.name != 'Services'",
            "len(record.order_line.filtered(lambda l: l.discount > 10)) > 2",
            "sum(record.order_line.mapped('price_subtotal')) > 0",
            "record.date_order.year < today.year - 1 or 'x'.upper() == 'X'",
            "record.partner_id.ref",  # a field here, a method on another model
            "not record.partner_id.ref or record.partner_id.ref + 'x' in ('VIPx',)",
        ):
            self.assertIsNone(unsafe_attribute(expr, registry), expr)
        for expr, names in (
            ("record.sudo().amount_total > 0", ("sudo",)),
            ("record.env.ref('base.group_system').users", ("env", "ref")),
            ("record.write({'note': 'x'})", ("write",)),
            ("user.with_user(2).name", ("with_user",)),
            ("record.partner_id.action_archive()", ("action_archive",)),
            ("record.order_line.mapped(record.order_line.unlink)", ("unlink",)),
            ("record.pool", ("pool",)),
            ("record._cr", ("_cr",)),
            ("record.partner_id.ref()", ("ref",)),
            # kept to be called later (on a model where it is a method)
            ("[p.ref for p in record.partner_id.child_ids]", ("ref",)),
            ("record.partner_id.ref or 'none'", ("ref",)),
            ("__import__('os')", ("__import__",)),
        ):
            self.assertIn(unsafe_attribute(expr, registry), names, expr)

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
