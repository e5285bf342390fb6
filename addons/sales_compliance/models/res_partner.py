from odoo import api, fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "sales.compliance.mixin"]

    compliance_protection_end = fields.Date(
        string="Protected Until",
        tracking=True,
        help="Until this date the owner keeps the customer even without follow-up.",
    )
    compliance_review_ids = fields.One2many(
        "sales.compliance.credit.review", "partner_id", string="Credit Reviews"
    )
    compliance_credit_rating_id = fields.Many2one(
        "sales.compliance.credit.rating",
        string="Credit Rating",
        compute="_compute_compliance_credit_rating",
    )
    compliance_credit_review_valid = fields.Boolean(
        string="Valid Credit Review", compute="_compute_compliance_credit_rating"
    )
    compliance_credit_review_until = fields.Date(
        string="Credit Review Valid Until", compute="_compute_compliance_credit_rating"
    )

    def _compute_compliance_credit_rating(self):
        reviews = self.env["sales.compliance.credit.review"]._get_valid_reviews(self)
        for partner in self:
            review = reviews.get(partner.commercial_partner_id.id)
            partner.compliance_credit_rating_id = review.rating_id if review else False
            partner.compliance_credit_review_valid = bool(review)
            partner.compliance_credit_review_until = review.valid_until if review else False

    def _compliance_partner(self):
        self.ensure_one()
        return self.commercial_partner_id

    def _compliance_hash_values(self):
        self.ensure_one()
        return {"user": self.user_id.id, "credit_limit": self.credit_limit}

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self._compliance_skip_save():
            partners._compliance_check_save()
        return partners

    _compliance_hash_trigger_fields = ("user_id", "credit_limit")

    def write(self, vals):
        res = super().write(vals)
        if set(vals) & set(self._compliance_hash_trigger_fields):
            self._compliance_void_stale_approvals()
        if not self._compliance_skip_save():
            self._compliance_check_save()
        return res
