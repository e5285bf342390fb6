"""A check of another addon, with a parameter: its selection value, its evaluator, its
field on the rule, its constraint and its view (views/sales_compliance_rule_views.xml)."""

from odoo import api, fields, models
from odoo.addons.sales_compliance.models.sales_compliance_rule import compliance_check
from odoo.exceptions import ValidationError


class SalesComplianceRuleEngineTest(models.Model):
    _inherit = "sales.compliance.rule"

    check = fields.Selection(
        selection_add=[("document_ceiling", "Document amount above the ceiling")],
        ondelete={"document_ceiling": "set null"},
    )
    document_ceiling = fields.Float(help="Document ceiling check: the highest amount allowed.")

    @api.constrains("document_ceiling")
    def _check_document_ceiling(self):
        for rule in self:
            if rule.document_ceiling < 0:
                raise ValidationError(
                    self.env._("Rule %s: the document ceiling cannot be negative.", rule.name)
                )

    @compliance_check(
        models=("sales.engine.test.document",),
        measured=True,
        reads={"sales.engine.test.document": ("amount",)},
    )
    def _compliance_check_document_ceiling(self, documents):
        return {
            document.id: (document.amount, self.document_ceiling, {"amount": document.amount})
            for document in documents
            if document.amount > self.document_ceiling
        }
