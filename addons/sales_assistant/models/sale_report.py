from odoo import fields, models

from .sale_order_receipt import RECEIPT_STATES


class SaleReport(models.Model):
    _inherit = "sale.report"

    receipt_state = fields.Selection(
        RECEIPT_STATES,
        string="Customer Receipt",
        readonly=True,
    )
    delivery_late = fields.Boolean(string="Late Delivery", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["receipt_state"] = "s.receipt_state"
        res["delivery_late"] = "s.delivery_late"
        return res

    def _group_by_sale(self):
        return f"{super()._group_by_sale()}, s.receipt_state, s.delivery_late"
