from odoo import fields, models


class SalesTargetDecomposeLine(models.TransientModel):
    _name = "sales.target.decompose.line"
    _description = "Decompose a Target: Line"

    wizard_id = fields.Many2one("sales.target.decompose", required=True, ondelete="cascade")
    label = fields.Char(readonly=True)
    assignee_type = fields.Selection(
        [("company", "Company"), ("team", "Sales Team"), ("user", "Salesperson")]
    )
    team_id = fields.Many2one("crm.team")
    user_id = fields.Many2one("res.users")
    date_from = fields.Date()
    date_to = fields.Date()
    weight = fields.Float(default=1.0)
    value = fields.Float()
