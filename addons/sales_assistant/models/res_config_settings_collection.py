from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    collection_finance_user_id = fields.Many2one(
        related="company_id.collection_finance_user_id", readonly=False
    )
    collection_promise_horizon_days = fields.Integer(
        related="company_id.collection_promise_horizon_days", readonly=False
    )
