from odoo import fields, models, tools
from odoo.tools import SQL

from .sales_compliance_rule import engine_models


class SalesComplianceRateReport(models.Model):
    """Compliance rate: the records the rules check (sales orders, leads, customers
    with a salesperson), and whether they passed every check (no violation at all).

    A SQL view as Odoo's sales analysis: the rate of a group is the average of the
    per-record 0/100 ``compliance_rate``, that is passed over checked. The ``date``
    is the record's date (order date, creation) in its company's time zone, so months
    and quarters cut where the company's day ends.
    """

    _name = "sales.compliance.rate.report"
    _description = "Compliance Rate Analysis"
    _auto = False
    _rec_name = "record_name"
    _order = "date desc, id desc"

    res_model = fields.Selection(engine_models, string="Model", readonly=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", readonly=True)
    record_name = fields.Char(string="Record", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True, help="In the company's time zone.")
    record_count = fields.Integer(string="Records Checked", readonly=True)
    compliant_count = fields.Integer(string="Records Compliant", readonly=True)
    compliance_rate = fields.Float(
        string="Compliance Rate (%)", aggregator="avg", readonly=True, digits=(16, 1)
    )
    violation_count = fields.Integer(string="Violations", readonly=True)
    attempt_count = fields.Integer(string="Attempts", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # ids: one range of residues per model, stable across reads
        team = self.env["res.users"]._sales_team_sql(
            SQL("salesperson.id"), SQL("COALESCE(partner.company_id, salesperson.company_id)")
        )
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(table)s AS (
                WITH violations AS (
                    SELECT res_model, res_id,
                           count(*) AS violation_count,
                           sum(attempt_count) AS attempt_count
                      FROM sales_compliance_violation
                     GROUP BY res_model, res_id
                ), checked AS (
                    SELECT 'sale.order' AS res_model, so.id AS res_id, so.id * 3 AS id,
                           so.name AS record_name, so.user_id AS salesperson_id,
                           so.team_id, so.company_id, so.date_order AS moment
                      FROM sale_order so
                    UNION ALL
                    SELECT 'crm.lead', lead.id, lead.id * 3 + 1, lead.name, lead.user_id,
                           lead.team_id, lead.company_id, lead.create_date
                      FROM crm_lead lead
                    UNION ALL
                    SELECT 'res.partner', partner.id, partner.id * 3 + 2, partner.name,
                           partner.user_id, %(team)s,
                           COALESCE(partner.company_id, salesperson.company_id),
                           partner.create_date
                      FROM res_partner partner
                      JOIN res_users salesperson ON salesperson.id = partner.user_id
                     WHERE partner.parent_id IS NULL
                )
                SELECT checked.id, checked.res_model, checked.res_id, checked.record_name,
                       checked.salesperson_id, checked.team_id, checked.company_id,
                       (checked.moment AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date,
                       1 AS record_count,
                       CASE WHEN violations.res_id IS NULL THEN 1 ELSE 0 END
                           AS compliant_count,
                       CASE WHEN violations.res_id IS NULL THEN 100.0 ELSE 0.0 END
                           AS compliance_rate,
                       COALESCE(violations.violation_count, 0) AS violation_count,
                       COALESCE(violations.attempt_count, 0) AS attempt_count
                  FROM checked
                  LEFT JOIN violations
                         ON violations.res_model = checked.res_model
                        AND violations.res_id = checked.res_id
            )
            """,
                table=SQL.identifier(self._table),
                team=team,
                tz=self.env["res.company"]._sales_tz_sql(company=SQL("checked.company_id")),
            )
        )
