from odoo import api, models

HASHED_LINE_FIELDS = {"product_id", "product_uom_qty", "price_unit", "discount", "tax_id"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

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
