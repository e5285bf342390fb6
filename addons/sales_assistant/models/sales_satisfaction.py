from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

YEARLY_BATCH = 200  # customers invited per run of the yearly cron


class SalesSatisfaction(models.AbstractModel):
    """Satisfaction surveys (客户满意度调查) sent to customers: the one home of the sending.

    Odoo's survey app holds the survey, the invitation (``survey.user_input`` with its
    token) and the answers; here is when a customer is invited and what the answer is linked
    to. ``_invite`` is called by the triggers: the customer confirms receipt of an order, a
    complaint is closed, and once a year for the active customers
    (``_cron_yearly_satisfaction``). Each event invites once (``sales_key``).
    """

    _name = "sales.satisfaction"
    _description = "Customer Satisfaction Surveys"

    @api.model
    def _survey(self, company):
        """The survey of ``company``: its setting, else the survey shipped with the addon."""
        survey = company.sudo().satisfaction_survey_id or self.env.ref(
            "sales_assistant.survey_customer_satisfaction", raise_if_not_found=False
        )
        return survey and survey.sudo()

    @api.model
    def _key(self, trigger, company, order=None, complaint=None, partner=None, year=None):
        if trigger == "receipt":
            return f"receipt:{order.id}"
        if trigger == "complaint":
            return f"complaint:{complaint.id}"
        return f"yearly:{company.id}:{partner.id}:{year}"

    @api.model
    def _invite(self, requests):
        """Invite customers to the satisfaction survey, once per event.

        :param requests: dicts of ``trigger`` (receipt, complaint, yearly), ``company``,
            ``partner`` (the contact to ask), and as far as known ``order``, ``complaint``,
            ``user`` (the rep), ``team`` and ``year`` (yearly).
        :return: the new answers (``survey.user_input``), as superuser.
        """
        Answer = self.env["survey.user_input"].sudo()
        enabled = {
            "receipt": "satisfaction_on_receipt",
            "complaint": "satisfaction_on_complaint",
            "yearly": "satisfaction_yearly",
        }
        todo = []
        for request in requests:
            company = request["company"].sudo()
            if not company[enabled[request["trigger"]]] or not request["partner"]:
                continue
            survey = self._survey(company)
            if survey and survey.active:
                todo.append((self._key(**_key_args(request)), survey, request))
        if not todo:
            return Answer
        keys = [key for key, _survey, _request in todo]
        existing = set(Answer.search([("sales_key", "in", keys)]).mapped("sales_key"))
        answers = Answer
        for key, survey, request in todo:
            if key in existing:
                continue
            existing.add(key)
            answers |= self._create_invitation(key, survey, request)
        answers._satisfaction_send_invitation()
        return answers

    @api.model
    def _create_invitation(self, key, survey, request):
        partner = request["partner"].sudo()
        company = request["company"]
        user = request.get("user") or partner.commercial_partner_id.user_id
        team = request.get("team") or (user._sales_team(company) if user else False)
        return (
            survey.sudo()
            .with_context(lang=partner.lang)
            ._create_answer(
                partner=partner,
                check_attempts=False,
                sales_key=key,
                sales_trigger=request["trigger"],
                sales_partner_id=partner.commercial_partner_id.id,
                sales_order_id=request.get("order") and request["order"].id,
                sales_complaint_id=request.get("complaint") and request["complaint"].id,
                sales_user_id=user and user.id,
                sales_team_id=team and team.id,
                sales_company_id=company.id,
            )
        )

    # ------------------------------------------------------------------
    # The yearly survey
    # ------------------------------------------------------------------
    @api.model
    def _cron_yearly_satisfaction(self, batch_size=YEARLY_BATCH):
        """Once a year, invite the active customers of each company: those with an order
        confirmed in the last 12 months, not invited this year yet. One batch per company
        and run, its customers locked (``FOR UPDATE SKIP LOCKED``) so that a second worker
        takes others, the unique ``sales_key`` as the last guard; the cron runs again at
        once while customers remain (``ir.cron._notify_progress``)."""
        done = remaining = 0
        companies = self.env["res.company"].sudo().search([("satisfaction_yearly", "=", True)])
        for company in companies:
            batch, left = self._yearly_batch(company, batch_size)
            done += len(batch)
            remaining += left
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _yearly_candidates_sql(self, company, today, limit=None):
        """SQL of the customers of ``company`` to invite this year (``limit`` of them,
        locked, skipping those another worker holds; all of them without ``limit``)."""
        query = SQL(
            """
            SELECT p.id
              FROM res_partner p
             WHERE p.active
               AND EXISTS (
                   SELECT 1 FROM sale_order so
                     JOIN res_partner cp ON cp.id = so.partner_id
                    WHERE COALESCE(cp.commercial_partner_id, cp.id) = p.id
                      AND so.state = 'sale' AND so.company_id = %(company)s
                      AND so.date_order >= %(start)s)
               AND NOT EXISTS (
                   SELECT 1 FROM survey_user_input a
                    WHERE a.sales_key = CONCAT('yearly:', %(company)s, ':', p.id, ':', %(year)s))
             ORDER BY p.id
            """,
            company=company.id,
            start=company._sales_utc(today - relativedelta(years=1)),
            year=today.year,
        )
        if limit:
            query = SQL("%s LIMIT %s FOR UPDATE OF p SKIP LOCKED", query, limit)
        return query

    @api.model
    def _yearly_batch(self, company, batch_size):
        """(customers invited, customers left) for one batch of ``company``."""
        today = company._sales_today()
        cr = self.env.cr
        self.env.flush_all()
        if not self._survey(company):
            return self.env["res.partner"], 0
        cr.execute(self._yearly_candidates_sql(company, today, limit=batch_size))
        partners = self.env["res.partner"].sudo().browse([row[0] for row in cr.fetchall()])
        self._invite(
            [
                {
                    "trigger": "yearly",
                    "company": company,
                    "partner": partner,
                    "user": partner.user_id,
                    "year": today.year,
                }
                for partner in partners
            ]
        )
        self.env.flush_all()
        cr.execute(self._yearly_candidates_sql(company, today))
        return partners, len(cr.fetchall())


def _key_args(request):
    return {
        key: request.get(key)
        for key in ("trigger", "company", "order", "complaint", "partner", "year")
    }
