from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_sla_critical_hours = fields.Integer(
        related="company_id.complaint_sla_critical_hours", readonly=False
    )
    complaint_sla_high_hours = fields.Integer(
        related="company_id.complaint_sla_high_hours", readonly=False
    )
    complaint_sla_normal_hours = fields.Integer(
        related="company_id.complaint_sla_normal_hours", readonly=False
    )
    complaint_sla_low_hours = fields.Integer(
        related="company_id.complaint_sla_low_hours", readonly=False
    )
    complaint_owner_id = fields.Many2one(related="company_id.complaint_owner_id", readonly=False)
