from odoo import api, fields, models
from odoo.tools import SQL

AGE_BUCKETS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]


class SalesCollectionOverdueReport(models.Model):
    """What customers still owe, by installment, aged in days past the due date.

    The age counts from each company's today (its timezone), so the query is built when read
    (``_table_query``) rather than frozen in a view. Amounts are in the company's currency.
    """

    _name = "sales.collection.overdue.report"
    _description = "Overdue Collection Analysis"
    _auto = False
    _rec_name = "order_id"
    _order = "days_overdue desc, id"

    installment_id = fields.Many2one("sales.collection.installment", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    contract_id = fields.Many2one(
        "sales.contract", readonly=True, help="The contract (its first version)."
    )
    date_due = fields.Date(string="Due Date", readonly=True)
    method = fields.Selection(
        selection=lambda self: (
            self.env["sales.collection.installment"]
            ._fields["method"]
            ._description_selection(self.env)
        ),
        string="Payment Method",
        readonly=True,
    )
    state = fields.Selection(
        selection=lambda self: (
            self.env["sales.collection.installment"]
            ._fields["state"]
            ._description_selection(self.env)
        ),
        readonly=True,
    )
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    amount = fields.Monetary(string="Planned", readonly=True)
    amount_paid = fields.Monetary(string="Collected", readonly=True)
    amount_residual = fields.Monetary(string="Still Due", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)

    @property
    def _table_query(self):
        companies = self.env["res.company"].sudo().search([("active", "=", True)])
        today = self.env["sales.collection.plan"]._collection_today(companies)
        rate = SQL("COALESCE(NULLIF(so.currency_rate, 0), 1.0)")
        return SQL(
            """
            SELECT i.id, i.id AS installment_id, i.order_id, i.commercial_partner_id AS partner_id,
                   i.user_id, i.team_id, i.company_id, c.currency_id, sc.root_id AS contract_id,
                   i.date_due, i.method,
                   i.state,
                   CASE WHEN t.today - i.date_due <= 0 THEN 'not_due'
                        WHEN t.today - i.date_due <= 30 THEN '1_30'
                        WHEN t.today - i.date_due <= 60 THEN '31_60'
                        WHEN t.today - i.date_due <= 90 THEN '61_90'
                        ELSE 'over_90' END AS age_bucket,
                   GREATEST(t.today - i.date_due, 0) AS days_overdue,
                   (i.amount - i.amount_credited) / %(rate)s AS amount,
                   i.amount_paid / %(rate)s AS amount_paid,
                   i.amount_residual / %(rate)s AS amount_residual,
                   CASE WHEN i.date_due < t.today THEN i.amount_residual / %(rate)s ELSE 0 END
                       AS amount_overdue
              FROM sales_collection_installment i
              JOIN sale_order so ON so.id = i.order_id
         LEFT JOIN sales_contract sc ON sc.id = so.contract_id
              JOIN res_company c ON c.id = i.company_id
              JOIN (VALUES %(today)s) AS t(company_id, today) ON t.company_id = i.company_id
             WHERE i.state != 'paid' AND so.state = 'sale'
            """,
            rate=rate,
            today=SQL(", ").join(SQL("(%s, %s::date)", cid, day) for cid, day in today.items()),
        )

    def _age_bucket_rank(self, bucket_sql):
        """``bucket_sql`` as its rank in ``AGE_BUCKETS``: the buckets in age order, not in
        the alphabetical order of their keys."""
        return SQL(
            "CASE %s %s END",
            bucket_sql,
            SQL(" ").join(
                SQL("WHEN %s THEN %s", key, rank) for rank, (key, _label) in enumerate(AGE_BUCKETS)
            ),
        )

    def _read_group_orderby(self, order, groupby_terms, query):
        """Groups by age (pivot, graph, list) come in age order: Not due, 1-30... over 90."""
        if "age_bucket" in groupby_terms:
            groupby_terms = dict(
                groupby_terms, age_bucket=self._age_bucket_rank(groupby_terms["age_bucket"])
            )
        return super()._read_group_orderby(order, groupby_terms, query)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name == "age_bucket":
            bucket = self._field_to_sql(alias, field_name, query)
            return SQL("%s %s %s", self._age_bucket_rank(bucket), direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.model
    def _age_bucket_of(self, days):
        """The bucket of an installment ``days`` past its due date (the view's CASE)."""
        if days <= 0:
            return "not_due"
        for bucket, limit in (("1_30", 30), ("31_60", 60), ("61_90", 90)):
            if days <= limit:
                return bucket
        return "over_90"
