from odoo import api, fields, models
from odoo.tools import SQL


class CrmLead(models.Model):
    _inherit = "crm.lead"

    credit_share_ids = fields.One2many(
        "sales.credit.share", "lead_id", string="Credit Split", copy=True
    )
    forecast_probability = fields.Float(
        compute="_compute_forecast_probability",
        help="Stage probability when the stage has one, else the opportunity's probability.",
    )
    weighted_revenue = fields.Monetary(
        compute="_compute_forecast_probability", currency_field="company_currency"
    )

    @api.constrains("credit_share_ids")
    def _check_credit_shares(self):
        self.env["sales.credit.share"]._check_document_shares(self)

    @api.depends("stage_id.forecast_probability", "probability", "expected_revenue")
    def _compute_forecast_probability(self):
        for lead in self:
            probability = lead.stage_id.forecast_probability or lead.probability
            lead.forecast_probability = probability
            lead.weighted_revenue = lead.expected_revenue * probability / 100.0

    def action_set_won(self):
        result = super().action_set_won()
        self._propagate_credit_shares()
        return result

    def _propagate_credit_shares(self):
        """Give the won opportunity's split to its orders that have none of their own."""
        for lead in self.filtered("credit_share_ids"):
            orders = lead.order_ids.filtered(lambda o: not o.credit_share_ids)
            for order in orders:
                order.credit_share_ids = lead.credit_share_ids._copy_values()

    @api.model
    def _forecast_facts(self, date_from, date_to, companies):
        """Weighted pipeline per (user, team, company, day): expected revenue x probability.

        Open opportunities only, by expected closing date; the stage probability wins over the
        opportunity's when the stage has one. Same shape as sales.target.metric._fetch_facts.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.user_id, l.team_id, COALESCE(l.company_id, %(company)s),
                       l.date_deadline, FALSE,
                       SUM(l.expected_revenue
                           * COALESCE(NULLIF(s.forecast_probability, 0), l.probability) / 100.0)
                  FROM crm_lead l
                  JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.active AND l.type = 'opportunity' AND s.is_won IS NOT TRUE
                   AND COALESCE(l.company_id, %(company)s) IN %(companies)s
                   AND l.date_deadline BETWEEN %(start)s AND %(end)s
              GROUP BY 1, 2, 3, 4
                """,
                company=companies[:1].id,
                companies=tuple(companies.ids) or (0,),
                start=date_from,
                end=date_to,
            )
        )
        return self.env.cr.fetchall()
