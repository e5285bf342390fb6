from odoo import fields, models


class SalesCommissionWhatifLine(models.Model):
    """One rep in one column of a what-if: what the actual version or a scenario pays them
    over the replayed periods, next to what they were actually paid. Written by the replay
    (``sales.commission.whatif._replay``) only: managers and finance read them."""

    _name = "sales.commission.whatif.line"
    _description = "Commission What-if Result"
    _order = "whatif_id, user_id, column_sequence, id"

    whatif_id = fields.Many2one(
        "sales.commission.whatif", string="What-if", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="whatif_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Salesperson", required=True)
    team_id = fields.Many2one("crm.team", string="Sales Team")
    column_label = fields.Char("Column", required=True)
    column_sequence = fields.Integer(aggregator=False)
    scenario_id = fields.Many2one("sales.commission.scheme", help="Empty: what was actually paid.")
    revenue = fields.Monetary(help="The rep's revenue in the replayed periods (credit split).")
    margin = fields.Monetary("Gross Margin")
    base_amount = fields.Monetary("Base", help="What the column's terms pay on.")
    target_value = fields.Monetary("Target")
    attainment_pct = fields.Float("Attainment (%)", aggregator="avg")
    tier_name = fields.Char("Tier Reached", help="The highest tier reached in a replayed period.")
    amount = fields.Monetary("Commission", help="Clawbacks of the periods included.")
    clawback_amount = fields.Monetary("Clawbacks")
    actual_amount = fields.Monetary(
        "Actually Paid",
        help="The confirmed or paid statements' total, else what the version valid then pays.",
    )
    difference = fields.Monetary()
    difference_pct = fields.Float("Difference (%)", aggregator=False)
    outcome = fields.Selection(
        [("gains", "Gains"), ("loses", "Loses"), ("same", "Same")],
        help="Whether the rep gains or loses in this column, against what was paid.",
    )
    cost_pct = fields.Float("Cost of Sales (%)", aggregator=False, help="Commission over revenue.")
    margin_cost_pct = fields.Float(
        "Of Gross Margin (%)", aggregator=False, help="Commission over gross margin."
    )
