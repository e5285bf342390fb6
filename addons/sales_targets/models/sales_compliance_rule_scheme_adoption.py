from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesComplianceRule(models.Model):
    """Commission schemes join the compliance engine: their adoption rules fire when a
    scenario is submitted for adoption (sales_commission_scheme_adoption.py)."""

    _inherit = "sales.compliance.rule"

    model_name = fields.Selection(
        selection_add=[("sales.commission.scheme", "Commission Scheme")],
        ondelete={"sales.commission.scheme": "cascade"},
    )
    trigger = fields.Selection(
        selection_add=[("adopt", "On submission for adoption (commission scenarios)")],
        ondelete={"adopt": "cascade"},
    )

    @api.constrains("model_name", "trigger")
    def _check_adopt_trigger(self):
        for rule in self:
            if (rule.model_name == "sales.commission.scheme") != (rule.trigger == "adopt"):
                raise ValidationError(
                    self.env._(
                        "Rule %s: commission scheme rules fire on submission for adoption, and "
                        "only commission scheme rules do.",
                        rule.name,
                    )
                )


def _keep_violations(violations):
    violations._refile_under_trigger("save")


class SalesComplianceViolation(models.Model):
    _inherit = "sales.compliance.violation"

    # the log outlives the trigger: at uninstall its violations read "on save"
    trigger = fields.Selection(
        selection_add=[("adopt", "On submission for adoption (commission scenarios)")],
        ondelete={"adopt": _keep_violations},
    )
