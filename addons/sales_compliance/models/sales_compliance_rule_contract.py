"""Built-in check of the contract terms: order fields that must be filled."""

from odoo import fields, models

from .sales_compliance_rule import compliance_check

DEFAULT_CONTRACT_FIELDS = ("commitment_date", "payment_term_id", "client_order_ref")


class SalesComplianceRuleContract(models.Model):
    # one file per family of checks, on purpose (see sales_compliance_rule.py)
    _inherit = "sales.compliance.rule"

    check = fields.Selection(
        selection_add=[
            ("contract_terms", "Missing contract terms"),
        ],
        ondelete={"contract_terms": "set null"},
    )
    # Parameter of the check (form: sales_compliance_rule_contract_views.xml)
    required_field_ids = fields.Many2many(
        "ir.model.fields",
        string="Required Fields",
        domain="[('model', '=', 'sale.order'), ('store', '=', True)]",
        help="Contract terms check: order fields that must be filled. Empty: delivery "
        "date, payment terms and customer reference.",
    )

    @compliance_check()
    def _compliance_check_contract_terms(self, orders):
        names = self.required_field_ids.mapped("name") or list(DEFAULT_CONTRACT_FIELDS)
        result = {}
        for order in orders:
            missing = [name for name in names if name in order._fields and not order[name]]
            if missing:
                result[order.id] = (len(missing), 0, {"missing": missing})
        return result
