from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        self.env["sale.order"]._collection_plans_of_moves(posted)._collection_refresh()
        return posted

    def button_draft(self):
        result = super().button_draft()
        self.env["sale.order"]._collection_plans_of_moves(self)._collection_refresh()
        return result

    def button_cancel(self):
        result = super().button_cancel()
        self.env["sale.order"]._collection_plans_of_moves(self)._collection_refresh()
        return result
