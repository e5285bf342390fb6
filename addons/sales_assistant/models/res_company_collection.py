from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    collection_finance_user_id = fields.Many2one(
        "res.users",
        string="Finance Contact for Collections",
        help="Gets an activity, with the team leader, when a reminder level escalates.",
    )
    collection_promise_horizon_days = fields.Integer(
        string="Promise Horizon (Days)",
        default=30,
        help="A promise to pay dated further ahead than this waits for the team leader's "
        "approval, and holds no reminder meanwhile.",
    )

    @api.constrains("collection_promise_horizon_days")
    def _check_collection_promise_horizon_days(self):
        if any(company.collection_promise_horizon_days < 0 for company in self):
            raise ValidationError(self.env._("The promise horizon is a number of days, 0 or more."))
