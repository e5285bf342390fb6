from odoo import api, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.constrains("approval_link_hours")
    def _check_approval_link_hours(self):
        for company in self:
            if company.approval_link_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "Approval links must stay valid for at least one hour (%(company)s: "
                        "%(hours)s).",
                        company=company.name,
                        hours=company.approval_link_hours,
                    )
                )
