from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    # one settings file per workflow, as the project's parallel branches agreed
    _inherit = "res.config.settings"

    sales_assistant_digest_enabled = fields.Boolean(
        "Morning Digest",
        help="Send each salesperson their day by email and in Discuss every morning.",
    )
    sales_assistant_digest_hour = fields.Integer(
        "Digest Hour",
        config_parameter="sales_assistant.digest_hour",
        default=7,
        help="Local hour (0-23, in each person's timezone) from which the morning digest is sent.",
    )

    @api.constrains("sales_assistant_digest_hour")
    def _check_sales_assistant_digest_hour(self):
        for settings in self:
            if not 0 <= settings.sales_assistant_digest_hour <= 23:
                raise ValidationError(self.env._("The digest hour must be between 0 and 23."))

    @api.model
    def get_values(self):
        # stored as "True"/"False": a boolean config_parameter that is on by default could
        # not be switched off (Odoo deletes the parameter when it is unticked)
        res = super().get_values()
        res["sales_assistant_digest_enabled"] = self.env[
            "sales.assistant.digest"
        ]._digest_settings()[0]
        return res

    def set_values(self):
        res = super().set_values()
        self.env["ir.config_parameter"].sudo().set_param(
            "sales_assistant.digest_enabled", str(bool(self.sales_assistant_digest_enabled))
        )
        return res
