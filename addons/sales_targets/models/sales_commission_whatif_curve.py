from odoo import fields, models


class SalesCommissionWhatifCurve(models.Model):
    """A point of a what-if's payout curve: what a column pays at an attainment of the
    reference target. Written by the replay only."""

    _name = "sales.commission.whatif.curve"
    _description = "Commission What-if Payout Curve"
    _order = "whatif_id, column_sequence, attainment"

    whatif_id = fields.Many2one(
        "sales.commission.whatif", string="What-if", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="whatif_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    column_label = fields.Char("Column", required=True)
    column_sequence = fields.Integer(aggregator=False)
    scenario_id = fields.Many2one("sales.commission.scheme")
    attainment = fields.Integer("Attainment (%)", aggregator=False)
    payout = fields.Monetary(help="The commission at this attainment of the reference target.")
