from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class SalesComplianceCreditReview(models.Model):
    """Credit investigation (信用调查) of a customer, valid until a date."""

    _name = "sales.compliance.credit.review"
    _description = "Credit Review"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    date = fields.Date(
        required=True, default=lambda self: self.env.company._sales_today(), tracking=True
    )
    reviewer_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, tracking=True
    )
    rating_id = fields.Many2one("sales.compliance.credit.rating", required=True, tracking=True)
    assets = fields.Text()
    liabilities = fields.Text()
    sales_capacity = fields.Text()
    notes = fields.Html()
    valid_until = fields.Date(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    is_valid = fields.Boolean(compute="_compute_is_valid", string="Valid")

    @api.depends("date", "valid_until")
    def _compute_is_valid(self):
        for review in self:
            today = review.company_id._sales_today()
            review.is_valid = review.date <= today <= review.valid_until

    @api.constrains("date", "valid_until")
    def _check_dates(self):
        for review in self:
            if review.valid_until < review.date:
                raise ValidationError(self.env._("A credit review cannot expire before its date."))

    @api.depends("partner_id", "rating_id", "date")
    def _compute_display_name(self):
        for review in self:
            review.display_name = (
                f"{review.partner_id.name or ''} {review.rating_id.code or ''} "
                f"({review.date or ''})"
            )

    @api.model
    def _get_valid_reviews(self, partners, companies):
        """{(commercial partner id, company id): latest valid review} in one query.

        A review counts in its own company only: the document's company, never the
        companies the user happens to have active."""
        valid = expression.OR(
            [
                [
                    ("company_id", "=", company.id),
                    ("date", "<=", today),
                    ("valid_until", ">=", today),
                ]
                for company in companies
                for today in [company._sales_today()]
            ]
        )
        reviews = self.sudo().search(
            expression.AND([[("partner_id", "in", partners.commercial_partner_id.ids)], valid]),
            order="date desc, id desc",
        )
        result = {}
        for review in reviews:
            result.setdefault((review.partner_id.id, review.company_id.id), review)
        return result
