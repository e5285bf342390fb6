from dateutil.relativedelta import relativedelta

from odoo import fields, models


def _last_month_start(wizard):
    return wizard.env.company._sales_today().replace(day=1) - relativedelta(months=1)


class SalesCommissionGenerate(models.TransientModel):
    _name = "sales.commission.generate"
    _description = "Compute Commission Statements"

    date_from = fields.Date(required=True, default=_last_month_start)
    date_to = fields.Date(
        required=True,
        default=lambda self: self.env.company._sales_today().replace(day=1) - relativedelta(days=1),
    )

    def action_generate(self):
        self.ensure_one()
        statements = self.env["sales.commission.statement"]._generate_statements(
            self.date_from, self.date_to
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.commission.statement",
            "view_mode": "list,form",
            "name": self.env._("Commission Statements"),
            "domain": [("id", "in", statements.ids)],
        }
