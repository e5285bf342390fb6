from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesComplianceRule(models.Model):
    """Sales contracts join the compliance engine: their review rules (法务审核, 总经理审批,
    财务审核) fire when a version is submitted for review."""

    _inherit = "sales.compliance.rule"

    model_name = fields.Selection(
        selection_add=[("sales.contract", "Sales Contract")],
        ondelete={"sales.contract": "cascade"},
    )
    trigger = fields.Selection(
        selection_add=[("review", "On submission for review (contracts)")],
        ondelete={"review": "cascade"},
    )

    @api.constrains("model_name", "trigger")
    def _check_contract_trigger(self):
        for rule in self:
            if (rule.model_name == "sales.contract") != (rule.trigger == "review"):
                raise ValidationError(
                    self.env._(
                        "Rule %s: contract rules fire on submission for review, and only "
                        "contract rules do.",
                        rule.name,
                    )
                )


def _keep_violations(violations):
    violations._refile_under_trigger("save")


class SalesComplianceViolation(models.Model):
    _inherit = "sales.compliance.violation"

    # the log outlives the trigger: at uninstall its violations read "on save"
    trigger = fields.Selection(
        selection_add=[("review", "On submission for review (contracts)")],
        ondelete={"review": _keep_violations},
    )
