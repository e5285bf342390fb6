from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = self.env["sales.complaint"]._complaint_counts("picking_id", self)
        for picking in self:
            picking.complaint_count = counts.get(picking, 0)

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["sales.complaint"]._complaints_action(
            [("picking_id", "=", self.id)], {"default_picking_id": self.id}
        )

    def action_new_complaint(self):
        self.ensure_one()
        return self.env["sales.complaint"]._new_complaint_action({"default_picking_id": self.id})
