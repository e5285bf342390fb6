from odoo import fields, models
from odoo.tools import SQL


class SalesTargetMetric(models.Model):
    """The "compliance rate" target metric (制度遵守情况): the share of a salesperson's
    confirmed orders of the period that passed every compliance check.

    A metric type added from outside the targets engine: the selection and one reader,
    ``_metric_sql_compliance_rate``. Whether an order is compliant is read from the compliance
    rate report of sales_compliance (no violation on it), so that the target and that report
    always agree. Orders count on their order date in the company's time, as sales do.
    """

    _inherit = "sales.target.metric"

    metric_type = fields.Selection(
        selection_add=[("compliance_rate", "Compliance rate of confirmed orders (%)")],
        ondelete={"compliance_rate": "cascade"},
    )

    def _is_rate_metric(self):
        return self.metric_type == "compliance_rate" or super()._is_rate_metric()

    def _metric_sql_compliance_rate(self, period):
        return SQL(
            """
            SELECT 'sale.order' AS res_model, so.id AS res_id, so.name AS doc_name,
                   so.user_id, so.team_id, so.company_id, %(day)s AS day,
                   COALESCE(rate.compliance_rate, 100.0) AS amount, 100.0 AS share,
                   FALSE AS overlay, NULL::varchar AS source_ref
              FROM sale_order so
         LEFT JOIN sales_compliance_rate_report rate
                ON rate.res_model = 'sale.order' AND rate.res_id = so.id
             WHERE so.state = 'sale' AND so.company_id IN %(companies)s
               AND so.date_order >= %(start_utc)s AND so.date_order < %(end_utc)s
            """,
            **period.params,
            day=period.local_day(SQL("so.date_order")),
        )
