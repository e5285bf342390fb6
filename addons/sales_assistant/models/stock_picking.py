from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        # the order's last delivery done: ask the customer to confirm receipt
        self.sale_id._receipt_request()
        return res
