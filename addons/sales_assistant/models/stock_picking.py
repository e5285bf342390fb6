from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        # the order's last delivery done: ask the customer to confirm receipt. The warehouse
        # user who validates may not write sales orders: the request is the order's own
        # bookkeeping (a flag and the e-mail), not their edit
        self.sale_id.sudo()._receipt_request()
        return res
