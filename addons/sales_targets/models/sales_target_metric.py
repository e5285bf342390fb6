import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import psycopg2

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.registry import MethodRegistry, accepts
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..tools.invoice_orders import order_parts_of_moves

_logger = logging.getLogger(__name__)

METRIC_TYPES = [
    ("revenue", "Untaxed revenue of confirmed orders"),
    ("invoiced", "Invoiced revenue, net of refunds"),
    ("margin", "Gross margin"),
    ("collected", "Collected cash"),
    ("new_customers", "New customers"),
    ("won_opportunities", "Opportunities won"),
    ("visits", "Visits"),
    ("product_mix", "Revenue in a product category"),
    ("generic", "Generic metric"),
]
# What a generic metric reads: any model and field, as superuser. Like the code of Odoo's
# server actions, only system administrators write it.
GENERIC_FIELDS = {
    "model_id",
    "date_field_id",
    "user_field_id",
    "aggregate",
    "sum_field_id",
    "domain",
}

# SQL fragment (with its FROM): the reconciliations ``apr`` of a customer invoice ``m`` (its
# receivable line ``il``) with the line ``pl`` of a payment or other move ``pm``.
RECONCILED_INVOICES = """
      FROM account_partial_reconcile apr
      JOIN account_move_line il ON il.id = apr.debit_move_id
      JOIN account_move m ON m.id = il.move_id
      JOIN account_move_line pl ON pl.id = apr.credit_move_id
      JOIN account_move pm ON pm.id = pl.move_id
"""
# For a reconciliation ``apr`` of a receivable with the line ``pl`` of a payment move ``pm``:
# the share of it that is cash, the rest being the payment's write-off (e.g. 950 paid and 50
# written off for a 1,000 invoice gives 0.95). Bank statement lines count in full.
CASH_SHARE_OF_PAYMENT = """
    LEFT JOIN account_payment ap ON ap.id = pm.origin_payment_id
    LEFT JOIN LATERAL (
        SELECT SUM(-x.balance) AS total
          FROM account_move_line x
         WHERE x.move_id = pm.id AND x.account_id = pl.account_id
    ) counterpart ON ap.id IS NOT NULL
"""
CASH_SHARE = """
    CASE WHEN ap.id IS NOT NULL AND counterpart.total > 0
         THEN LEAST(1.0, ABS(ap.amount_company_currency_signed) / counterpart.total)
         ELSE 1.0 END
"""
# SQL fragment: the credit shares ``cs`` of the move ``m``, each weighted by the part of the
# move that comes from its order (``tools/invoice_orders.py``: an invoice of two orders is
# split between them), and a row without salesperson (``cs.user_id`` NULL: the move's own
# salesperson) for the part of the move that comes from no order with shares. Set-based:
# only the invoice lines of orders that have shares are read, so a metric does not read
# every invoice's lines. A move of no order with shares has no row (``cs.share`` NULL).
CREDIT_SHARES_OF_MOVE = SQL(
    """
    LEFT JOIN (
        SELECT parts.move_id, cs.user_id, cs.team_id, cs.is_overlay,
               cs.share * parts.weight AS share
          FROM (%(parts)s) parts
          JOIN sales_credit_share cs ON cs.order_id = parts.order_id
     UNION ALL
        SELECT parts.move_id, NULL, NULL, FALSE, 100.0 * (1 - SUM(parts.weight))
          FROM (%(parts)s) parts
      GROUP BY parts.move_id
        HAVING SUM(parts.weight) < 0.999999
    ) cs ON cs.move_id = m.id
""",
    parts=order_parts_of_moves(
        SQL(
            "sol.order_id IN (SELECT shared.order_id FROM sales_credit_share shared"
            " WHERE shared.order_id IS NOT NULL)"
        )
    ),
)


# The columns of the SQL of a metric type (``_metric_sql_<type>``), in this order
METRIC_COLUMNS = (
    "res_model",
    "res_id",
    "doc_name",
    "user_id",
    "team_id",
    "company_id",
    "day",
    "amount",
    "share",
    "overlay",
    "source_ref",
)


def _sql_problem(value, *args):
    return None if isinstance(value, SQL) else f"must return SQL, not {type(value).__name__}"


