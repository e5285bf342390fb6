from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.exceptions import UserError, ValidationError

# Written by the engine alone: they tell it what a line commissions or takes back.
ENGINE_FIELDS = {"res_model", "res_id", "clawback_origin", "clawback_kind", "source_ref"}


class SalesCommissionStatementLine(models.Model):
    _name = "sales.commission.statement.line"
    _description = "Commission Statement Line"
    _order = "statement_id, line_type, date, id"

    statement_id = fields.Many2one(
        "sales.commission.statement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="statement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    line_type = fields.Selection(
        [("commission", "Commission"), ("clawback", "Clawback"), ("adjustment", "Adjustment")],
        required=True,
        default="adjustment",
    )
    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document ID", model_field="res_model", readonly=True)
    doc_name = fields.Char("Document")
    date = fields.Date()
    share = fields.Float("Share (%)", default=100.0)
    base_amount = fields.Monetary("Base", currency_field="currency_id")
    rate = fields.Float("Rate (%)", digits=(16, 4))
    amount = fields.Monetary("Commission", currency_field="currency_id")
    reason = fields.Char()
    clawback_origin = fields.Char(readonly=True, index=True)
    clawback_kind = fields.Selection(
        [
            ("refund", "Credit note"),
            ("write_off", "Written off"),
            ("order_cancelled", "Order cancelled"),
            ("invoice_cancelled", "Invoice cancelled or reset to draft"),
            ("unreconciled", "Payment undone or its invoice reset to draft"),
            ("bonus", "Achievement lower than paid"),
            ("refund_undone", "Credit note cancelled or reversed: given back"),
            ("bonus_undone", "Achievement restored: given back"),
        ],
        string="Clawed Back For",
        readonly=True,
    )
    source_ref = fields.Char(
        "Source",
        readonly=True,
        help="For commission on collected cash: the reconciliation of the payment with the "
        "invoice. When it is undone, the commission is clawed back.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        statements = self.env["sales.commission.statement"].browse(
            {vals.get("statement_id") for vals in vals_list}
        )
        statements._check_draft()
        statements._check_not_own()
        for vals in vals_list:
            if vals.get("line_type", "adjustment") != "adjustment" or any(
                vals.get(name) for name in ENGINE_FIELDS
            ):
                raise UserError(self.env._("Only adjustment lines can be added by hand."))
            if not (vals.get("reason") or "").strip():
                raise ValidationError(self.env._("An adjustment needs a reason."))
        return super().create(vals_list)

    def write(self, vals):
        self.statement_id._check_draft()
        self.statement_id._check_not_own()
        if "statement_id" in vals:
            # as the line will be: on a draft statement that is not the writer's own
            target = self.env["sales.commission.statement"].browse(vals["statement_id"])
            target._check_draft()
            target._check_not_own()
        if (
            self.filtered(lambda line: line.line_type != "adjustment")
            or vals.get("line_type", "adjustment") != "adjustment"
            or any(vals.get(name) for name in ENGINE_FIELDS)
        ):
            raise UserError(
                self.env._("Computed lines cannot be edited: add an adjustment instead.")
            )
        if "reason" in vals and not (vals["reason"] or "").strip():
            raise ValidationError(self.env._("An adjustment needs a reason."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_draft_only(self):
        self.statement_id._check_draft()
        self.statement_id._check_not_own()

    def action_open_document(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return form_action(self.res_model, self.res_id)
