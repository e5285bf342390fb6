from odoo import api, models
from odoo.exceptions import ValidationError

HASHED_LINE_FIELDS = {"product_id", "product_uom_qty", "price_unit", "discount", "tax_id"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.constrains("discount")
    def _check_discount_range(self):
        """A discount above 100% makes the line pay the customer (a negative total).

        A negative discount stays allowed: Odoo uses it for a surcharge (its own sale tests
        invoice one), and it can only raise the price, which no compliance rule protects.
        """
        for line in self:
            if line.discount > 100.0:
                raise ValidationError(
                    self.env._(
                        "The discount of “%(line)s” cannot be above 100%% (got %(discount)s%%): "
                        "the line would pay the customer.",
                        line=line.name or line.product_id.display_name,
                        discount=line.discount,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._compliance_void_stale_approvals()
        lines.filtered(
            lambda line: not line.is_downpayment
        ).order_id._compliance_recheck_confirmed()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if set(vals) & HASHED_LINE_FIELDS:
            self.order_id._compliance_void_stale_approvals()
            self.order_id._compliance_recheck_confirmed()
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders = orders.exists()
        orders._compliance_void_stale_approvals()
        orders._compliance_recheck_confirmed()
        return res
