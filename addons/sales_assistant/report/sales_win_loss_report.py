from odoo import fields, models
from odoo.tools import SQL


class SalesWinLossReport(models.Model):
    """Win/loss analysis: every closed opportunity (won, lost, suspended, terminated)
    with its reason, the competitor that won, its salesperson and team, the stage it had
    reached and when it closed. Read through record rules like the leads: reps their
    own, team leaders their team's, managers all of their companies."""

    _name = "sales.win.loss.report"
    _description = "Win/Loss Analysis"
    _auto = False
    _rec_name = "lead_id"
    _order = "date_closed desc"
    # flushed before the view is read
    _depends = {
        "crm.lead": [
            "active",
            "type",
            "stage_id",
            "probability",
            "closing_state",
            "closing_stage_id",
            "won_reason_id",
            "lost_reason_id",
            "lost_competitor_id",
            "user_id",
            "team_id",
            "company_id",
            "partner_id",
            "date_closed",
            "expected_revenue",
        ],
        "crm.stage": ["is_won"],
        "res.company": ["currency_id"],
    }

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    outcome = fields.Selection(
        [
            ("won", "Won"),
            ("lost", "Lost"),
            ("terminated", "Terminated"),
            ("suspended", "Suspended"),
        ],
        readonly=True,
    )
    reason_id = fields.Many2one("crm.lost.reason", readonly=True)
    competitor_id = fields.Many2one("sales.competitor", string="Lost To", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Stage Reached", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    expected_revenue = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT l.id, l.id AS lead_id, c.outcome,
                   CASE WHEN c.outcome = 'won' THEN l.won_reason_id ELSE l.lost_reason_id END
                       AS reason_id,
                   l.lost_competitor_id AS competitor_id,
                   l.user_id, l.team_id, l.company_id, l.partner_id,
                   COALESCE(l.closing_stage_id, l.stage_id) AS stage_id,
                   COALESCE(l.date_closed, l.write_date) AS date_closed,
                   l.expected_revenue, co.currency_id,
                   (c.outcome = 'won')::int AS won_count,
                   (c.outcome IN ('lost', 'terminated'))::int AS lost_count
              FROM crm_lead l
              JOIN crm_stage s ON s.id = l.stage_id
         LEFT JOIN res_company co ON co.id = l.company_id
             CROSS JOIN LATERAL (
                   SELECT CASE
                       WHEN l.closing_state IS NOT NULL THEN l.closing_state
                       WHEN l.active AND s.is_won THEN 'won'
                       WHEN NOT l.active AND l.probability = 0 THEN 'lost'
                   END AS outcome
             ) c
             WHERE l.type = 'opportunity' AND c.outcome IS NOT NULL
            """
        )
