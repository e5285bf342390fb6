from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesCommissionAssignment(models.Model):
    _name = "sales.commission.assignment"
    _description = "Commission Scheme Assignment"

    scheme_id = fields.Many2one("sales.commission.scheme", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="scheme_id.company_id", store=True)
    user_id = fields.Many2one("res.users", string="Salesperson")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    date_from = fields.Date("Valid From")
    date_to = fields.Date("Valid To")

    @api.constrains("user_id", "team_id", "date_from", "date_to")
    def _check_assignee(self):
        for assignment in self:
            if bool(assignment.user_id) == bool(assignment.team_id):
                raise ValidationError(
                    self.env._("Assign a commission scheme to a salesperson or to a team.")
                )
            if (
                assignment.date_from
                and assignment.date_to
                and assignment.date_from > assignment.date_to
            ):
                raise ValidationError(self.env._("An assignment must end after it starts."))
