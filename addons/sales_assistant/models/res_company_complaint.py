from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_complaint import SLA_FIELDS


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_sla_critical_hours = fields.Integer(
        string="Critical Complaints (Hours)",
        default=4,
        help="A critical complaint is due this many hours after it is filed.",
    )
    complaint_sla_high_hours = fields.Integer(
        string="High Complaints (Hours)",
        default=24,
        help="A complaint of high severity is due this many hours after it is filed.",
    )
    complaint_sla_normal_hours = fields.Integer(
        string="Normal Complaints (Hours)",
        default=72,
        help="A complaint of normal severity is due this many hours after it is filed.",
    )
    complaint_sla_low_hours = fields.Integer(
        string="Low Complaints (Hours)",
        default=120,
        help="A complaint of low severity is due this many hours after it is filed.",
    )
    complaint_owner_id = fields.Many2one(
        "res.users",
        string="Default Complaint Owner",
        help="Handles the complaints of teams without a sales desk of their own.",
    )

    @api.constrains(*SLA_FIELDS.values())
    def _check_complaint_sla(self):
        for company in self:
            if any(company[name] <= 0 for name in SLA_FIELDS.values()):
                raise ValidationError(
                    self.env._("The service level of a complaint is a number of hours above 0.")
                )
