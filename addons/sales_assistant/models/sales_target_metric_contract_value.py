from odoo import fields, models
from odoo.tools import SQL


class SalesTargetMetric(models.Model):
    """The "signed contract value" target metric (合同额).

    Each signed version counts once, on its signed date (a date: already the company's day),
    at its amount in company currency minus that of the version it replaced: a new contract
    counts its amount, a change only its difference, so that a contract's total is the amount
    of its version in force. A termination counts nothing. Credited to the version's
    salesperson and team.
    """

    _inherit = "sales.target.metric"

    metric_type = fields.Selection(
        selection_add=[("contract_value", "Signed contract value")],
        ondelete={"contract_value": "cascade"},
    )

    def _metric_sql_contract_value(self, period):
        return SQL(
            """
            SELECT 'sales.contract' AS res_model, c.id AS res_id, c.name AS doc_name,
                   c.user_id, c.team_id, c.company_id, c.date_signed AS day,
                   COALESCE(c.amount_company, 0)
                       - COALESCE(previous.amount_company, 0) AS amount,
                   100.0 AS share, FALSE AS overlay, NULL::varchar AS source_ref
              FROM sales_contract c
         LEFT JOIN sales_contract previous ON previous.id = c.previous_id
             WHERE c.date_signed IS NOT NULL AND c.change_kind != 'termination'
               AND c.state != 'cancelled' AND c.company_id IN %(companies)s
               AND c.date_signed >= %(start)s AND c.date_signed < %(end)s
            """,
            **period.params,
        )
