from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.deferred_checks import deferred_checks
from odoo.tools import SQL


class CrmLead(models.Model):
    _inherit = "crm.lead"

    credit_share_ids = fields.One2many(
        "sales.credit.share", "lead_id", string="Credit Split", copy=True
    )

    @api.constrains("credit_share_ids")
    def _check_credit_shares(self):
        self.env["sales.credit.share"]._check_document_shares(self)

    @api.model_create_multi
    def create(self, vals_list):
        with deferred_checks(self.env):
            return super().create(vals_list)

    def write(self, vals):
        if "credit_share_ids" not in vals:
            return super().write(vals)
        with deferred_checks(self.env):
            return super().write(vals)

    def copy_data(self, default=None):
        return self.env["sales.credit.share"]._without_overlays_unless_allowed(
            super().copy_data(default)
        )

    def action_set_won(self):
        result = super().action_set_won()
        self._propagate_credit_shares()
        return result

    def _propagate_credit_shares(self):
        """Give the won opportunity's split to its orders that have none of their own."""
        for lead in self.filtered("credit_share_ids"):
            # an invoiced order keeps the credit its commission was earned on
            orders = lead.order_ids.filtered(
                lambda o: not o.credit_share_ids and not o._has_posted_invoice()
            )
            for order in orders:
                # the won opportunity's split, whoever owns the order
                order.sudo().credit_share_ids = lead.credit_share_ids._copy_values()

    @api.model
    def _pipeline_sql(self, companies=None):
        """Open opportunities with their forecast date and probability.

        The one home of the pipeline's probability rule (the target forecast, forecast commits
        and the forecast report all read it here): the stage's forecast probability wins over
        the opportunity's own, unless it is 0. Without an expected closing date, the
        opportunity is expected the stage's average months to close after today in the
        company's timezone (``res.company._sales_tz_sql``). Columns: lead_id, user_id,
        team_id, company_id, day, expected, probability, weighted.
        """
        if companies is None:
            company = SQL("l.company_id")
            where = SQL("TRUE")
            tz = self.env["res.company"]._sales_tz_sql(company)
        else:
            company = SQL("COALESCE(l.company_id, %s)", companies[:1].id)
            where = SQL("%s IN %s", company, tuple(companies.ids) or (0,))
            tz = companies[:1]._sales_tz_sql()
        return SQL(
            """
            SELECT l.id AS lead_id, l.user_id, l.team_id, %(company)s AS company_id,
                   COALESCE(
                       l.date_deadline,
                       ((now() AT TIME ZONE %(tz)s)::date + make_interval(months => COALESCE(
                           s.forecast_months_to_close, 0)))::date
                   ) AS day,
                   l.expected_revenue AS expected, rule.probability,
                   l.expected_revenue * rule.probability / 100.0 AS weighted
              FROM crm_lead l
              JOIN crm_stage s ON s.id = l.stage_id
             -- the probability rule of the forecast, its one home
             CROSS JOIN LATERAL (
                 SELECT COALESCE(NULLIF(s.forecast_probability, 0), l.probability) AS probability
             ) rule
             WHERE l.active AND l.type = 'opportunity' AND s.is_won IS NOT TRUE
               AND %(where)s
            """,
            company=company,
            where=where,
            tz=tz,
        )

    @api.model
    def _forecast_facts(self, date_from, date_to, companies, user_ids=None):
        """Weighted pipeline per (user, team, company, day), the shape of
        sales.target.metric._fetch_facts, in one grouped query (of ``user_ids`` only when
        given)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT user_id, team_id, company_id, day, FALSE, SUM(weighted)
                  FROM (%s) pipe
                 WHERE day BETWEEN %s AND %s AND %s
              GROUP BY user_id, team_id, company_id, day
                """,
                self._pipeline_sql(companies),
                date_from,
                date_to,
                SQL("TRUE") if user_ids is None else SQL("user_id IN %s", tuple(user_ids) or (0,)),
            )
        )
        return self.env.cr.fetchall()
