from odoo import fields, models
from odoo.tools import SQL


class SalesTargetMetric(models.Model):
    """The "customer satisfaction" target metric (客户满意度): the average score (1 to 5) of
    the satisfaction surveys a salesperson's customers answered in the period, on the day
    of the answer in the company's time. Read from the answers the satisfaction analysis
    shows (``sales.satisfaction.report``), so that the target and that report agree."""

    _inherit = "sales.target.metric"

    metric_type = fields.Selection(
        selection_add=[("satisfaction", "Customer satisfaction (average score, 1 to 5)")],
        ondelete={"satisfaction": "cascade"},
    )

    def _is_rate_metric(self):
        return self.metric_type == "satisfaction" or super()._is_rate_metric()

    def _metric_sql_satisfaction(self, period):
        return SQL(
            """
            SELECT 'survey.user_input' AS res_model, r.id AS res_id,
                   p.name::varchar AS doc_name, r.user_id, r.team_id, r.company_id,
                   r.date AS day, r.score AS amount, 100.0 AS share, FALSE AS overlay,
                   NULL::varchar AS source_ref
              FROM (%(rows)s) r
         LEFT JOIN res_partner p ON p.id = r.partner_id
             WHERE r.answered AND r.company_id IN %(companies)s
               AND r.date >= %(start)s AND r.date < %(end)s
            """,
            rows=self.env["sales.satisfaction.report"]._table_query,
            **period.params,
        )
