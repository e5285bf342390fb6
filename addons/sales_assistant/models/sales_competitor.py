from odoo import fields, models


class SalesCompetitor(models.Model):
    """A competitor that wins deals against us (竞争对手), for the summary of lost
    opportunities and the win/loss analysis."""

    _name = "sales.competitor"
    _description = "Competitor"
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    website = fields.Char()
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the competitor between companies."
    )
    note = fields.Text(string="Strengths and Weaknesses")
    lost_lead_count = fields.Integer(string="Deals Lost", compute="_compute_lost_lead_count")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "This competitor already exists."),
    ]

    def _compute_lost_lead_count(self):
        groups = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [("lost_competitor_id", "in", self.ids)], ["lost_competitor_id"], ["__count"]
            )
        )
        counts = {competitor.id: count for competitor, count in groups}
        for competitor in self:
            competitor.lost_lead_count = counts.get(competitor.id, 0)
