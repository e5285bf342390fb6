from odoo import fields, models


class SalesComplaintClose(models.TransientModel):
    """Closes a complaint (resolution, action taken, satisfaction) or cancels it (reason):
    the complaint's own methods decide and check."""

    _name = "sales.complaint.close"
    _description = "Close a Customer Complaint"

    complaint_id = fields.Many2one("sales.complaint", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("close", "Close"), ("cancel", "Cancel")], required=True, default="close"
    )
    resolution = fields.Text()
    action_taken = fields.Selection(
        lambda self: self.env["sales.complaint"]._fields["action_taken"].selection
    )
    satisfaction = fields.Selection(
        lambda self: self.env["sales.complaint"]._fields["satisfaction"].selection,
        string="Customer Satisfaction",
    )
    reason = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        complaint = self.complaint_id
        if self.mode == "cancel":
            complaint.action_cancel(self.reason)
        else:
            complaint._close(self.resolution, self.action_taken, self.satisfaction)
        return {"type": "ir.actions.act_window_close"}
