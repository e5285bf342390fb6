from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    contract_renewal_days = fields.Integer(
        string="Contract Renewal (Days)",
        default=30,
        help="This many days before a contract in force ends, its salesperson gets an activity "
        "to renew it and My day lists it.",
    )

    @api.constrains("contract_renewal_days")
    def _check_contract_renewal_days(self):
        if any(company.contract_renewal_days < 0 for company in self):
            raise ValidationError(
                self.env._("The contract renewal notice is a number of days, 0 or more.")
            )
