from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    work_report_hour = fields.Float(
        string="Day's Report Due At",
        default=18.0,
        help="The hour, in the company's timezone, by which a salesperson submits the day's "
        "report; after it, a report still to submit is late, and missing once the cron runs.",
    )

    @api.constrains("work_report_hour")
    def _check_work_report_hour(self):
        if any(not 0 <= company.work_report_hour < 24 for company in self):
            raise ValidationError(
                self.env._("The day's report is due at an hour between 00:00 and 23:59.")
            )
