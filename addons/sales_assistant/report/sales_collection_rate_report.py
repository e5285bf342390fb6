from datetime import date

from odoo import fields, models
from odoo.tools import SQL

RATE = "collection_rate"


class SalesCollectionRateReport(models.Model):
    """Collection rate (回款率) per salesperson and period: collected over what fell due.

    What fell due is the installments due in the period, net of credit notes. What was
    collected is ``sales_targets``' collected-cash metric, read through its own SQL
    (``sales.target.metric._source_sql``), so a target on collected cash and this report
    always give the same figure for the same rep and period. Amounts in company currency.
    """

    _name = "sales.collection.rate.report"
    _description = "Collection Rate Analysis"
    _auto = False
    _order = "date desc, id"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    contract_id = fields.Many2one(
        "sales.contract",
        readonly=True,
        help="The contract of the orders (its first version); a payment counts for it when "
        "every order of its invoice is under that contract.",
    )
    date = fields.Date(readonly=True, help="Due date of the installments, date of the payments.")
    amount_due = fields.Monetary(string="Fallen Due", readonly=True)
    amount_collected = fields.Monetary(string="Collected", readonly=True)
    collection_rate = fields.Float(
        string="Collection Rate (%)",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Collected over fallen due, of the whole group (not an average of rates).",
    )

    @property
    def _table_query(self):
        companies = self.env["res.company"].sudo().search([("active", "=", True)])
        metric = self.env["sales.target.metric"].sudo().search(
            [("metric_type", "=", "collected")], limit=1
        ) or self.env["sales.target.metric"].sudo().new({"metric_type": "collected"})
        collected = metric._source_sql(date(1900, 1, 1), date(2999, 12, 31), companies)
        return SQL(
            """
            SELECT ROW_NUMBER() OVER () AS id, src.user_id, src.team_id, src.company_id,
                   c.currency_id, src.contract_id, src.date, src.amount_due, src.amount_collected,
                   CASE WHEN src.amount_due > 0
                        THEN 100.0 * src.amount_collected / src.amount_due END
                       AS collection_rate
              FROM (
                    SELECT i.user_id, i.team_id, i.company_id, sc.root_id AS contract_id,
                           i.date_due AS date,
                           (i.amount - i.amount_credited)
                               / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS amount_due,
                           0.0 AS amount_collected
                      FROM sales_collection_installment i
                      JOIN sale_order so ON so.id = i.order_id AND so.state = 'sale'
                 LEFT JOIN sales_contract sc ON sc.id = so.contract_id
                 UNION ALL
                    SELECT metric.user_id, metric.team_id, metric.company_id,
                           move_contract.root_id, metric.day, 0.0, metric.amount
                      FROM (%s) metric
                 LEFT JOIN (
                        SELECT aml.move_id, MIN(sc.root_id) AS root_id
                          FROM account_move_line aml
                          JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                          JOIN sale_order_line sol ON sol.id = rel.order_line_id
                          JOIN sale_order so ON so.id = sol.order_id
                     LEFT JOIN sales_contract sc ON sc.id = so.contract_id
                      GROUP BY aml.move_id
                        HAVING COUNT(DISTINCT sc.root_id) = 1 AND COUNT(*) = COUNT(sc.root_id)
                      ) move_contract
                        ON metric.res_model = 'account.move'
                       AND move_contract.move_id = metric.res_id
              ) src
              JOIN res_company c ON c.id = src.company_id
            """,
            collected,
        )

    def _read_group_select(self, aggregate_spec, query):
        """The rate of a group is its collected over its due, not a sum or mean of rates."""
        if aggregate_spec.split(":")[0] == RATE:
            due = self._read_group_select("amount_due:sum", query)
            collected = self._read_group_select("amount_collected:sum", query)
            return SQL("(100.0 * %s / NULLIF(%s, 0))", collected, due)
        return super()._read_group_select(aggregate_spec, query)
