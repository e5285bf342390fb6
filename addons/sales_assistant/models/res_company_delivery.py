from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    assistant_receipt_request = fields.Boolean(
        string="Ask Customers to Confirm Receipt",
        default=True,
        help="When the last delivery of an order is done, e-mail the customer the link to "
        "confirm receipt.",
    )
