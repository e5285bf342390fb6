from odoo import api, fields, models

from .sales_compliance_mixin import COMPLIANCE_SKIP, WARNINGS_SEEN


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sales.compliance.mixin"]

    compliance_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    compliance_credit_exposure = fields.Monetary(
        string="Credit Exposure",
        compute="_compute_compliance_credit",
        currency_field="compliance_currency_id",
        help="Open receivables + confirmed orders not yet invoiced + this order, in the "
        "company currency, for the commercial partner.",
    )
    compliance_credit_limit = fields.Monetary(
        string="Credit Limit",
        compute="_compute_compliance_credit",
        currency_field="compliance_currency_id",
    )
    compliance_credit_rating_id = fields.Many2one(
        "sales.compliance.credit.rating",
        string="Credit Rating",
        compute="_compute_compliance_credit",
    )
    compliance_credit_review_valid = fields.Boolean(
        string="Valid Credit Review", compute="_compute_compliance_credit"
    )
    compliance_credit_visible = fields.Boolean(
        string="Can See Credit", compute="_compute_compliance_credit_visible"
    )

    @api.depends_context("uid")
    @api.depends("partner_id")
    def _compute_compliance_credit_visible(self):
        for order in self:
            order.compliance_credit_visible = (
                order.partner_id.commercial_partner_id.compliance_credit_visible
            )

    @api.depends_context("uid")
    @api.depends("partner_id", "amount_total", "company_id")
    def _compute_compliance_credit(self):
        # the customer's credit is shown only to whom may see it (see res.partner)
        shown = self.env["res.partner"]
        if self.partner_id:
            shown = self.partner_id.commercial_partner_id._compliance_credit_shown()
        orders = self.filtered(lambda o: o.partner_id.commercial_partner_id in shown)
        situations = orders._compliance_credit_situation() if orders else {}
        reviews = self.env["sales.compliance.credit.review"]._get_valid_reviews(
            orders.partner_id, orders.company_id
        )
        for order in self:
            partner = order.partner_id.commercial_partner_id
            if order not in orders:
                order.compliance_credit_exposure = 0.0
                order.compliance_credit_limit = 0.0
                order.compliance_credit_review_valid = False
                order.compliance_credit_rating_id = False
                continue
            review = reviews.get((partner.id, order.company_id.id))
            exposure, limit = situations.get(order._origin.id or order.id, (0.0, 0.0))
            order.compliance_credit_exposure = exposure
            order.compliance_credit_limit = limit
            order.compliance_credit_review_valid = bool(review)
            order.compliance_credit_rating_id = review.rating_id if review else False

    def _compliance_credit_situation(self):
        """{order id: (exposure, credit limit)} in the company currency, the one
        definition the order form and the credit exposure check share, in a constant
        number of queries.

        The exposure is the customer's (``res.partner._compliance_exposure``: open
        receivables and confirmed orders not yet invoiced) plus this order while it is
        not confirmed. Both are read in the order's company: receivables, orders and
        the credit limit (company-dependent) are per company.
        """
        result = {}
        for company, orders in self.grouped(lambda o: o.company_id or self.env.company).items():
            partners = orders.partner_id.commercial_partner_id
            exposures = partners._compliance_exposure(company)
            limits = {p.id: p.credit_limit for p in partners.sudo().with_company(company)}
            for order in orders:
                partner_id = order.partner_id.commercial_partner_id.id
                current = (
                    0.0
                    if order.state == "sale"
                    else order.amount_total / (order.currency_rate or 1.0)
                )
                result[order._origin.id or order.id] = (
                    exposures.get(partner_id, 0.0) + current,
                    limits.get(partner_id, 0.0),
                )
        return result

    def _compliance_hash_values(self):
        self.ensure_one()
        return {
            "partner": self.partner_id.id,
            "invoice_partner": self.partner_invoice_id.id,
            # who answers for the order (discount ceiling, approving team leader) and
            # where it is delivered and taxed: a rep can edit them after the approval
            "salesperson": self.user_id.id,
            "team": self.team_id.id,
            "company": self.company_id.id,
            "fiscal_position": self.fiscal_position_id.id,
            "shipping_partner": self.partner_shipping_id.id,
            "pricelist": self.pricelist_id.id,
            "payment_term": self.payment_term_id.id,
            "currency": self.currency_id.id,
            "commitment_date": str(self.commitment_date or ""),
            "client_order_ref": self.client_order_ref or "",
            "amount_total": self.currency_id.round(self.amount_total),
            "lines": [
                (
                    line.product_id.id,
                    line.product_uom_qty,
                    line.price_unit,
                    line.discount,
                    sorted(line.tax_id.ids),
                )
                for line in self.order_line.sorted("id")
                # a down payment invoiced later adds a line: it changes nothing approved
                if not line.display_type and not line.is_downpayment
            ],
        }

    # ------------------------------------------------------------------
    # Engine hooks
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._compliance_run_rules()
        return orders

    _compliance_hash_trigger_fields = (
        "partner_id",
        "partner_invoice_id",
        "user_id",
        "team_id",
        "company_id",
        "fiscal_position_id",
        "partner_shipping_id",
        "pricelist_id",
        "payment_term_id",
        "currency_id",
        "commitment_date",
        "client_order_ref",
        "order_line",
    )

    _compliance_triggers = ("save", "send", "confirm")
    _compliance_lines_field = "order_line"
    _compliance_has_amount = True

    # the amount levels pick on (untaxed, company currency) moves with the bound lines,
    # currency and total: nothing more to bind (``_compliance_amount_paths``)
    def _compliance_approval_amount(self):
        self.ensure_one()
        # company currency, as the amount check
        return self.amount_untaxed / (self.currency_rate or 1.0)

    def write(self, vals):
        res = super().write(vals)
        changed = set(vals) & set(self._compliance_hash_trigger_fields)
        if changed or self._compliance_hash_changed(vals):
            self._compliance_void_stale_approvals()
            # line changes are checked by the lines themselves (sale.order.line)
            if changed - {"order_line"}:
                self._compliance_recheck_confirmed()
        self._compliance_run_rules()
        return res

    def _compliance_recheck_confirmed(self):
        """Run the confirmation rules again on the confirmed orders among ``self``,
        called when their bound values changed: a block refuses the change (its
        violation is kept), an approval rule opens a new request that the order shows.
        Confirmation let these values through only as they were."""
        confirmed = self.filtered(lambda order: order.state == "sale")
        if confirmed:
            confirmed._compliance_run_rules("confirm")

    def action_confirm(self):
        """Check the confirmation rules BEFORE any side effect.

        - blocked, web client (context ``compliance_dialog``): the violations and chatter
          notes are written and a dialog listing the failed rules is returned; nothing
          else changes and the transaction commits.
        - blocked, from code (RPC, portal signature, online payment...): the violations
          are committed apart, then :class:`ComplianceBlockedError` (a ``UserError``)
          lists the failed rules and rolls back the rest.
        - warnings only: logged; the web client shows them first, code goes on.
        """
        if self._compliance_skipped():
            return super().action_confirm()
        dialog = self._compliance_gate("confirm", "action_confirm")
        if dialog:
            return dialog
        return super(SaleOrder, self.with_context(compliance_skip=COMPLIANCE_SKIP)).action_confirm()

    def _compliance_gate(self, trigger, continue_method):
        """Check the ``trigger`` rules of the draft and sent orders before an action.

        Returns the dialog the web client shows (blocked, or warnings to acknowledge), or
        None to go on. From code, blocking rules raise :class:`ComplianceBlockedError`.
        Warnings are always logged: the dialog's "go on" (``WARNINGS_SEEN``, which no
        client can send) only skips the dialog and does not count another attempt.
        """
        ui = self.env.context.get("compliance_dialog")
        acknowledged = self.env.context.get("compliance_warnings_seen") is WARNINGS_SEEN
        to_check = self.filtered(lambda o: o.state in ("draft", "sent"))
        violations = to_check._compliance_enforce(
            trigger, refusing=() if ui else ("block", "approval"), acknowledged=acknowledged
        )
        if not ui or not violations:
            return None
        if any(v.outcome in ("block", "approval") for v in violations):
            return to_check._compliance_dialog(violations)
        if not acknowledged:
            return to_check._compliance_dialog(violations, continue_method=continue_method)
        return None

    def action_quotation_send(self):
        if not self._compliance_skipped():
            dialog = self._compliance_gate("send", "action_quotation_send")
            if dialog:
                return dialog
        return super().action_quotation_send()
