"""Checks another addon would add, as fake models (``odoo_test_helper.FakeModelLoader``):
imported by the tests that load them, never by the addon."""

from odoo import fields, models

from ..models.sales_compliance_rule import compliance_check


class SalesComplianceRuleFakeChecks(models.Model):
    _inherit = "sales.compliance.rule"

    check = fields.Selection(
        selection_add=[
            ("message", "Too many lines"),
            ("orphan", "Orphan check"),
            ("picking", "Picking late"),
        ],
        ondelete={"message": "set null", "orphan": "set null", "picking": "set null"},
    )

    # a check keyed like the constraint ``_check_message``
    @compliance_check(models=("sale.order", "crm.lead"), measured=True)
    def _compliance_check_message(self, records):
        return {
            record.id: (len(record.order_line), 2, {"lines": len(record.order_line)})
            for record in records
            if len(record.order_line) > 2
        }

    # "orphan" has no evaluator

    # a check declaring a model that did not join the engine
    @compliance_check(models=("stock.picking",))
    def _compliance_check_picking(self, records):
        return {}
