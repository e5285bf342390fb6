from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    satisfaction_survey_id = fields.Many2one(
        "survey.survey",
        help="The survey customers are invited to; empty: the Customer Satisfaction survey "
        "shipped with the assistant. Its first scale question gives the score.",
    )
    satisfaction_on_receipt = fields.Boolean(
        string="Survey After Receipt",
        default=True,
        help="Invite the customer to the survey once they confirm receipt of an order.",
    )
    satisfaction_on_complaint = fields.Boolean(
        string="Survey After a Complaint",
        default=True,
        help="Invite the customer to the survey once their complaint is closed.",
    )
    satisfaction_yearly = fields.Boolean(
        string="Yearly Survey",
        default=True,
        help="Once a year, invite the customers with an order confirmed in the last 12 months.",
    )
    return_visit_days = fields.Integer(
        string="Return Visit After (Days)",
        default=3,
        help="Days after a new customer's first order is confirmed, or a complaint is closed, "
        "by which the salesperson pays the return visit (回访).",
    )

    @api.constrains("return_visit_days")
    def _check_return_visit_days(self):
        if any(
            company.return_visit_days < 0 or company.return_visit_days > 365 for company in self
        ):
            raise ValidationError(self.env._("The return visit is due within 0 to 365 days."))
