from odoo import fields, models
from odoo.tools import SQL

from ..models.survey_user_input_sales import TRIGGERS


class SalesSatisfactionReport(models.Model):
    """Satisfaction analysis: every satisfaction survey sent to a customer, with its score
    once answered, per rep, team and month (of the answer, else of the invitation, in the
    company's time). The answers themselves (``survey.user_input``) are for survey officers;
    this report is read through record rules: reps their own, leaders their team's, sales
    managers all of their companies."""

    _name = "sales.satisfaction.report"
    _description = "Satisfaction Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "date desc, id desc"
    _depends = {
        "survey.user_input": [
            "state",
            "end_datetime",
            "create_date",
            "satisfaction_score",
            "sales_partner_id",
            "sales_order_id",
            "sales_complaint_id",
            "sales_user_id",
            "sales_team_id",
            "sales_company_id",
            "sales_trigger",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    complaint_id = fields.Many2one("sales.complaint", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    trigger = fields.Selection(TRIGGERS, string="Sent After", readonly=True)
    date = fields.Date(readonly=True, help="The day of the answer, else of the invitation.")
    date_sent = fields.Date(string="Sent On", readonly=True)
    answered = fields.Boolean(readonly=True)
    score = fields.Float(
        string="Satisfaction Score", readonly=True, aggregator="avg", help="1 to 5, when answered."
    )
    sent_count = fields.Integer(string="Surveys Sent", readonly=True)
    answered_count = fields.Integer(string="Answers", readonly=True)

    @property
    def _table_query(self):
        tz = self.env["res.company"]._sales_tz_sql(SQL("a.sales_company_id"))
        return SQL(
            """
            SELECT a.id, a.sales_partner_id AS partner_id, a.sales_order_id AS order_id,
                   a.sales_complaint_id AS complaint_id, a.sales_user_id AS user_id,
                   a.sales_team_id AS team_id, a.sales_company_id AS company_id,
                   a.sales_trigger AS trigger,
                   ((COALESCE(a.end_datetime, a.create_date) AT TIME ZONE 'UTC')
                       AT TIME ZONE %(tz)s)::date AS date,
                   ((a.create_date AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date AS date_sent,
                   (a.state = 'done' AND a.satisfaction_score > 0) AS answered,
                   NULLIF(a.satisfaction_score, 0)::float AS score,
                   1 AS sent_count,
                   (a.state = 'done' AND a.satisfaction_score > 0)::int AS answered_count
              FROM survey_user_input a
             WHERE a.sales_trigger IS NOT NULL AND NOT COALESCE(a.test_entry, FALSE)
            """,
            tz=tz,
        )
