from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    collection_finance_user_id = fields.Many2one(
        related="company_id.collection_finance_user_id", readonly=False
    )
