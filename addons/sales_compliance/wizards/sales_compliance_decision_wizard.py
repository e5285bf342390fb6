from odoo import fields, models


class SalesComplianceDecisionWizard(models.TransientModel):
    """Approve or reject an approval request with a comment."""

    _name = "sales.compliance.decision.wizard"
    _description = "Compliance Approval Decision"

    approval_id = fields.Many2one("sales.compliance.approval", required=True)
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    comment = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approve":
            self.approval_id.action_approve(self.comment)
        else:
            self.approval_id.action_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
