from odoo import api, fields, models
from odoo.exceptions import ValidationError

REACTIVATE = [("reactivate", "On reactivating a suspended opportunity (leads)")]


class SalesComplianceRule(models.Model):
    """A trigger of sales_compliance's rules for the reactivation of a suspended
    opportunity: its approvals (levels, approvers, voiding) are the engine's own."""

    _inherit = "sales.compliance.rule"

    trigger = fields.Selection(selection_add=REACTIVATE, ondelete={"reactivate": "cascade"})

    @api.constrains("model_name", "trigger")
    def _check_reactivate_model(self):
        for rule in self:
            if rule.trigger == "reactivate" and rule.model_name != "crm.lead":
                raise ValidationError(
                    self.env._(
                        "Rule %s: only lead rules can fire on the reactivation of an opportunity.",
                        rule.name,
                    )
                )


def _keep_violations(violations):
    violations._refile_under_trigger("stage")


class SalesComplianceViolation(models.Model):
    _inherit = "sales.compliance.violation"

    # the log outlives the trigger: at uninstall its violations read "on stage change"
    # (in SQL: the violations themselves refuse any change but a decision)
    trigger = fields.Selection(selection_add=REACTIVATE, ondelete={"reactivate": _keep_violations})
