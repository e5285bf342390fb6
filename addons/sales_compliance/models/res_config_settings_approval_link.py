from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    approval_link_hours = fields.Integer(related="company_id.approval_link_hours", readonly=False)
    approval_link_without_login = fields.Boolean(
        related="company_id.approval_link_without_login", readonly=False
    )
