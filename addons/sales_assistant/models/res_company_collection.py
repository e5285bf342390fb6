from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    collection_finance_user_id = fields.Many2one(
        "res.users",
        string="Finance Contact for Collections",
        help="Gets an activity, with the team leader, when a reminder level escalates.",
    )
