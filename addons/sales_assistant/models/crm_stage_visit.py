from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmStage(models.Model):
    _inherit = "crm.stage"

    visit_frequency = fields.Integer(
        "Visits per Week",
        help="How many customer visits an opportunity in this stage needs each week (for "
        "example: potential 1, bidding 2, negotiation 3). 0 sets no cadence: its opportunities "
        "are never flagged as behind on visits.",
    )

    @api.constrains("visit_frequency")
    def _check_visit_frequency(self):
        for stage in self:
            if stage.visit_frequency < 0:
                raise ValidationError(
                    self.env._("The visit frequency of stage %s cannot be below zero.", stage.name)
                )
