from odoo import fields, models, tools
from odoo.tools import SQL


class SalesForecastReport(models.Model):
    """Forecast against target and actual, per salesperson, team and month.

    Rows come from three sources: the weighted pipeline of open opportunities, the monthly
    revenue targets (with their computed actual) and the recorded commitments.
    """

    _name = "sales.forecast.report"
    _description = "Sales Forecast Analysis"
    _auto = False
    _order = "date desc"

    source = fields.Selection(
        [("pipeline", "Pipeline"), ("target", "Target"), ("commit", "Commitment")],
        readonly=True,
    )
    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    expected_revenue = fields.Float(readonly=True)
    weighted_revenue = fields.Float("Weighted Pipeline", readonly=True)
    target_value = fields.Float("Target", readonly=True)
    actual = fields.Float(readonly=True)
    commit_amount = fields.Float("Commit", readonly=True)
    best_case_amount = fields.Float("Best Case", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        pipeline = self.env["crm.lead"]._pipeline_sql()
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT row_number() OVER () AS id, u.* FROM (
                        SELECT 'pipeline' AS source, p.day AS date, p.user_id, p.team_id,
                               p.company_id, p.lead_id, l.stage_id,
                               p.expected AS expected_revenue, p.weighted AS weighted_revenue,
                               0.0 AS target_value, 0.0 AS actual, 0.0 AS commit_amount,
                               0.0 AS best_case_amount
                          FROM (%(pipeline)s) p
                          JOIN crm_lead l ON l.id = p.lead_id
                     UNION ALL
                        SELECT 'target', t.date_from, t.user_id, t.team_id, t.company_id,
                               NULL, NULL, 0.0, 0.0, t.target_value, t.actual, 0.0, 0.0
                          FROM sales_target t
                          JOIN sales_target_metric m ON m.id = t.metric_id
                         WHERE m.metric_type = 'revenue' AND t.period_type = 'month'
                           AND t.assignee_type = 'user'
                     UNION ALL
                        SELECT 'commit', c.date_from, c.user_id, c.team_id, c.company_id,
                               NULL, NULL, 0.0, 0.0, 0.0, 0.0, c.final_commit, c.final_best_case
                          FROM sales_forecast_commit c
                    ) u
                )
                """,
                table=SQL.identifier(self._table),
                pipeline=pipeline,
            )
        )
