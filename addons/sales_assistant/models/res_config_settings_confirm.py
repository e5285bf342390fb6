from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    assistant_confirm_guide = fields.Boolean(
        string="Guided Confirmation",
        default=False,
        help="The Confirm button of a quotation opens a screen showing compliance, stock, "
        "credit, contract terms and the deposit before anything changes.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    assistant_confirm_guide = fields.Boolean(
        related="company_id.assistant_confirm_guide", readonly=False
    )