def _metric_sql_problem(metric, name, function):
    """What is wrong with the SQL of the reader ``name``: composed for a sample period and
    run with ``LIMIT 0``, it must give ``METRIC_COLUMNS``. Once per reader and registry."""
    metric = metric.sudo()
    sample = metric.new({"metric_type": name.removeprefix(METRIC_READERS.prefix)})
    day = date(2000, 1, 1)
    query = function(sample, sample._fact_period(day, day, metric.env.company))
    problem = _sql_problem(query)
    if problem:
        return problem
    cr = metric.env.cr
    try:
        with cr.savepoint(flush=False):
            cr.execute(SQL("SELECT * FROM (%s) src LIMIT 0", query))
            columns = tuple(column.name for column in cr.description)
    except psycopg2.Error as error:
        return f"returns SQL that fails: {str(error).strip()}"
    if columns != METRIC_COLUMNS:
        return f"must return the columns ({', '.join(METRIC_COLUMNS)}), not ({', '.join(columns)})"
    return None


# The SQL readers of the metric types (see ``SalesTargetMetric._source_sql``)
METRIC_READERS = MethodRegistry("_metric_sql_", check=_metric_sql_problem, result=_sql_problem)

# What ``_fetch_facts`` returns, one tuple per group: also what an ORM reader returns
FACT_COLUMNS = ("user_id", "team_id", "company_id", "day", "overlay", "amount", "count")


def _facts_problem(facts, period, user_ids=None):
    if not isinstance(facts, list):
        return f"must return a list of facts, not {type(facts).__name__}"
    for fact in facts:
        if not (isinstance(fact, tuple) and len(fact) == len(FACT_COLUMNS)):
            return f"must return facts ({', '.join(FACT_COLUMNS)}), not {fact!r}"
    return None


# The ORM readers of the metric types (see ``SalesTargetMetric._fetch_facts``)
METRIC_FACT_READERS = MethodRegistry(
    "_metric_facts_",
    check=lambda metric, name, function: accepts(function, "period", "user_ids"),
    result=_facts_problem,
)


def local_day_sql(column, tz):
    """SQL: the local date of a UTC ``datetime`` column in the timezone ``tz`` (SQL)."""
    return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", column, tz)


def utc_bound_sql(day, tz):
    """SQL: the UTC ``datetime`` at which the local ``day`` starts in the timezone ``tz``.

    Comparing a stored UTC datetime with it keeps the column's index usable, where converting
    every row to local time would not.
    """
    return SQL("((%s::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC')", day, tz)


@dataclass(frozen=True)
class FactPeriod:
    """What a metric type's reader gets: the period and companies it reads.

    ``date_from`` and ``end`` (the day after the last) are local days, to compare with date
    columns; ``start_utc`` and ``end_utc`` their UTC start in the timezone ``tz`` (SQL), to
    compare with datetime columns; ``local_day`` gives the local day of a datetime column.
    """

    date_from: date
    end: date
    companies: models.BaseModel
    company_ids: tuple
    tz: SQL
    start_utc: SQL
    end_utc: SQL

    def local_day(self, column):
        return local_day_sql(column, self.tz)

    @property
    def params(self):
        """Named parameters for a metric's SQL: ``%(companies)s``; ``%(start)s`` and
        ``%(end)s`` (local days, for date columns); ``%(start_utc)s`` and ``%(end_utc)s``
        (for datetime columns)."""
        return {
            "companies": self.company_ids,
            "start": self.date_from,
            "end": self.end,
            "start_utc": self.start_utc,
            "end_utc": self.end_utc,
        }


