from odoo import api, fields, models

from ..tools.actions import form_action


class SalesComplianceDecisionWizard(models.TransientModel):
    """Decide an approval request (approve / reject) or a violation (resolve /
    override), with a comment."""

    _name = "sales.compliance.decision.wizard"
    _description = "Compliance Decision"

    approval_id = fields.Many2one("sales.compliance.approval")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    violation_id = fields.Many2one("sales.compliance.violation")
    violation_decision = fields.Selection(
        [("resolve", "Mark Resolved"), ("override", "Override")],
        string="Decision on the Violation",
        default="override",
    )
    comment = fields.Text()

    @api.model
    def _open_for(self, defaults):
        """The decision dialog, with ``defaults`` (``default_*`` keys) for its fields."""
        return form_action(self._name, name=self.env._("Decision"), target="new", context=defaults)

    def action_confirm(self):
        self.ensure_one()
        if self.violation_id:
            if self.violation_decision == "resolve":
                self.violation_id.action_resolve(self.comment)
            else:
                self.violation_id.action_override(self.comment)
        elif self.decision == "approve":
            self.approval_id.action_approve(self.comment)
        else:
            self.approval_id.action_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
