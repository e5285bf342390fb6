"""Built-in checks of the credit family: exposure, overdue receivables, credit review
and the payment terms a credit rating allows."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_compliance_rule import compliance_check


class SalesComplianceRuleCredit(models.Model):
    # one file per family of checks, on purpose (see sales_compliance_rule.py)
    _inherit = "sales.compliance.rule"

    check = fields.Selection(
        selection_add=[
            ("credit_exposure", "Credit exposure over the credit limit"),
            ("overdue", "Overdue receivables older than N days"),
            ("credit_review", "No valid credit review for non-cash payment terms"),
            ("rating_terms", "Payment terms not allowed for the credit rating"),
        ],
        ondelete={
            "credit_exposure": "set null",
            "overdue": "set null",
            "credit_review": "set null",
            "rating_terms": "set null",
        },
    )
    # Parameter of the overdue check (form: sales_compliance_rule_credit_views.xml)
    overdue_days = fields.Integer(default=30, help="Overdue check: tolerated days past due.")

    @api.constrains("overdue_days")
    def _check_overdue_days(self):
        for rule in self:
            if rule.overdue_days < 0:
                raise ValidationError(
                    self.env._("Rule %s: the overdue days cannot be negative.", rule.name)
                )

    @compliance_check(
        measured=True,
        credit=True,
        reads={"sale.order": ("partner_id.commercial_partner_id.credit_limit",)},
    )
    def _compliance_check_credit_exposure(self, orders):
        situations = orders._compliance_credit_situation()
        result = {}
        for order in orders:
            exposure, limit = situations[order.id]
            if limit and exposure > limit:
                result[order.id] = (
                    exposure,
                    limit,
                    {
                        "partner": order.partner_id.commercial_partner_id.id,
                        "exposure": exposure,
                        "credit_limit": limit,
                    },
                )
        return result

    @compliance_check(
        models=("sale.order", "res.partner"),
        measured=True,
        credit=True,
        reads={
            "sale.order": ("partner_id.commercial_partner_id",),
            "res.partner": ("commercial_partner_id",),
        },
    )
    def _compliance_check_overdue(self, records):
        today = self.env.company._sales_today()
        cutoff = today - timedelta(days=self.overdue_days)
        partners = (
            records.commercial_partner_id
            if records._name == "res.partner"
            else records.partner_id.commercial_partner_id
        )
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", ">", 0),
                    ("date_maturity", "<", cutoff),
                ],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        overdue = {partner.id: amount for partner, amount in groups}
        result = {}
        for record in records:
            partner = record._compliance_partner()
            amount = overdue.get(partner.id)
            if amount:
                result[record.id] = (
                    amount,
                    self.overdue_days,
                    {"partner": partner.id, "overdue_amount": amount, "days": self.overdue_days},
                )
        return result

    @compliance_check()
    def _compliance_check_credit_review(self, orders):
        non_cash = orders.filtered(lambda o: not o.payment_term_id._compliance_is_cash())
        if not non_cash:
            return {}
        reviews = self.env["sales.compliance.credit.review"]._get_valid_reviews(
            non_cash.partner_id, non_cash.company_id
        )
        result = {}
        for order in non_cash:
            partner = order.partner_id.commercial_partner_id
            if (partner.id, order.company_id.id) not in reviews:
                result[order.id] = (
                    0,
                    0,
                    {"partner": partner.id, "payment_term": order.payment_term_id.id},
                )
        return result

    @compliance_check()
    def _compliance_check_rating_terms(self, orders):
        Rating = self.env["sales.compliance.credit.rating"]
        reviews = self.env["sales.compliance.credit.review"]._get_valid_reviews(
            orders.partner_id, orders.company_id
        )
        result = {}
        for order in orders:
            partner = order.partner_id.commercial_partner_id
            review = reviews.get((partner.id, order.company_id.id))
            rating = review.rating_id if review else Rating
            if not rating or not rating.payment_term_ids:
                continue
            if order.payment_term_id not in rating.payment_term_ids:
                result[order.id] = (
                    0,
                    0,
                    {
                        "partner": partner.id,
                        "rating": rating.name,
                        "payment_term": order.payment_term_id.id,
                    },
                )
        return result
