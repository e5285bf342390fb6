from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.float_utils import float_compare

from .deferred_checks import check_or_defer


class SalesCreditShare(models.Model):
    """One salesperson's share of the credit for an opportunity or a sale order.

    Regular shares of a document add up to 100%. Overlay shares (presales, specialists) are
    outside the 100%: they credit the overlay person without reducing the others.
    """

    _name = "sales.credit.share"
    _description = "Sales Credit Share"
    _order = "is_overlay, share desc, id"

    lead_id = fields.Many2one("crm.lead", ondelete="cascade", index=True)
    order_id = fields.Many2one("sale.order", ondelete="cascade", index=True)
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", required=True)
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", compute="_compute_team_id", store=True, readonly=False
    )
    share = fields.Float("Share (%)", required=True, default=100.0)
    is_overlay = fields.Boolean("Overlay", help="Credit outside the 100%, e.g. presales.")

    _sql_constraints = [
        (
            "one_document",
            "CHECK ((lead_id IS NULL) != (order_id IS NULL))",
            "A credit share belongs to one opportunity or one sale order.",
        ),
    ]

    @api.depends("lead_id.company_id", "order_id.company_id")
    def _compute_company_id(self):
        for line in self:
            line.company_id = line.order_id.company_id or line.lead_id.company_id

    @api.depends("user_id")
    def _compute_team_id(self):
        for line in self:
            line.team_id = line.user_id.sale_team_id

    @api.constrains("share")
    def _check_share(self):
        for line in self:
            if line.share <= 0 or line.share > 100:
                raise ValidationError(
                    self.env._("A credit share must be between 0 and 100%% (got %s).", line.share)
                )

    @api.constrains("share", "user_id", "is_overlay", "order_id", "lead_id")
    def _check_document_total(self):
        """A share created or written on its own must leave its document's split valid."""
        self._check_documents_of(self)

    @api.model
    def _check_documents_of(self, shares):
        check_or_defer(shares.sudo().order_id, "_check_credit_shares")
        check_or_defer(shares.sudo().lead_id, "_check_credit_shares")

    def write(self, vals):
        former = []
        if "order_id" in vals or "lead_id" in vals:
            # a share moved to another document must leave its former one valid too
            former = [self.sudo().order_id, self.sudo().lead_id]
        result = super().write(vals)
        for documents in former:
            check_or_defer(documents, "_check_credit_shares")
        return result

    def unlink(self):
        """The remaining shares of each document must still add up to 100%, or be none."""
        orders, leads = self.sudo().order_id, self.sudo().lead_id
        result = super().unlink()
        check_or_defer(orders, "_check_credit_shares")
        check_or_defer(leads, "_check_credit_shares")
        return result

    @api.model
    def _check_document_shares(self, documents):
        """Regular shares of each document must add up to 100%, one line per person."""
        for document in documents:
            shares = document.credit_share_ids
            regular = shares.filtered(lambda s: not s.is_overlay)
            if shares and not regular:
                raise ValidationError(
                    self.env._(
                        "%s has only overlay shares: add the regular owners.", document.display_name
                    )
                )
            total = sum(regular.mapped("share"))
            if regular and float_compare(total, 100.0, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "The credit shares of %(doc)s add up to %(total)s%%, not 100%%.",
                        doc=document.display_name,
                        total=round(total, 2),
                    )
                )
            if len(regular.user_id) != len(regular):
                raise ValidationError(
                    self.env._(
                        "%s lists a salesperson twice in its credit shares.", document.display_name
                    )
                )

    def _copy_values(self):
        return [
            (
                0,
                0,
                {
                    "user_id": s.user_id.id,
                    "team_id": s.team_id.id,
                    "share": s.share,
                    "is_overlay": s.is_overlay,
                },
            )
            for s in self
        ]
