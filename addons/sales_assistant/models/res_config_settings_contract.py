from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    contract_renewal_days = fields.Integer(
        related="company_id.contract_renewal_days", readonly=False
    )
