import json

from odoo import api, fields, models

from ..models.sales_compliance_mixin import WARNINGS_SEEN


class SalesComplianceCheckWizard(models.TransientModel):
    """Dialog listing the rules that failed when the user acted on a record."""

    _name = "sales.compliance.check.wizard"
    _description = "Compliance Check Result"

    res_model = fields.Char(required=True)
    res_ids = fields.Char(required=True)
    violation_ids = fields.Many2many("sales.compliance.violation", string="Failed Rules")
    continue_method = fields.Char()
    has_blocking = fields.Boolean(compute="_compute_flags")
    needs_approval = fields.Boolean(compute="_compute_flags")

    @api.depends("violation_ids")
    def _compute_flags(self):
        for wizard in self:
            outcomes = set(wizard.violation_ids.mapped("outcome"))
            wizard.has_blocking = bool(outcomes & {"block", "approval"})
            wizard.needs_approval = "approval" in outcomes and "block" not in outcomes

    def _records(self):
        self.ensure_one()
        return self.env[self.res_model].browse(json.loads(self.res_ids)).exists()

    def action_continue(self):
        """Go on despite warnings (the warnings are already logged)."""
        self.ensure_one()
        if self.has_blocking or self.continue_method not in (
            "action_confirm",
            "action_quotation_send",
        ):
            return {"type": "ir.actions.act_window_close"}
        records = self._records().with_context(
            compliance_dialog=True, compliance_warnings_seen=WARNINGS_SEEN
        )
        result = getattr(records, self.continue_method)()
        return result if isinstance(result, dict) else {"type": "ir.actions.act_window_close"}

    def action_request_approval(self):
        self.ensure_one()
        return self._records().action_compliance_request_approval()
