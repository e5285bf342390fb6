from odoo import api, models

HASHED_LINE_FIELDS = {"product_id", "product_uom_qty", "price_unit", "discount", "tax_id"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._compliance_void_stale_approvals()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if set(vals) & HASHED_LINE_FIELDS:
            self.order_id._compliance_void_stale_approvals()
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists()._compliance_void_stale_approvals()
        return res
