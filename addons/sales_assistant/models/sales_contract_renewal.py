from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.batches import run_batches
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, mute_logger

from .sales_contract import IN_FORCE_STATES

RENEWAL_ACTIVITY_TYPE = "sales_assistant.mail_activity_type_contract_renewal"
RENEWAL_BATCH = 1000


class SalesContract(models.Model):
    """Renewal and expiry of the contracts in force (续签, 到期).

    A configurable number of days before its end (``res.company.contract_renewal_days``), the
    salesperson of a contract in force gets one "Renew the contract" activity and My day lists
    the contract; once its end date has passed, the version in force expires. Both follow the
    company's day and run in a daily cron, batch after batch, idempotent and safe with several
    workers.
    """

    _inherit = "sales.contract"

    renewal_ids = fields.One2many(
        "sales.contract", "renewed_from_id", string="Renewals", readonly=True
    )
    renewal_activity_date = fields.Date(
        string="Renewal Reminder On",
        readonly=True,
        copy=False,
        help="The day the salesperson was given the activity to renew this version.",
    )

    # ------------------------------------------------------------------
    # The marker is the cron's: never written by hand
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_flow():
            for vals in vals_list:
                vals.pop("renewal_activity_date", None)
        return super().create(vals_list)

    def write(self, vals):
        if "renewal_activity_date" in vals and not self._in_flow():
            raise UserError(
                self.env._(
                    "The renewal reminder of a contract is recorded by the renewal cron only."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Which contracts are due for renewal (one home: the cron and My day)
    # ------------------------------------------------------------------
    @api.model
    def _renewal_due_domain(self, today_by_company):
        """Versions standing for their contract, in force, whose end falls from today to
        the company's renewal days after it, and that nobody renewed yet (no renewal of any
        of the contract's versions that is not cancelled). ``today_by_company``: {company:
        its today}."""
        per_company = [
            [
                ("company_id", "=", company.id),
                ("date_end", ">=", today),
                ("date_end", "<=", today + timedelta(days=company.sudo().contract_renewal_days)),
            ]
            for company, today in today_by_company.items()
        ]
        return expression.AND(
            [
                [("is_head", "=", True), ("state", "in", IN_FORCE_STATES)],
                expression.OR(per_company) if per_company else expression.FALSE_DOMAIN,
                [("root_id", "not any", [("version_ids.renewal_ids.state", "!=", "cancelled")])],
            ]
        )

    @api.model
    def _renewal_companies_today(self):
        companies = self.env["res.company"].sudo().search([("active", "=", True)])
        return {company: company._sales_today() for company in companies}

    # ------------------------------------------------------------------
    # Renewal reminders
    # ------------------------------------------------------------------
    @api.model
    def _renewal_remind_batch(self, batch_size=RENEWAL_BATCH, today_by_company=None):
        """Give the salesperson of one batch of contracts due for renewal their "Renew the
        contract" activity. Returns (done, remaining).

        Idempotent: the version's ``renewal_activity_date`` is set in the same UPDATE that
        picks it, so a rerun picks nothing; a contract whose other version already has an
        open renewal activity (a change signed since) gets no second one. Several workers:
        the batch is locked ``FOR UPDATE SKIP LOCKED``."""
        Contract = self.sudo()
        today_by_company = today_by_company or self._renewal_companies_today()
        activity_type = self.env.ref(RENEWAL_ACTIVITY_TYPE)
        candidates = Contract._search(
            expression.AND(
                [
                    self._renewal_due_domain(today_by_company),
                    [("renewal_activity_date", "=", False)],
                ]
            )
        )
        due = SQL(
            """
            SELECT c.id FROM sales_contract c
             WHERE c.id IN %(candidates)s
               AND NOT EXISTS (
                   SELECT FROM mail_activity a
                     JOIN sales_contract v ON v.id = a.res_id
                    WHERE a.res_model = 'sales.contract' AND a.active
                      AND a.activity_type_id = %(type)s AND v.root_id = c.root_id)
            """,
            candidates=candidates.subselect(),
            type=activity_type.id,
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH batch AS MATERIALIZED (
                    %(due)s ORDER BY c.id LIMIT %(limit)s FOR UPDATE OF c SKIP LOCKED
                )
                UPDATE sales_contract c
                   SET renewal_activity_date = t.today, write_uid = %(uid)s,
                       write_date = now() AT TIME ZONE 'UTC'
                  FROM batch, (VALUES %(today)s) AS t(company_id, today)
                 WHERE c.id = batch.id AND c.company_id = t.company_id
             RETURNING c.id
                """,
                uid=self.env.uid,
                today=SQL(", ").join(
                    SQL("(%s, %s::date)", company.id, day)
                    for company, day in today_by_company.items()
                ),
                due=due,
                limit=batch_size,
            )
        )
        contracts = Contract.browse([row[0] for row in self.env.cr.fetchall()])
        contracts.invalidate_recordset(["renewal_activity_date", "write_date", "write_uid"])
        contracts._renewal_schedule_activities(activity_type, today_by_company)
        remaining = 0
        if len(contracts) >= batch_size:  # a full batch: more may wait
            self.env.cr.execute(SQL("SELECT count(*) FROM (%s) due", due))
            remaining = self.env.cr.fetchone()[0]
        return len(contracts), remaining

    def _renewal_schedule_activities(self, activity_type, today_by_company):
        """One "Renew the contract" activity per version for its salesperson, due the
        renewal days before the end (today when that day has passed), in one create."""
        model_id = self.env["ir.model"]._get_id(self._name)
        summaries = {}

        def summary(user):
            if user.lang not in summaries:
                summaries[user.lang] = self.with_context(lang=user.lang).env._("Renew the contract")
            return summaries[user.lang]

        values = []
        for contract in self.filtered("user_id"):
            company = contract.company_id
            today = today_by_company[company]
            notice = fields.Date.subtract(
                contract.date_end, days=company.sudo().contract_renewal_days
            )
            values.append(
                {
                    "res_model_id": model_id,
                    "res_model": self._name,
                    "res_id": contract.id,
                    "res_name": contract.display_name,
                    "activity_type_id": activity_type.id,
                    "summary": summary(contract.user_id),
                    "user_id": contract.user_id.id,
                    "date_deadline": max(notice, today),
                    "automated": True,
                    "active": True,
                    "date_done": False,
                    "user_tz": contract.user_id.tz,
                }
            )
        # no e-mail per activity: a batch would flood the reps; the activity shows in their
        # to-do list, on the contract and in My day
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            values
        )

    # ------------------------------------------------------------------
    # Expiry
    # ------------------------------------------------------------------
    @api.model
    def _renewal_expire_batch(self, batch_size=RENEWAL_BATCH, today_by_company=None):
        """Expire one batch of versions in force whose end date has passed (in their
        company's day). Returns (done, remaining). Idempotent (an expired version is no
        longer in force) and safe with several workers (``FOR UPDATE SKIP LOCKED``)."""
        today_by_company = today_by_company or self._renewal_companies_today()
        passed = SQL(
            """
            SELECT c.id FROM sales_contract c
              JOIN (VALUES %(today)s) AS t(company_id, today) ON t.company_id = c.company_id
             WHERE c.is_head AND c.state IN %(in_force)s AND c.date_end < t.today
            """,
            today=SQL(", ").join(
                SQL("(%s, %s::date)", company.id, day) for company, day in today_by_company.items()
            ),
            in_force=IN_FORCE_STATES,
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL("%s ORDER BY c.id LIMIT %s FOR UPDATE OF c SKIP LOCKED", passed, batch_size)
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        contracts = self.sudo().browse(ids).with_context(tracking_disable=True)
        if contracts:
            contracts._flow_write({"state": "expired"})
            # one batch of notes, not a tracking message per contract
            contracts._message_log_batch(
                bodies={
                    contract.id: self.env._(
                        "Expired: its end date, %s, has passed.", contract.date_end
                    )
                    for contract in contracts
                }
            )
        remaining = 0
        if len(ids) >= batch_size:
            self.env.cr.execute(SQL("SELECT count(*) FROM (%s) passed", passed))
            remaining = self.env.cr.fetchone()[0]
        return len(ids), remaining

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _contract_renewal_step(self, batch_size=RENEWAL_BATCH, today_by_company=None):
        """One step of the daily run: one batch of expiries, one of renewal reminders.
        Returns (done, remaining)."""
        today_by_company = today_by_company or self._renewal_companies_today()
        expired, to_expire = self._renewal_expire_batch(batch_size, today_by_company)
        reminded, to_remind = self._renewal_remind_batch(batch_size, today_by_company)
        return expired + reminded, to_expire + to_remind

    @api.model
    def _cron_contract_renewal(self):
        """Daily cron: expire the contracts whose end has passed and remind the salespeople
        of those to renew, one batch per run; the cron runner commits it and runs again at
        once while contracts remain."""
        batch_size = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_assistant.contract_renewal_batch", RENEWAL_BATCH)
        )
        done = remaining = 0
        try:
            # another worker may have changed some of these contracts since this
            # transaction began: PostgreSQL refuses to lock them (serialization failure).
            # Stop here instead of failing: the next run, or the other worker, takes them.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                done, remaining = self.sudo()._contract_renewal_step(batch_size or RENEWAL_BATCH)
        except psycopg2.errors.SerializationFailure:
            self.env.invalidate_all()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _contract_renewal_run(self, batch_size=RENEWAL_BATCH, today_by_company=None):
        """The whole daily run in the current transaction (scripts, tests, benchmark).
        Returns the number of contracts expired or reminded."""
        return run_batches(self.sudo()._contract_renewal_step, batch_size, today_by_company)

    # ------------------------------------------------------------------
    # Renewing closes the reminder
    # ------------------------------------------------------------------
    def action_renew(self):
        action = super().action_renew()
        self.root_id.version_ids.sudo().activity_feedback(
            [RENEWAL_ACTIVITY_TYPE], feedback=self.env._("Renewal drafted.")
        )
        return action
