from odoo import fields, models
from odoo.tools import SQL


class SalesTargetMetric(models.Model):
    """The "report discipline" target metric (日报提交率): the share of a salesperson's
    working days of the period with a daily report submitted on time.

    A rate metric added through the metric extension point, like the compliance rate
    (制度遵守情况) it sits beside on a scorecard. Each daily person report of a working day
    (Monday to Friday) whose discipline is decided counts once, on its day (already the
    company's day): 100 when submitted on time, 0 when late or missing. Every working day has
    its report (the preparing cron makes one per rep and day, and marks it missing when its
    deadline passes), so a day without a report on time lowers the rate; a report still
    pending (its deadline to come) does not count yet.
    """

    _inherit = "sales.target.metric"

    metric_type = fields.Selection(
        selection_add=[("report_discipline", "Report discipline")],
        ondelete={"report_discipline": "cascade"},
    )

    def _is_rate_metric(self):
        return self.metric_type == "report_discipline" or super()._is_rate_metric()

    def _metric_sql_report_discipline(self, period):
        return SQL(
            """
            SELECT 'sales.work.report' AS res_model, r.id AS res_id, r.name AS doc_name,
                   r.user_id, r.team_id, r.company_id, r.date_from AS day,
                   CASE WHEN r.discipline = 'on_time' THEN 100.0 ELSE 0.0 END AS amount,
                   100.0 AS share, FALSE AS overlay, NULL::varchar AS source_ref
              FROM sales_work_report r
             WHERE r.period = 'day' AND r.scope = 'person'
               AND r.discipline IN ('on_time', 'late', 'missing')
               AND EXTRACT(ISODOW FROM r.date_from) < 6
               AND r.company_id IN %(companies)s
               AND r.date_from >= %(start)s AND r.date_from < %(end)s
            """,
            **period.params,
        )
