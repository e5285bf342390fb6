from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    satisfaction_survey_id = fields.Many2one(
        related="company_id.satisfaction_survey_id", readonly=False
    )
    satisfaction_on_receipt = fields.Boolean(
        related="company_id.satisfaction_on_receipt", readonly=False
    )
    satisfaction_on_complaint = fields.Boolean(
        related="company_id.satisfaction_on_complaint", readonly=False
    )
    satisfaction_yearly = fields.Boolean(related="company_id.satisfaction_yearly", readonly=False)
    return_visit_days = fields.Integer(related="company_id.return_visit_days", readonly=False)
