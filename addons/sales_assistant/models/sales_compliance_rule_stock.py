"""Built-in compliance checks of the order-to-cash assistant: stock availability and the
deposit received. They read the same computations as the guided confirmation screen
(``sale.order.line._assistant_availability`` and ``sale.order._assistant_deposit``)."""

from odoo import fields, models
from odoo.addons.sales_compliance.models.sales_compliance_rule import compliance_check


class SalesComplianceRuleAssistant(models.Model):
    # one file per family of checks, as sales_compliance's own
    _inherit = "sales.compliance.rule"

    check = fields.Selection(
        selection_add=[
            ("stock_availability", "Lines not available in the order's warehouse"),
            ("deposit_received", "Deposit asked by the payment terms not received"),
        ],
        ondelete={"stock_availability": "set null", "deposit_received": "set null"},
    )

    @compliance_check()
    def _compliance_check_stock_availability(self, orders):
        """Orders with lines whose free quantity in the warehouse does not cover them.
        The value is the number of such lines."""
        availability = orders.order_line._assistant_availability()
        result = {}
        for order in orders:
            missing = order.order_line.filtered(lambda line: not availability[line.id]["available"])
            if missing:
                result[order.id] = (
                    len(missing),
                    0,
                    {"lines": missing.ids, "products": missing.product_id.ids},
                )
        return result

    @compliance_check(measured=True)
    def _compliance_check_deposit_received(self, orders):
        """Orders whose payment terms ask for a deposit not yet received on down-payment
        invoices. The value is the amount still missing, in the company currency (approval
        levels pick on it)."""
        deposits = orders._assistant_deposit()
        result = {}
        for order in orders:
            asked, received = deposits[order.id]
            if order.currency_id.compare_amounts(received, asked) < 0:
                rate = order.currency_rate or 1.0
                result[order.id] = (
                    (asked - received) / rate,
                    asked / rate,
                    {"deposit_asked": asked, "deposit_received": received},
                )
        return result
