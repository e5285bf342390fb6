from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    complaint_ids = fields.One2many("sales.complaint", "order_id", string="Complaints")
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = self.env["sales.complaint"]._complaint_counts("order_id", self)
        for order in self:
            order.complaint_count = counts.get(order, 0)

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["sales.complaint"]._complaints_action(
            [("order_id", "=", self.id)], {"default_order_id": self.id}
        )

    def action_new_complaint(self):
        self.ensure_one()
        return self.env["sales.complaint"]._new_complaint_action({"default_order_id": self.id})
