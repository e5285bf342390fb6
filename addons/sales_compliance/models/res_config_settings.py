from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    compliance_claim_cap = fields.Integer(
        string="Customers per Salesperson",
        config_parameter="sales_compliance.claim_cap",
        default=0,
        help="Most customers a salesperson may own. 0: no cap.",
    )
    compliance_protection_days = fields.Integer(
        string="Protection Days",
        config_parameter="sales_compliance.protection_days",
        default=30,
        help="Days a claimed customer stays protected for its owner.",
    )
    compliance_release_days = fields.Integer(
        string="Release After (days)",
        config_parameter="sales_compliance.release_days",
        default=90,
        help="Customers without follow-up (activity, lead or order) for this many days go "
        "back to the public pool. 0: never.",
    )
    compliance_release_notice_days = fields.Integer(
        string="Notice Before Release (days)",
        config_parameter="sales_compliance.release_notice_days",
        default=7,
        help="The owner is told this many days before a customer without follow-up goes "
        "back to the pool (once per period without follow-up). 0: no notice.",
    )
    compliance_reclaim_cooldown_days = fields.Integer(
        string="Re-claim Cooldown (days)",
        config_parameter="sales_compliance.reclaim_cooldown_days",
        default=30,
        help="A salesperson cannot claim back a customer released from them (by "
        "themselves or for lack of follow-up) before this many days. 0: at once.",
    )
    compliance_release_batch_size = fields.Integer(
        string="Release Batch Size",
        config_parameter="sales_compliance.release_batch_size",
        default=500,
    )
    compliance_default_discount_ceiling = fields.Float(
        string="Default Discount Ceiling (%)",
        config_parameter="sales_compliance.default_discount_ceiling",
        default=0.0,
        help="Ceiling of users no discount ceiling applies to.",
    )

    @api.constrains(
        "compliance_claim_cap",
        "compliance_protection_days",
        "compliance_release_days",
        "compliance_release_batch_size",
        "compliance_release_notice_days",
        "compliance_reclaim_cooldown_days",
        "compliance_default_discount_ceiling",
    )
    def _check_compliance_settings(self):
        for settings in self:
            if (
                min(
                    settings.compliance_claim_cap,
                    settings.compliance_protection_days,
                    settings.compliance_release_days,
                    settings.compliance_release_batch_size,
                    settings.compliance_release_notice_days,
                    settings.compliance_reclaim_cooldown_days,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._("Compliance limits and day counts cannot be negative.")
                )
            if (
                settings.compliance_release_days
                and settings.compliance_release_notice_days >= settings.compliance_release_days
            ):
                raise ValidationError(
                    self.env._(
                        "The release notice must come before the release: give fewer "
                        "notice days than release days."
                    )
                )
            if not 0 <= settings.compliance_default_discount_ceiling <= 100:
                raise ValidationError(
                    self.env._("A discount ceiling must be between 0%% and 100%%.")
                )
