from odoo import fields, models

from ..models.sales_commission_scheme_adoption import first_of_next_month


class SalesCommissionAdoption(models.TransientModel):
    """Asks from which day a scenario pays once adopted, and submits it."""

    _name = "sales.commission.adoption"
    _description = "Submit a Commission Scenario for Adoption"

    scheme_id = fields.Many2one(
        "sales.commission.scheme", string="Scenario", required=True, ondelete="cascade"
    )
    date = fields.Date(
        "Pays From",
        required=True,
        default=lambda self: first_of_next_month(self.env.company),
        help="The first day of a statement period: statements from that day on pay with the "
        "scenario once it is adopted; confirmed statements never change.",
    )

    def action_submit(self):
        self.ensure_one()
        self.scheme_id._submit_adoption(self.date)
        return {"type": "ir.actions.act_window_close"}