class SalesTargetMetric(models.Model):
    """What a target measures.

    A metric knows how to read its facts from the database: ``_source_sql`` gives one row per
    credited source document, ``_fetch_facts`` sums them per salesperson, team, company and day
    in a single grouped query. Achievement, decomposition history, statements and dashboards
    all go through these two methods.
    """

    _name = "sales.target.metric"
    _description = "Sales Target Metric"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    metric_type = fields.Selection(METRIC_TYPES, required=True, default="revenue")
    company_id = fields.Many2one("res.company", help="Leave empty to share between companies.")
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", help="For product mix metrics."
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Visit Activity Type",
        default=lambda self: self._default_activity_type(),
    )
    model_id = fields.Many2one("ir.model", ondelete="cascade")
    model_name = fields.Char(related="model_id.model", string="Technical Model Name")
    date_field_id = fields.Many2one(
        "ir.model.fields",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime'))]",
        ondelete="cascade",
    )
    user_field_id = fields.Many2one(
        "ir.model.fields",
        string="Salesperson Field",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), "
        "('relation', '=', 'res.users')]",
        ondelete="cascade",
    )
    aggregate = fields.Selection(
        [("count", "Count of records"), ("sum", "Sum of a field")], default="count"
    )
    sum_field_id = fields.Many2one(
        "ir.model.fields",
        string="Summed Field",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('integer', 'float', 'monetary'))]",
        ondelete="cascade",
    )
    domain = fields.Char(default="[]")

    @api.model
    def _default_activity_type(self):
        configured = (
            self.env["ir.config_parameter"].sudo().get_param("sales_targets.visit_activity_type_id")
        )
        if configured:
            return self.env["mail.activity.type"].browse(int(configured)).exists()
        return self.env.ref("sales_targets.mail_activity_type_visit", False)

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("metric_type") == "generic" for vals in vals_list):
            self._check_generic_author()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("metric_type") == "generic" or (
            GENERIC_FIELDS & set(vals) and any(m.metric_type == "generic" for m in self)
        ):
            self._check_generic_author()
        return super().write(vals)

    @api.model
    def _check_generic_author(self):
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(
                self.env._(
                    "Only system administrators define generic metrics (which model and field "
                    "they read): ask your administrator to set it up."
                )
            )

    def _check_generic_readable(self, user):
        """A generic metric sums its model as superuser: a salesperson's achievement counts
        records they may not open. So its model and fields must be readable by ``user``, the
        manager of the plan that measures it, or the metric would reveal what they may not
        read."""
        for metric in self.sudo().filtered(lambda m: m.metric_type == "generic" and m.model_id):
            names = (metric.date_field_id | metric.user_field_id | metric.sum_field_id).mapped(
                "name"
            )
            model = self.env[metric.model_id.model].with_user(user)
            if not (
                model.has_access("read")
                and all(model._fields[name].is_accessible(model.env) for name in names)
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot read %(model)s: a plan of theirs cannot measure the "
                        "generic metric %(metric)s. Choose another metric or manager, or ask "
                        "your administrator for the rights.",
                        user=user.name,
                        model=metric.model_id.name,
                        metric=metric.display_name,
                    )
                )

    @api.constrains("metric_type", "model_id", "date_field_id", "user_field_id", "sum_field_id")
    def _check_generic_plans(self):
        generic = self.filtered(lambda m: m.metric_type == "generic")
        if generic:
            plans = self.env["sales.target.plan"].sudo().search([("metric_ids", "in", generic.ids)])
            plans._check_generic_metrics()

    @api.constrains(
        "metric_type", "product_categ_id", "model_id", "date_field_id", "activity_type_id"
    )
    def _check_config(self):
        for metric in self:
            if metric.metric_type == "product_mix" and not metric.product_categ_id:
                raise ValidationError(self.env._("A product mix metric needs a product category."))
            if metric.metric_type == "visits" and not metric.activity_type_id:
                raise ValidationError(self.env._("A visit metric needs an activity type."))
            if metric.metric_type == "visits" and not metric.activity_type_id.keep_done:
                raise ValidationError(
                    self.env._(
                        "Activity type %s does not keep done activities: visits could not be "
                        "counted. Tick its Keep Done option.",
                        metric.activity_type_id.name,
                    )
                )
            if metric.metric_type == "generic" and not (
                metric.model_id and metric.date_field_id and metric.user_field_id
            ):
                raise ValidationError(
                    self.env._(
                        "A generic metric needs a model, a date field and a salesperson field."
                    )
                )
            if (
                metric.metric_type == "generic"
                and metric.aggregate == "sum"
                and not (metric.sum_field_id)
            ):
                raise ValidationError(self.env._("Choose the field to sum."))

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------
    # A metric type is read by ``_metric_sql_<type>(period)`` (SQL-backed: one row per credited
    # document, ``METRIC_COLUMNS``, found and checked by ``METRIC_READERS``) or
    # ``_metric_facts_<type>(period, user_ids)`` (read through the ORM, already grouped like
    # ``_fetch_facts``: ``FACT_COLUMNS``, checked by ``METRIC_FACT_READERS``). Another addon
    # adds a type with
    # ``metric_type = fields.Selection(selection_add=[...], ondelete=...)`` and one such method;
    # a rate rather than a total also overrides ``_is_rate_metric``.

    def _register_hook(self):
        """Check the SQL of every metric type once, when the registry loads: a reader of
        another addon that does not give the documented columns is named in the log, and
        refused when a metric of its type is read (``METRIC_READERS``)."""
        super()._register_hook()
        for key in METRIC_READERS.keys(self):
            try:
                METRIC_READERS.method(self, key)
            except Exception as error:
                _logger.error("Metric type %s cannot be read: %s", key, error)

    def _is_rate_metric(self):
        """Whether the value of a period is the average of its documents' amounts (a rate in %,
        e.g. the share of compliant orders) rather than their sum. A rate is not split between
        children when a target is decomposed, and its run-rate is its rate to date."""
        self.ensure_one()
        return False

    def _has_pipeline_forecast(self):
        """Whether the weighted pipeline forecasts this metric (the target's Weighted Pipeline):
        won opportunities become revenue, then invoices."""
        self.ensure_one()
        return self.metric_type in ("revenue", "invoiced")

    def _fact_period(self, date_from, date_to, companies):
        """The bounds a metric reads: days cut in the timezone of the first of ``companies``."""
        tz = companies[:1]._sales_tz_sql()
        end = fields.Date.add(date_to, days=1)
        return FactPeriod(
            date_from=date_from,
            end=end,
            company_ids=tuple(companies.ids) or (0,),
            companies=companies,
            tz=tz,
            start_utc=utc_bound_sql(date_from, tz),
            end_utc=utc_bound_sql(end, tz),
        )

    def _source_sql(self, date_from, date_to, companies, user_ids=None):
        """SQL giving one row per credited document, from the type's ``_metric_sql_<type>``.

        Columns (``METRIC_COLUMNS``, in this order, checked once per reader): res_model,
        res_id, doc_name, user_id, team_id, company_id, day, amount (already multiplied by
        the share), share, overlay, source_ref (the reconciliation of collected cash, whose
        removal claws its commission back). Only for SQL-backed metrics.
        Datetimes (order dates, closing dates) count on their day in the timezone of the
        first of ``companies`` (``res.company._sales_tz_sql``); date fields (invoice
        and payment dates, done activities) already are local days.
        """
        self.ensure_one()
        if METRIC_READERS.method(self, self.metric_type) is None:
            raise ValidationError(self.env._("Metric %s is not read with SQL.", self.display_name))
        period = self._fact_period(date_from, date_to, companies)
        query = METRIC_READERS.call(self, self.metric_type, period)
        if user_ids is not None:
            query = SQL(
                "SELECT * FROM (%s) src WHERE src.user_id IN %s", query, tuple(user_ids) or (0,)
            )
        return query

    def _fetch_facts(self, date_from, date_to, companies, user_ids=None, reader=None):
        """Sum the metric per (user, team, company, day, overlay) in one query.

        :param user_ids: only these salespeople's facts, when given
        :param reader: the manager for whom the facts are read (a generic metric refuses a
            model they cannot read); the current user by default, none as superuser
        :return: list of tuples (user_id, team_id, company_id, day, overlay, amount, count),
            ``count`` being the number of credited documents (the divisor of a rate)
        """
        self.ensure_one()
        if reader or not self.env.su:
            self._check_generic_readable(reader or self.env.user)
        if METRIC_FACT_READERS.method(self, self.metric_type) is not None:
            period = self._fact_period(date_from, date_to, companies)
            return METRIC_FACT_READERS.call(self, self.metric_type, period, user_ids)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT user_id, team_id, company_id, day, overlay, SUM(amount), COUNT(*)
                  FROM (%s) src
              GROUP BY user_id, team_id, company_id, day, overlay
                """,
                self._source_sql(date_from, date_to, companies, user_ids),
            )
        )
        return self.env.cr.fetchall()

    def _fetch_series(self, date_from, date_to, companies, user_ids=None, reader=None):
        """The metric's daily series per assignee key (``("user", id)``, ``("team", id)``,
        ``("company", id)``), sums or rates as the metric is (``_is_rate_metric``)."""
        facts = self._fetch_facts(date_from, date_to, companies, user_ids, reader=reader)
        return self.env["sales.target"]._build_series(facts, rate=self._is_rate_metric())

    # ------------------------------------------------------------------
    # Built-in metric types
    # ------------------------------------------------------------------
    def _sale_order_sql(self, period, value):
        """Confirmed orders of the period, ``value`` (SQL over ``so``) credited by share."""
        return SQL(
            """
            SELECT 'sale.order' AS res_model, so.id AS res_id, so.name AS doc_name,
                   COALESCE(cs.user_id, so.user_id) AS user_id,
                   COALESCE(cs.team_id, so.team_id) AS team_id,
                   so.company_id, %(day)s AS day,
                   %(value)s / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       * COALESCE(cs.share, 100.0) / 100.0 AS amount,
                   COALESCE(cs.share, 100.0) AS share,
                   COALESCE(cs.is_overlay, FALSE) AS overlay, NULL::varchar AS source_ref
              FROM sale_order so
         LEFT JOIN sales_credit_share cs ON cs.order_id = so.id
             WHERE so.state = 'sale' AND so.company_id IN %(companies)s
               AND so.date_order >= %(start_utc)s AND so.date_order < %(end_utc)s
            """,
            value=value,
            **period.params,
            day=period.local_day(SQL("so.date_order")),
        )

    def _metric_sql_revenue(self, period):
        return self._sale_order_sql(period, SQL("so.amount_untaxed"))

    def _metric_sql_margin(self, period):
        return self._sale_order_sql(period, SQL("COALESCE(so.margin, 0)"))

    def _metric_sql_product_mix(self, period):
        return SQL(
            """
            SELECT 'sale.order' AS res_model, so.id AS res_id, so.name AS doc_name,
                   COALESCE(cs.user_id, so.user_id) AS user_id,
                   COALESCE(cs.team_id, so.team_id) AS team_id,
                   so.company_id, %(day)s AS day,
                   sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       * COALESCE(cs.share, 100.0) / 100.0 AS amount,
                   COALESCE(cs.share, 100.0) AS share,
                   COALESCE(cs.is_overlay, FALSE) AS overlay, NULL::varchar AS source_ref
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN product_product pp ON pp.id = sol.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN product_category pc ON pc.id = pt.categ_id
         LEFT JOIN sales_credit_share cs ON cs.order_id = so.id
             WHERE so.state = 'sale' AND so.company_id IN %(companies)s
               AND so.date_order >= %(start_utc)s AND so.date_order < %(end_utc)s
               AND pc.parent_path LIKE %(path)s
            """,
            **period.params,
            day=period.local_day(SQL("so.date_order")),
            path=f"{self.product_categ_id.parent_path}%",
        )

    def _metric_sql_invoiced(self, period):
        return SQL(
            """
            SELECT 'account.move' AS res_model, m.id AS res_id, m.name AS doc_name,
                   COALESCE(cs.user_id, orig.invoice_user_id, m.invoice_user_id) AS user_id,
                   COALESCE(cs.team_id, orig.team_id, m.team_id) AS team_id,
                   m.company_id, m.invoice_date AS day,
                   m.amount_untaxed_signed * COALESCE(cs.share, 100.0) / 100.0 AS amount,
                   COALESCE(cs.share, 100.0) AS share,
                   COALESCE(cs.is_overlay, FALSE) AS overlay, NULL::varchar AS source_ref
              FROM account_move m
         LEFT JOIN account_move orig ON orig.id = m.reversed_entry_id
              %(credit_shares_of_move)s
             WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state = 'posted'
               AND m.company_id IN %(companies)s
               AND m.invoice_date >= %(start)s AND m.invoice_date < %(end)s
            """,
            credit_shares_of_move=CREDIT_SHARES_OF_MOVE,
            **period.params,
        )

    def _metric_sql_collected(self, period):
        return SQL(
            """
            SELECT 'account.move' AS res_model, m.id AS res_id, m.name AS doc_name,
                   COALESCE(cs.user_id, m.invoice_user_id) AS user_id,
                   COALESCE(cs.team_id, m.team_id) AS team_id,
                   m.company_id, pl.date AS day,
                   apr.amount * %(cash_share)s * COALESCE(cs.share, 100.0) / 100.0
                       AS amount,
                   COALESCE(cs.share, 100.0) AS share,
                   COALESCE(cs.is_overlay, FALSE) AS overlay,
                   'account.partial.reconcile,' || apr.id AS source_ref
              %(reconciliations)s
              %(cash_share_join)s
              %(credit_shares_of_move)s
             WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
               AND pm.move_type = 'entry'
               AND (pm.origin_payment_id IS NOT NULL OR pm.statement_line_id IS NOT NULL)
               AND m.company_id IN %(companies)s
               AND pl.date >= %(start)s AND pl.date < %(end)s
            """,
            reconciliations=SQL(RECONCILED_INVOICES),
            cash_share=SQL(CASH_SHARE),
            cash_share_join=SQL(CASH_SHARE_OF_PAYMENT),
            credit_shares_of_move=CREDIT_SHARES_OF_MOVE,
            **period.params,
        )

    def _metric_sql_new_customers(self, period):
        return SQL(
            """
            SELECT 'sale.order' AS res_model, so.id AS res_id, so.name AS doc_name,
                   so.user_id, so.team_id, so.company_id, %(day)s AS day,
                   1.0 AS amount, 100.0 AS share, FALSE AS overlay,
                   NULL::varchar AS source_ref
              FROM (
                  SELECT DISTINCT ON (p.commercial_partner_id, o.company_id) o.*
                    FROM sale_order o
                    JOIN res_partner p ON p.id = o.partner_id
                   WHERE o.state = 'sale' AND o.company_id IN %(companies)s
                ORDER BY p.commercial_partner_id, o.company_id, o.date_order, o.id
              ) so
             WHERE so.date_order >= %(start_utc)s AND so.date_order < %(end_utc)s
            """,
            **period.params,
            day=period.local_day(SQL("so.date_order")),
        )

    def _metric_sql_won_opportunities(self, period):
        return SQL(
            """
            SELECT 'crm.lead' AS res_model, l.id AS res_id, l.name AS doc_name,
                   l.user_id, l.team_id, COALESCE(l.company_id, %(company)s) AS company_id,
                   %(day)s AS day, 1.0 AS amount, 100.0 AS share,
                   FALSE AS overlay, NULL::varchar AS source_ref
              FROM crm_lead l
              JOIN crm_stage s ON s.id = l.stage_id AND s.is_won
             WHERE l.active AND l.type = 'opportunity'
               AND COALESCE(l.company_id, %(company)s) IN %(companies)s
               AND l.date_closed >= %(start_utc)s AND l.date_closed < %(end_utc)s
            """,
            company=period.company_ids[0],
            **period.params,
            day=period.local_day(SQL("l.date_closed")),
        )

    def _metric_sql_visits(self, period):
        team = self.env["res.users"]._sales_team_sql(SQL("a.user_id"), SQL("u.company_id"))
        return SQL(
            """
            SELECT 'mail.activity' AS res_model, a.id AS res_id, a.summary AS doc_name,
                   a.user_id, %(team)s AS team_id, u.company_id,
                   a.date_done AS day, 1.0 AS amount, 100.0 AS share, FALSE AS overlay,
                   NULL::varchar AS source_ref
              FROM mail_activity a
              JOIN res_users u ON u.id = a.user_id
             WHERE a.active IS NOT TRUE AND a.activity_type_id = %(type)s
               AND u.company_id IN %(companies)s
               AND a.date_done >= %(start)s AND a.date_done < %(end)s
            """,
            type=self.activity_type_id.id,
            team=team,
            **period.params,
        )

    def _metric_facts_generic(self, period, user_ids=None):
        """Any model and field an administrator chose, read with ``_read_group`` as superuser
        (its configuration, ir.model.fields, is an administrator's)."""
        metric = self.sudo()
        companies = period.companies
        # days of a datetime field cut in the company's timezone, as for the SQL metrics
        tz = companies[:1]._sales_tz()
        Model = self.env[metric.model_id.model].sudo().with_context(tz=tz)
        date_field = metric.date_field_id.name
        user_field = metric.user_field_id.name
        domain = safe_eval(metric.domain or "[]")
        start, end = period.date_from, period.end
        if metric.date_field_id.ttype == "datetime":
            start, end = (companies[:1]._sales_utc(day, tz) for day in (start, end))
        domain = expression.AND([domain, [(date_field, ">=", start), (date_field, "<", end)]])
        if "company_id" in Model._fields:
            domain = expression.AND([domain, [("company_id", "in", companies.ids)]])
        if user_ids is not None:
            domain = expression.AND([domain, [(user_field, "in", user_ids)]])
        aggregates = ["__count"]
        if metric.aggregate == "sum":
            aggregates.append(f"{metric.sum_field_id.name}:sum")
        groups = Model._read_group(domain, [user_field, f"{date_field}:day"], aggregates)
        users = self.env["res.users"].browse({user.id for user, *__ in groups if user}).sudo()
        team_of = {user.id: user._sales_team(companies[:1]).id for user in users}
        company = companies[:1].id
        facts = defaultdict(lambda: [0.0, 0])
        for user, day, count, *total in groups:
            if hasattr(day, "date"):
                day = day.date()
            fact = facts[(user.id or None, team_of.get(user.id) or None, company, day, False)]
            fact[0] += (total[0] if total else count) or 0.0
            fact[1] += count
        return [(*key, amount, count) for key, (amount, count) in facts.items()]
