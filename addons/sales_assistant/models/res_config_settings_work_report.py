from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    work_report_hour = fields.Float(related="company_id.work_report_hour", readonly=False)
