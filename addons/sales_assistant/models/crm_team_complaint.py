from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    complaint_owner_id = fields.Many2one(
        "res.users",
        string="Sales Desk (complaints)",
        help="Owns the complaints on this team's orders; else the company's default owner "
        "(Settings).",
    )
