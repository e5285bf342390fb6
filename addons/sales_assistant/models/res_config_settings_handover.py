from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_closing_summary_required = fields.Boolean(
        string="Closing Summary Required",
        config_parameter="sales_assistant.closing_summary_required",
        help="An opportunity is won or lost only with its summary: the reason, the "
        "competitor that won (lost to a competitor) and the lesson learned.",
    )
    sales_reactivation_approval = fields.Boolean(
        string="Approve Reactivations",
        compute="_compute_sales_reactivation_approval",
        inverse="_inverse_sales_reactivation_approval",
        help="A suspended opportunity comes back into the pipeline once its team leader "
        "approves (the compliance rule “Reactivating a suspended opportunity”).",
    )
    sales_handover_joint_visit_probability = fields.Float(
        string="Joint Visit From (%)",
        config_parameter="sales_assistant.handover_joint_visit_probability",
        default=70.0,
        help="In a hand-over, opportunities at or above this probability are flagged for a "
        "visit by both salespeople.",
    )

    def _sales_reactivation_rule(self):
        return (
            self.env.ref("sales_assistant.rule_reactivate_approval", raise_if_not_found=False)
            .sudo()
            .with_context(active_test=False)
        )

    @api.depends("company_id")
    def _compute_sales_reactivation_approval(self):
        rule = self._sales_reactivation_rule()
        for settings in self:
            settings.sales_reactivation_approval = bool(rule and rule.active)

    def _inverse_sales_reactivation_approval(self):
        rule = self._sales_reactivation_rule()
        for settings in self:
            if rule and rule.active != settings.sales_reactivation_approval:
                rule.active = settings.sales_reactivation_approval

    @api.constrains("sales_handover_joint_visit_probability")
    def _check_sales_handover_joint_visit_probability(self):
        for settings in self:
            if not 0 <= settings.sales_handover_joint_visit_probability <= 100:
                raise ValidationError(
                    self.env._("The joint visit probability is between 0 and 100%.")
                )
