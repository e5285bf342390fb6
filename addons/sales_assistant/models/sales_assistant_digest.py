import logging

import pytz

from odoo import Command, api, fields, models
from odoo.addons.sales_compliance.tools.batches import run_batches
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

DEFAULT_HOUR = 7
DEFAULT_BATCH = 50


class SalesAssistantDigest(models.Model):
    """A morning digest sent: one row per person and local day.

    The row is the lock and the record of the send. The cron inserts it before sending, with
    ``ON CONFLICT DO NOTHING`` on the unique (user, day) pair: a rerun, or a second worker
    running the cron at the same time, finds the row (or waits for the other transaction and
    then finds it) and sends nothing, so that nobody gets two digests on one day.
    """

    _name = "sales.assistant.digest"
    _description = "Morning Digest Sent"
    _order = "digest_date desc, id desc"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, readonly=True, ondelete="cascade"
    )
    digest_date = fields.Date("Day", required=True, readonly=True, help="In the user's timezone.")
    item_count = fields.Integer("Items", readonly=True)
    sent = fields.Boolean(
        readonly=True, help="Not sent when the day held nothing to report, or the sending failed."
    )

    _sql_constraints = [
        (
            "user_day_unique",
            "UNIQUE(user_id, digest_date)",
            "A person gets at most one morning digest a day.",
        )
    ]

    # ------------------------------------------------------------------
    # Who is due
    # ------------------------------------------------------------------
    @api.model
    def _digest_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        enabled = params.get_param("sales_assistant.digest_enabled", "True") not in (
            "False",
            "0",
            "",
        )
        hour = int(params.get_param("sales_assistant.digest_hour", DEFAULT_HOUR) or DEFAULT_HOUR)
        return enabled, hour

    @api.model
    def _digest_due(self, now=None):
        """``[(user_id, local day)]`` of the salespeople whose local hour has reached the
        digest hour and who got no digest on their local day yet, in two queries."""
        enabled, hour = self._digest_settings()
        if not enabled:
            return []
        now = pytz.utc.localize(now or fields.Datetime.now())
        users = (
            self.env["res.users"]
            .sudo()
            .search_fetch(
                [
                    ("groups_id", "in", self.env.ref("sales_assistant.group_assistant_user").ids),
                    ("share", "=", False),
                ],
                ["tz"],
                order="id",
            )
        )
        candidates = []
        for user in users:
            try:
                local = now.astimezone(pytz.timezone(user._sales_person_tz()))  # My day's
            except pytz.UnknownTimeZoneError:
                local = now
            if local.hour >= hour:
                candidates.append((user.id, local.date()))
        if not candidates:
            return []
        sent = {
            (row.user_id.id, row.digest_date)
            for row in self.sudo().search_fetch(
                [
                    ("user_id", "in", [user_id for user_id, _day in candidates]),
                    ("digest_date", "in", list({day for _user_id, day in candidates})),
                ],
                ["user_id", "digest_date"],
            )
        }
        return [candidate for candidate in candidates if candidate not in sent]

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_digests(self):
        """Cron (hourly): one batch of digests; the runner commits it and, while people
        remain, runs again at once (``_notify_progress``)."""
        batch_size = int(
            self.env["ir.config_parameter"].sudo().get_param("sales_assistant.digest_batch_size")
            or DEFAULT_BATCH
        )
        done, remaining = self._send_digest_batch(batch_size)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _send_digests(self, batch_size=DEFAULT_BATCH, now=None):
        """Send every due digest, batch after batch, in the current transaction (tests,
        scripts, benchmark). Returns the number of people handled."""
        return run_batches(self._send_digest_batch, batch_size, now=now)

    @api.model
    def _send_digest_batch(self, batch_size=DEFAULT_BATCH, now=None):
        """Claim and send one batch; return (done, remaining)."""
        due = self._digest_due(now)
        batch = due[:batch_size]
        if not batch:
            return 0, 0
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO sales_assistant_digest
                       (user_id, digest_date, item_count, sent,
                        create_uid, write_uid, create_date, write_date)
                SELECT v.user_id, v.day, 0, FALSE, %(uid)s, %(uid)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM (VALUES %(values)s) AS v(user_id, day)
                    ON CONFLICT (user_id, digest_date) DO NOTHING
             RETURNING id
                """,
                uid=self.env.uid,
                values=SQL(", ").join(
                    SQL("(%s::int, %s::date)", user_id, day) for user_id, day in batch
                ),
            )
        )
        claimed = self.sudo().browse([row[0] for row in rows])
        chats = claimed.user_id._sales_digest_chats()
        days = self.env["sales.assistant.day"]._my_day_data_many(claimed.user_id)
        for digest in claimed:
            digest._send(chats, days[digest.user_id.id])
        return len(batch), len(due) - len(batch)

    def _send(self, chats, data):
        """Send this claimed digest of the day ``data`` (My day's) by email and as a Discuss
        message from OdooBot, in the user's language; a failure is logged and leaves the row
        unsent (not retried today)."""
        self.ensure_one()
        user = self.user_id
        try:
            with self.env.cr.savepoint():
                self.item_count = data["count"]
                if not data["count"]:
                    return
                self._deliver(user, data, chats)
                self.sent = True
        except Exception:
            _logger.exception("Morning digest of user %s could not be sent", user.id)

    def _deliver(self, user, data, chats):
        env = self.with_context(lang=user.lang).env
        base_url = self.get_base_url()
        texts = {
            "greeting": env._(
                "Good morning %(name)s, here is your day, %(day)s.",
                name=user.name,
                day=data["today_label"],
            ),
            "team": data["team_size"]
            and env._("Your team's items are included (%s people).", data["team_size"]),
            "more": {
                section["name"]: env._("and %s more", section["count"] - len(section["records"]))
                for section in data["sections"]
                if section["count"] > len(section["records"])
            },
        }
        body = env["ir.qweb"]._render(
            "sales_assistant.my_day_digest", {"data": data, "texts": texts, "base_url": base_url}
        )
        subject = env._("Your day: %s", data["today_label"])
        root = self.env.ref("base.user_root")
        if user.email:
            env["mail.mail"].sudo().create(
                {
                    "subject": subject,
                    "body_html": body,
                    "email_from": user.company_id.partner_id.email_formatted
                    or root.email_formatted,
                    "email_to": user.email_formatted,
                    "recipient_ids": [],
                    "auto_delete": True,
                }
            )
        chats[user.partner_id.id].with_user(root).message_post(
            body=body,
            subject=subject,
            author_id=root.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )


class ResUsers(models.Model):
    _inherit = "res.users"

    def _sales_digest_chats(self):
        """The OdooBot chat of each of these users, by partner id: the existing ones in one
        query, the missing ones created together (``channel_get`` would look up, create and
        announce each one apart)."""
        root = self.env.ref("base.partner_root")
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT me.partner_id, MIN(me.channel_id)
                  FROM discuss_channel_member me
                  JOIN discuss_channel c ON c.id = me.channel_id AND c.channel_type = 'chat'
                  JOIN discuss_channel_member bot
                    ON bot.channel_id = c.id AND bot.partner_id = %(root)s
                 WHERE me.partner_id IN %(partners)s
                   AND NOT EXISTS (
                        SELECT 1 FROM discuss_channel_member other
                         WHERE other.channel_id = c.id
                           AND other.partner_id NOT IN (me.partner_id, %(root)s))
              GROUP BY me.partner_id
                """,
                root=root.id,
                partners=tuple(self.partner_id.ids) or (0,),
            )
        )
        Channel = self.env["discuss.channel"]
        chats = {partner_id: Channel.browse(channel_id) for partner_id, channel_id in rows}
        missing = self.filtered(lambda user: user.partner_id.id not in chats)
        if missing:
            # opened in one go, as ``channel_get`` opens one (OdooBot, who creates it, is added)
            now = fields.Datetime.now()
            created = Channel.with_user(self.env.ref("base.user_root")).create(
                [
                    {
                        "channel_type": "chat",
                        "name": f"{root.name}, {user.partner_id.name}",
                        "channel_member_ids": [
                            Command.create(
                                {"partner_id": user.partner_id.id, "last_interest_dt": now}
                            )
                        ],
                    }
                    for user in missing
                ]
            )
            chats.update(zip([user.partner_id.id for user in missing], created, strict=True))
        return chats
