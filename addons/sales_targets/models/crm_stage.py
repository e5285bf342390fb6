from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    forecast_probability = fields.Float(
        "Forecast Probability (%)",
        help="Chance that an opportunity in this stage is won, used by the weighted pipeline. "
        "Leave 0 to use each opportunity's own probability.",
    )
    forecast_months_to_close = fields.Integer(
        "Average Months to Close", help="Typical time from this stage to the signed contract."
    )
