from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, mute_logger
from odoo.tools.mail import generate_tracking_message_id

from ..tools.batches import run_batches


class ResPartner(models.Model):
    """The public pool (公海): the customers without owner, claim and release, and the job
    that releases customers without follow-up after telling their owner."""

    _inherit = "res.partner"

    compliance_in_pool = fields.Boolean(
        string="In Public Pool", compute="_compute_compliance_in_pool", search="_search_in_pool"
    )

    @api.model
    def _compliance_pool_domain(self):
        return expression.AND([self._compliance_customer_domain(), [("user_id", "=", False)]])

    @api.depends(
        "user_id", "parent_id", "is_company", "partner_share", "customer_rank", "supplier_rank"
    )
    def _compute_compliance_in_pool(self):
        pool = self.sudo().filtered_domain(self._compliance_pool_domain())
        for partner in self:
            partner.compliance_in_pool = partner in pool

    def _search_in_pool(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the public pool."))
        pool = self._compliance_pool_domain()
        if (operator == "=") == value:
            return pool
        return ["!", *expression.normalize_domain(pool)]

    def action_compliance_claim(self):
        for partner in self:
            partner._compliance_claim(self.env.user)
        return True

    def _compliance_claim(self, user):
        """Make ``user`` the owner of this pool customer.

        Concurrency: the partner row is locked with ``FOR UPDATE NOWAIT`` and its owner
        read from the database, so of two simultaneous claims exactly one wins; the
        claimer's row is locked too (see ``_compliance_guard_cap``).
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        cr = self.env.cr
        partner.flush_recordset(["user_id"])
        try:
            # a lock refused is an expected answer here, not a bad query to log (as Odoo does)
            with mute_logger("odoo.sql_db"), cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        "SELECT user_id FROM res_partner WHERE id = %s FOR UPDATE NOWAIT",
                        partner.id,
                    )
                )
                owner_id = cr.fetchone()[0]
        except psycopg2.errors.LockNotAvailable as exc:
            raise UserError(
                self.env._(
                    "%s is being claimed or changed by someone else right now.", partner.name
                )
            ) from exc
        partner.invalidate_recordset(["user_id"])
        if owner_id:
            owner = self.env["res.users"].sudo().browse(owner_id)
            raise UserError(
                self.env._(
                    "%(partner)s already belongs to %(owner)s.",
                    partner=partner.name,
                    owner=owner.name,
                )
            )
        if not partner.sudo().filtered_domain(self._compliance_customer_domain()):
            raise UserError(self.env._("%s is not a customer of the public pool.", partner.name))
        partner._compliance_assign(user, "claim", check_limits=True)

    def action_compliance_release(self):
        """Give the customer back to the pool (its owner, team leader or an officer)."""
        officer = self._compliance_can_assign()
        partners = self.commercial_partner_id
        # the teams the current user leads, once: no query per customer
        led_users = self.env.user._sales_self_and_team_members()
        for partner in partners:
            if not partner.user_id:
                raise UserError(self.env._("%s is already in the public pool.", partner.name))
            allowed = officer or partner.user_id in led_users
            if not allowed:
                raise UserError(
                    self.env._(
                        "Only the owner, their team leader or an officer can release %s.",
                        partner.name,
                    )
                )
        partners._compliance_assign(False, "release")
        return True

    compliance_release_notice_sent = fields.Datetime(
        string="Release Notice Sent",
        readonly=True,
        copy=False,
        help="When the owner was last told that the customer goes back to the pool.",
    )

    @api.model
    def _compliance_follow_ups(self, since, since_day, today):
        """SQL conditions on ``p``, one per kind of follow-up of an owned customer at or
        after ``since`` (the UTC start of the company's day ``since_day``): created
        then, given its owner then (claim, assignment: the clock starts no earlier than
        the claim), an order, a lead or an activity done since, or an open activity due
        within the window (from ``since_day`` to ``today``). An activity scheduled
        years ahead, or a done activity dated ahead, is no follow-up: it would keep
        the customer out of the pool for ever."""
        return [
            SQL("p.create_date >= %s", since),
            SQL(
                """EXISTS (
                    SELECT 1 FROM sales_compliance_ownership_log ol
                     WHERE ol.partner_id = p.id AND ol.new_user_id = p.user_id
                       AND ol.date >= %s)""",
                since,
            ),
            SQL(
                """EXISTS (
                    SELECT 1 FROM sale_order so
                      JOIN res_partner c ON c.id = so.partner_id
                     WHERE c.commercial_partner_id = p.id AND so.write_date >= %s)""",
                since,
            ),
            SQL(
                """EXISTS (
                    SELECT 1 FROM crm_lead l
                      JOIN res_partner c ON c.id = l.partner_id
                     WHERE c.commercial_partner_id = p.id AND l.write_date >= %s)""",
                since,
            ),
            SQL(
                """EXISTS (
                    SELECT 1 FROM mail_activity a
                     WHERE a.res_model = 'res.partner' AND a.res_id = p.id
                       AND a.date_deadline BETWEEN %s AND %s)""",
                since_day,
                today,
            ),
            SQL(
                """EXISTS (
                    SELECT 1 FROM mail_message m
                     WHERE m.model = 'res.partner' AND m.res_id = p.id
                       AND m.mail_activity_type_id IS NOT NULL
                       AND m.date BETWEEN %s AND %s)""",
                since,
                # a message dated ahead (message_post takes a date) is no follow-up done
                fields.Datetime.now(),
            ),
        ]

    @api.model
    def _compliance_stale_owner_query(self, limit=None, lock=False, partner_ids=None, notice=False):
        """Owned customers without follow-up for the release days (``notice``: that
        reach them within the notice days and whose owner was not told yet in this
        cycle, i.e. since the last follow-up)."""
        release_days = self._compliance_param("release_days", 90)
        notice_days = self._compliance_param("release_notice_days", 7) if notice else 0
        company = self.env.company
        today = company._sales_today()
        cutoff_day = today - timedelta(days=release_days - notice_days)
        cutoff = company._sales_utc(cutoff_day)
        if notice:
            # Told already in this cycle? A notice sent since the cutoff is of this cycle
            # (the customer had no follow-up since the cutoff). An older one is of an
            # earlier cycle, unless the release was held up (protection extended...)
            # for longer than the release days minus the notice days since the notice:
            # then the owner is told again, as a reminder.
            not_told = SQL(
                "(p.compliance_release_notice_sent IS NULL"
                " OR p.compliance_release_notice_sent < %s)",
                cutoff,
            )
        else:
            not_told = SQL("TRUE")
        customers = (
            self.sudo().with_context(active_test=False)._search(self._compliance_customer_domain())
        )
        query = SQL(
            """
            SELECT p.id FROM res_partner p
             WHERE p.user_id IS NOT NULL
               AND p.active
               AND p.id IN %(customers)s
               AND (p.compliance_protection_end IS NULL
                    OR p.compliance_protection_end < %(release_day)s)
               AND %(no_follow_up)s
               AND %(not_told)s
               AND (%(all)s OR p.id = ANY(%(ids)s))
             ORDER BY p.id
            """,
            customers=customers.subselect(),
            release_day=today + timedelta(days=notice_days),
            # NOT ... AND NOT ...: anti-joins, as fast as without the claim date
            no_follow_up=SQL(" AND ").join(
                SQL("NOT %s", follow_up)
                for follow_up in self._compliance_follow_ups(cutoff, cutoff_day, today)
            ),
            not_told=not_told,
            all=partner_ids is None,
            ids=list(partner_ids or []),
        )
        if limit:
            query = SQL("%s LIMIT %s", query, limit)
        if lock:
            query = SQL("%s FOR UPDATE OF p SKIP LOCKED", query)
        return query, release_days if not notice else (release_days and notice_days)

    @api.model
    def _compliance_stale_batch(self, batch_size, partner_ids, notice):
        """The ids of one locked batch of stale customers, and how many remain after it."""
        query, days = self._compliance_stale_owner_query(
            limit=batch_size, lock=True, partner_ids=partner_ids, notice=notice
        )
        if not days:
            return [], 0
        self.env.flush_all()
        self.env.cr.execute(query)
        return [row[0] for row in self.env.cr.fetchall()], days

    @api.model
    def _compliance_count_stale(self, partner_ids, notice):
        self.env.flush_all()
        query, _days = self._compliance_stale_owner_query(partner_ids=partner_ids, notice=notice)
        self.env.cr.execute(SQL("SELECT count(*) FROM (%s) AS stale", query))
        return self.env.cr.fetchone()[0]

    @api.model
    def _compliance_release_batch(self, batch_size=500, partner_ids=None):
        """Release one batch of customers without follow-up; return (done, remaining).

        Idempotent (a released customer no longer matches) and safe with several
        workers (``FOR UPDATE SKIP LOCKED``). ``partner_ids`` limits the candidates."""
        ids, release_days = self._compliance_stale_batch(batch_size, partner_ids, notice=False)
        if not release_days:
            return 0, 0
        if ids:
            self.browse(ids)._compliance_assign(
                False,
                "auto_release",
                note=self.env._("No follow-up for %s days", release_days),
            )
        return len(ids), self._compliance_count_stale(partner_ids, notice=False)

    @api.model
    def _compliance_notice_batch(self, batch_size=500, partner_ids=None):
        """Tell the owners of one batch of customers that reach the release within the
        notice days; return (done, remaining). Once per cycle: the notice date is
        stored, and a customer followed up after it gets a new notice when it comes
        close to the release again.

        A message to the owner, not an activity: an open activity counts as follow-up
        and would keep the customer from ever being released."""
        ids, notice_days = self._compliance_stale_batch(batch_size, partner_ids, notice=True)
        if not notice_days:
            return 0, 0
        partners = self.browse(ids).sudo()
        partners._compliance_prefetch_contacts()
        partners.write({"compliance_release_notice_sent": fields.Datetime.now()})
        partners._compliance_tell_owners(notice_days)
        return len(ids), self._compliance_count_stale(partner_ids, notice=True)

    def _compliance_tell_owners(self, notice_days):
        """Tell each customer's owner that it goes back to the pool within ``notice_days``:
        a note in the customer's chatter addressed to the owner, who is notified as they
        chose (their inbox, or an e-mail). The notes, e-mails and notifications of the whole
        batch are each created at once, as Odoo's ``_message_log_batch`` does: the queries
        do not grow with the customers (a ``message_post`` costs a dozen of each)."""
        author = self.env.user.partner_id
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=author.email_formatted)
        common = {
            "model": self._name,
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "author_id": author.id,
            "email_from": author.email_formatted,
            "reply_to": reply_to[False],
            "email_add_signature": False,
        }
        notes, told = [], []
        for lang, of_lang in self.grouped(lambda p: p.user_id.lang or "en_US").items():
            for partner in of_lang.with_context(lang=lang):
                owner = partner.user_id
                company = partner.company_id or self.env.company
                notes.append(
                    dict(
                        common,
                        res_id=partner.id,
                        body=Markup("<p>%s</p>")
                        % partner.env._(
                            "%(partner)s has had no follow-up (activity, lead or order) for a "
                            "while: it goes back to the public pool within %(days)s days unless "
                            "%(owner)s follows it up.",
                            partner=partner.name,
                            days=notice_days,
                            owner=owner.name,
                        ),
                        subject=partner.display_name,
                        record_name=partner.display_name,
                        record_company_id=company.id,
                        record_alias_domain_id=company.alias_domain_id.id,
                        message_id=generate_tracking_message_id(f"{partner.id}-res.partner"),
                        partner_ids=owner.partner_id.ids,
                    )
                )
                told.append(partner)
        messages = self.env["mail.message"].sudo().create(notes)
        # as ``message_post``: nobody is notified of their own message
        notified = [
            (message, partner)
            for message, partner in zip(messages, told, strict=True)
            if partner.user_id.partner_id != author
        ]
        # the owners who read their notifications by e-mail: the note in the light layout
        # of Odoo's mail templates, in the owner's language
        sent = (
            self.env["mail.mail"]
            .sudo()
            .create(
                [
                    {
                        "mail_message_id": message.id,
                        "body_html": partner.env["mail.render.mixin"]._render_encapsulate(
                            "mail.mail_notification_light",
                            message.body,
                            add_context={"message": message},
                            context_record=partner,
                        ),
                        "recipient_ids": message.partner_ids.ids,
                        "is_notification": True,
                        "auto_delete": True,
                    }
                    for message, partner in notified
                    if partner.user_id.notification_type == "email"
                ]
            )
        )
        if sent:
            # sent now, as ``message_post`` does, not at the queue's next hourly run
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        mail_of = {mail.mail_message_id.id: mail.id for mail in sent}
        self.env["mail.notification"].sudo().create(
            [
                {
                    "author_id": author.id,
                    "mail_message_id": message.id,
                    "res_partner_id": message.partner_ids.id,
                    "mail_mail_id": mail_of.get(message.id, False),
                    "notification_type": "email" if message.id in mail_of else "inbox",
                    "notification_status": "ready" if message.id in mail_of else "sent",
                    "is_read": message.id in mail_of,
                }
                for message, _partner in notified
            ]
        )

    @api.model
    def _cron_compliance_release(self):
        """Cron: tell the owners of the customers about to be released, then release
        one batch; report progress so that the cron reruns at once while customers
        remain (each batch is committed by the cron runner)."""
        batch_size = self._compliance_param("release_batch_size", 500) or 500
        told = to_tell = done = remaining = 0
        try:
            # Another worker (a twin run, a user following a customer up) may have changed
            # some of these customers since this transaction began: PostgreSQL then refuses
            # to lock them (serialization failure). Stop here instead of failing (Odoo
            # deactivates a failing cron): the next run, or the twin, takes them.
            with mute_logger("odoo.sql_db"):
                with self.env.cr.savepoint():
                    told, to_tell = self._compliance_notice_batch(batch_size)
                with self.env.cr.savepoint():
                    done, remaining = self._compliance_release_batch(batch_size)
        except psycopg2.errors.SerializationFailure:
            self.env.invalidate_all()
        self.env["ir.cron"]._notify_progress(done=told + done, remaining=to_tell + remaining)

    @api.model
    def _compliance_release_stale_owners(self, batch_size=500, partner_ids=None):
        """Release every customer without follow-up, batch after batch, in the current
        transaction (scripts, benchmark). Returns the number released."""
        return run_batches(self._compliance_release_batch, batch_size, partner_ids)
