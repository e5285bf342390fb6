from odoo import api, models


class AccountPartialReconcile(models.Model):
    """A payment reconciled with (or removed from) an order's invoice moves its collection
    plan at once; the daily cron only catches the moves of dates."""

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._collection_plans()._collection_refresh()
        return partials

    def unlink(self):
        plans = self._collection_plans()
        result = super().unlink()
        plans._collection_refresh()
        return result

    def _collection_plans(self):
        moves = self.sudo().debit_move_id.move_id | self.sudo().credit_move_id.move_id
        return self.env["sale.order"]._collection_plans_of_moves(moves)
