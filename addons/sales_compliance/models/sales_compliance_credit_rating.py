from odoo import fields, models


class SalesComplianceCreditRating(models.Model):
    _name = "sales.compliance.credit.rating"
    _description = "Credit Rating"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    payment_term_ids = fields.Many2many(
        "account.payment.term",
        string="Allowed Payment Terms",
        help="Payment terms a customer with this rating may trade on. Empty: any.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "The rating code must be unique per company."),
    ]
