"""A model of another addon joining the compliance engine: the two declarations of
``sales.compliance.mixin`` (inherit it, ``selection_add`` on the rule's ``model_name``)
and the hooks where it differs from the defaults."""

from odoo import api, fields, models


class SalesEngineTestDocument(models.Model):
    _name = "sales.engine.test.document"
    _description = "Engine Test Document"
    _inherit = ["mail.thread", "sales.compliance.mixin"]

    name = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    user_id = fields.Many2one("res.users", string="Salesperson", default=lambda self: self.env.user)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(currency_field="currency_id")

    # its rules fire on save only (the default ``_compliance_triggers``); its approval
    # levels pick on its amount, which its approvals bind
    _compliance_has_amount = True
    _compliance_amount_paths = ("amount",)
    _compliance_hash_trigger_fields = ("partner_id", "user_id", "company_id")

    def _compliance_approval_amount(self):
        self.ensure_one()
        return self.amount

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        documents._compliance_run_rules()
        return documents

    def write(self, vals):
        res = super().write(vals)
        if self._compliance_hash_changed(vals):
            self._compliance_void_stale_approvals()
        self._compliance_run_rules()
        return res


class SalesComplianceRule(models.Model):
    _inherit = "sales.compliance.rule"

    # the one declaration that makes the model one the rules (and so the violations,
    # approvals and reports) apply to
    model_name = fields.Selection(
        selection_add=[("sales.engine.test.document", "Engine Test Document")],
        ondelete={"sales.engine.test.document": "cascade"},
    )
