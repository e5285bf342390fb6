"""Built-in checks of the pricing family: discount ceiling, price floor, order amount."""

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError

from .sales_compliance_rule import compliance_check


class SalesComplianceRulePricing(models.Model):
    # one file per family of checks, on purpose (see sales_compliance_rule.py)
    _inherit = "sales.compliance.rule"

    check = fields.Selection(
        selection_add=[
            ("discount_ceiling", "Line discount above the user's ceiling"),
            ("price_floor", "Unit price below the floor"),
            ("amount", "Order amount above a threshold"),
        ],
        ondelete={"discount_ceiling": "set null", "price_floor": "set null", "amount": "set null"},
    )
    # Parameters of the checks of this family (form: sales_compliance_rule_pricing_views.xml)
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Currency of the thresholds: the rule's company currency.",
    )
    amount_limit = fields.Monetary(
        string="Amount Threshold",
        currency_field="currency_id",
        help="Order amount check: the untaxed total (company currency) above which the rule fires.",
    )
    min_margin = fields.Float(
        string="Minimum Margin (%)",
        help="Price floor check: minimum margin over the product cost.",
    )
    floor_pricelist_id = fields.Many2one(
        "product.pricelist",
        help="Price floor check: the pricelist giving the minimum price.",
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for rule in self:
            rule.currency_id = (rule.company_id or self.env.company).currency_id

    @api.constrains("amount_limit", "min_margin")
    def _check_limits(self):
        for rule in self:
            if rule.amount_limit < 0:
                raise ValidationError(
                    self.env._("Rule %s: the amount threshold cannot be negative.", rule.name)
                )
            if rule.min_margin < 0:
                raise ValidationError(
                    self.env._("Rule %s: the minimum margin cannot be negative.", rule.name)
                )

    @compliance_check(measured=True)
    def _compliance_check_discount_ceiling(self, orders):
        """The ceiling is the lower of the salesperson's and the acting user's: a rep
        cannot borrow a higher ceiling by making someone else the salesperson, nor
        confirm beyond their own ceiling an order of a colleague. Portal and public
        users (signature, online payment) and OdooBot act for the salesperson."""
        Ceiling = self.env["sales.compliance.discount.ceiling"]
        actor = self.env.user
        if actor.share or actor.id == SUPERUSER_ID:
            actor = Ceiling.env["res.users"]
        ceilings = Ceiling._get_user_ceilings(
            orders.user_id | actor | self.env.user, orders.company_id
        )
        result = {}
        for order in orders:
            users = (order.user_id or self.env.user) | actor
            ceiling = min(ceilings[user.id, order.company_id.id] for user in users)
            lines = order.order_line.filtered(lambda line, c=ceiling: line.discount > c)
            if lines:
                value = max(lines.mapped("discount"))
                result[order.id] = (
                    value,
                    ceiling,
                    {"max_discount": value, "ceiling": ceiling, "lines": lines.ids},
                )
        return result

    @compliance_check()
    def _compliance_check_price_floor(self, orders):
        lines = orders.order_line.filtered(lambda line: line.product_id and not line.display_type)
        floor_prices = {}
        if self.floor_pricelist_id and lines:
            prices = self.floor_pricelist_id._compute_price_rule(lines.product_id, 1.0)
            floor_pricelist_currency = self.floor_pricelist_id.currency_id
            floor_prices = {
                pid: (price, floor_pricelist_currency) for pid, (price, _r) in prices.items()
            }
        factor = 1 + self.min_margin / 100.0
        rates = {}
        result = {}
        for order in orders:
            offending = []
            worst = None
            for line in order.order_line:
                if not line.product_id or line.display_type:
                    continue
                net = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
                # cost is in company currency: convert with the order's rate (no query)
                floor = line.product_id.standard_price * factor * (order.currency_rate or 1.0)
                if line.product_id.id in floor_prices:
                    price, currency = floor_prices[line.product_id.id]
                    # the rate depends on the order's company and date too
                    key = (currency.id, order.currency_id.id, order.company_id.id, order.date_order)
                    if key not in rates:
                        rates[key] = currency._convert(
                            1.0, order.currency_id, order.company_id, order.date_order, round=False
                        )
                    floor = max(floor, price * rates[key])
                if order.currency_id.compare_amounts(net, floor) < 0:
                    offending.append(line.id)
                    if worst is None or net - floor < worst[0] - worst[1]:
                        worst = (net, floor)
            if offending:
                result[order.id] = (
                    worst[0],
                    worst[1],
                    {"lines": offending, "net_price": worst[0], "floor": worst[1]},
                )
        return result

    @compliance_check(measured=True)
    def _compliance_check_amount(self, orders):
        result = {}
        for order in orders:
            amount = order.amount_untaxed / (order.currency_rate or 1.0)
            if amount > self.amount_limit:
                result[order.id] = (amount, self.amount_limit, {"amount_untaxed": amount})
        return result
