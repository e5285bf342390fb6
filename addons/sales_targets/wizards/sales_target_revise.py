from odoo import fields, models


class SalesTargetRevise(models.TransientModel):
    _name = "sales.target.revise"
    _description = "Revise a Target"

    target_id = fields.Many2one("sales.target", required=True, ondelete="cascade")
    current_value = fields.Float(related="target_id.target_value")
    new_value = fields.Float(required=True)
    reason = fields.Text(required=True)

    def action_apply(self):
        self.ensure_one()
        self.target_id.with_context(target_revision_reason=self.reason).write(
            {"target_value": self.new_value}
        )
        return {"type": "ir.actions.act_window_close"}
