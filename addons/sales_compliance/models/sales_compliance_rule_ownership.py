"""Built-in check of customer ownership: a document for a customer another
salesperson owns (and protects)."""

from odoo import fields, models

from .sales_compliance_rule import compliance_check


class SalesComplianceRuleOwnership(models.Model):
    # one file per family of checks, on purpose (see sales_compliance_rule.py)
    _inherit = "sales.compliance.rule"

    check = fields.Selection(
        selection_add=[
            ("ownership", "Customer owned by another salesperson"),
        ],
        ondelete={"ownership": "set null"},
    )

    @compliance_check(
        models=("sale.order", "crm.lead"),
        reads=dict.fromkeys(
            ("sale.order", "crm.lead"),
            (
                "user_id",
                "partner_id.commercial_partner_id.user_id",
                "partner_id.commercial_partner_id.compliance_protection_end",
            ),
        ),
    )
    def _compliance_check_ownership(self, records):
        result = {}
        for record in records:
            today = record.company_id._sales_today()
            partner = record.partner_id.commercial_partner_id
            owner = partner.user_id
            salesperson = record.user_id or self.env.user
            if not owner or owner == salesperson:
                continue
            end = partner.compliance_protection_end
            if end and end < today:
                continue
            result[record.id] = (
                0,
                0,
                {"partner": partner.id, "owner": owner.id, "salesperson": salesperson.id},
            )
        return result
