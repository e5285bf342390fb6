from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression


class ResPartner(models.Model):
    """A customer's credit (授信): who sees it, its exposure and its valid review."""

    _inherit = "res.partner"

    compliance_credit_visible = fields.Boolean(
        string="Can See Credit",
        compute="_compute_compliance_credit_visible",
        search="_search_compliance_credit_visible",
        help="Whether the current user may see the receivables and credit data of the "
        "customer: its salesperson and their team leader, compliance officers and "
        "accounting users.",
    )

    @api.model
    def _compliance_sees_all_credit(self):
        """Compliance officers and accounting users see every customer's credit, as
        Odoo shows its own ``credit`` and ``credit_limit`` to accounting users only."""
        user = self.env.user
        return (
            user._is_superuser()
            or user.has_group("sales_compliance.group_compliance_officer")
            or user.has_group("account.group_account_invoice")
            or user.has_group("account.group_account_readonly")
        )

    def _search_compliance_credit_visible(self, operator, value):
        """The one definition of who sees a customer's credit; also the record rule of
        credit reviews. Depends on the user only, never on ``sudo()``: record rules are
        applied in sudo mode."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the credit visibility."))
        if self._compliance_sees_all_credit():
            domain = [(1, "=", 1)]
        else:
            domain = [
                (
                    "commercial_partner_id.user_id",
                    "in",
                    self.env.user._sales_self_and_team_members().ids,
                )
            ]
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    @api.depends_context("uid")
    @api.depends("commercial_partner_id.user_id")
    def _compute_compliance_credit_visible(self):
        visible = self.sudo().filtered_domain(self._search_compliance_credit_visible("=", True))
        for partner in self:
            partner.compliance_credit_visible = partner in visible

    def _compliance_credit_shown(self):
        """The partners whose credit the environment may read: all as superuser (the
        engine), the visible ones otherwise."""
        return self if self.env.su else self.filtered("compliance_credit_visible")

    compliance_credit_exposure = fields.Monetary(
        string="Credit Exposure",
        compute="_compute_compliance_credit_exposure",
        currency_field="compliance_currency_id",
        help="Open receivables + confirmed orders not yet invoiced, in the company currency.",
    )
    compliance_currency_id = fields.Many2one(
        "res.currency", compute="_compute_compliance_credit_exposure"
    )

    @api.depends_context("uid", "company")
    def _compute_compliance_credit_exposure(self):
        company = self.env.company
        shown = self._compliance_credit_shown()
        exposures = shown.commercial_partner_id._compliance_exposure(company)
        for partner in self:
            partner.compliance_currency_id = company.currency_id
            partner.compliance_credit_exposure = (
                exposures.get(partner.commercial_partner_id.id, 0.0) if partner in shown else 0.0
            )

    def _compliance_exposure(self, company):
        """{commercial partner id: open receivables + confirmed orders not yet invoiced}
        in ``company`` and its currency, in a constant number of queries."""
        company = company[:1] or self.env.company
        # receivables (``credit``) are computed in the current company: read them in
        # ``company``, not in the company the user happens to work in
        partners = self.commercial_partner_id.sudo().with_company(company)
        if not partners:
            return {}
        # non-stored and cached: make sure invoices posted meanwhile are counted
        partners.invalidate_recordset(["credit"])
        result = {partner.id: partner.credit for partner in partners}
        groups = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "sale"),
                    ("order_partner_id.commercial_partner_id", "in", partners.ids),
                    ("untaxed_amount_to_invoice", ">", 0),
                    ("company_id", "=", company.id),
                ],
                ["order_partner_id", "currency_id"],
                ["untaxed_amount_to_invoice:sum", "price_subtotal:sum", "price_total:sum"],
            )
        )
        today = company._sales_today()
        for partner, currency, untaxed, subtotal, total in groups:
            # amount still to invoice, taxes included in the proportion of the lines
            taxed = untaxed * (total / subtotal) if subtotal else untaxed
            key = partner.commercial_partner_id.id
            result[key] = result.get(key, 0.0) + currency._convert(
                taxed, company.currency_id, company, today
            )
        return result

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

    @api.depends_context("uid", "company")
    def _compute_compliance_credit_rating(self):
        shown = self._compliance_credit_shown()
        reviews = self.env["sales.compliance.credit.review"]._get_valid_reviews(
            shown, self.env.company
        )
        for partner in self:
            review = reviews.get((partner.commercial_partner_id.id, self.env.company.id))
            partner.compliance_credit_rating_id = review.rating_id if review else False
            partner.compliance_credit_review_valid = bool(review)
            partner.compliance_credit_review_until = review.valid_until if review else False
