from odoo import fields, models


class CrmLostReason(models.Model):
    """Closing reasons: Odoo's lost reasons, and the reasons deals are won."""

    _inherit = "crm.lost.reason"

    closing_type = fields.Selection(
        [("lost", "Lost"), ("won", "Won")],
        string="Reason For",
        required=True,
        default="lost",
        help="Whether the reason explains a won or a lost deal.",
    )
    lost_to_competitor = fields.Boolean(
        help="A deal lost for this reason names the competitor that won it.",
    )
