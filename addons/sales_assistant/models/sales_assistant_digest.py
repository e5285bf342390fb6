import logging

import pytz

from odoo import Command, api, fields, models
from odoo.addons.mail.tools.discuss import Store
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
                ["tz", "company_id"],  # the timezone of My day, the company's without one
                order="id",
            )
        )
        users.mapped("tz")  # their partners' (``_sales_person_tz`` reads one user at a time)
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
        claimed._send_many(chats, days)
        return len(batch), len(due) - len(batch)

    def _send_many(self, chats, days):
        """Send these claimed digests (``days``: My day's data by user id) by email and as a
        Discuss message from OdooBot, each in its user's language, all together. When the
        batch fails, each is sent apart, so that one broken digest loses no other; a failure
        is logged and leaves that row unsent (not retried today)."""
        try:
            with self.env.cr.savepoint():
                self._record_and_deliver(chats, days)
            return
        except Exception:
            if len(self) == 1:
                _logger.exception("Morning digest of user %s could not be sent", self.user_id.id)
                return
            _logger.warning("A batch of morning digests failed: sent one by one", exc_info=True)
        for digest in self:
            digest._send_many(chats, days)

    def _record_and_deliver(self, chats, days):
        """Write each digest's item count and send those with something to report."""
        for digest in self:  # flushed in one UPDATE
            digest.item_count = days[digest.user_id.id]["count"]
        to_send = self.filtered("item_count")
        to_send._deliver_many([(d.user_id, days[d.user_id.id]) for d in to_send], chats)
        to_send.sent = True
        self.flush_recordset(["item_count", "sent"])

    def _deliver(self, user, data, chats):
        """Send ``user`` the digest of the day ``data`` (this digest's, or a preview)."""
        self._deliver_many([(user, data)], chats)

    def _deliver_many(self, people, chats):
        """Send each ``(user, My day's data)`` of ``people`` its digest: one create of all
        the e-mails, one post of all the chat messages (``_post_to_chats``)."""
        root = self.env.ref("base.user_root")
        base_url = self[:1].get_base_url()
        mails, posts = [], []
        for user, data in people:
            subject, body = self._digest_render(user, data, base_url)
            if user.email:
                mails.append(
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
            posts.append((chats[user.partner_id.id], subject, body))
        self.env["mail.mail"].sudo().create(mails)
        self._post_to_chats(posts)

    def _digest_render(self, user, data, base_url):
        """``(subject, body)`` of ``user``'s digest, in their language."""
        env = self.with_context(lang=user.lang).env
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
            "sales_assistant.my_day_digest",
            {"data": data, "texts": texts, "base_url": base_url},
        )
        return env._("Your day: %s", data["today_label"]), body

    def _post_to_chats(self, posts):
        """Post each ``(chat, subject, body)`` of ``posts`` from OdooBot, as
        ``chat.message_post`` would one by one, in queries that do not grow with the chats:
        the messages in one create; what the person sees of each (the chat back on top and
        unread, its message live on the bus, a push to their devices) and OdooBot's seen
        message, for all the chats together."""
        if not posts:
            return
        root = self.env.ref("base.user_root")
        Channel = self.env["discuss.channel"].with_user(root)
        chats = Channel.browse([chat.id for chat, _subject, _body in posts])
        author = root.partner_id
        company = Channel.env.company  # OdooBot's, as its message_post
        alias_domains = chats.sudo()._mail_get_alias_domains(default_company=company)
        companies = chats._mail_get_companies(default=company)
        reply_to = chats._notify_get_reply_to(default=author.email_formatted)
        subtype = self.env.ref("mail.mt_comment")
        values = [
            {
                "author_id": author.id,
                "email_from": author.email_formatted,
                "model": "discuss.channel",
                "res_id": chat.id,
                "body": body,
                "subject": subject,
                "message_type": "comment",
                "subtype_id": subtype.id,
                "partner_ids": [],
                "email_add_signature": True,
                "record_name": chat.sudo().display_name,
                "record_alias_domain_id": alias_domains[chat.id].id,
                "record_company_id": companies[chat.id].id,
                "reply_to": reply_to[chat.id],
            }
            for chat, (_chat, subject, body) in zip(chats, posts, strict=True)
        ]
        # message_post: the chat's last interest (back on top of the person's list, pinned)
        chats.sudo().last_interest_dt = fields.Datetime.now()
        messages = Channel._message_create(values)
        # _message_post_after_hook: OdooBot has seen its own message
        Member = self.env["discuss.channel.member"].sudo()
        bots = Member.search([("channel_id", "in", chats.ids), ("partner_id", "=", author.id)])
        bot_of = {member.channel_id.id: member for member in bots}
        now = fields.Datetime.now()
        for message in messages:
            if bot := bot_of.get(message.res_id):
                bot.write(
                    {
                        "fetched_message_id": message.id,
                        "seen_message_id": message.id,
                        "last_seen_dt": now,
                        "new_message_separator": message.id + 1,
                    }
                )
        self._notify_chats(chats, messages, values)

    def _notify_chats(self, chats, messages, values):
        """``discuss.channel._notify_thread`` of each posted message, for all the chats at
        once: the recipients are the members other than OdooBot (a chat only web-pushes),
        pushed when they have a device; the message goes to each chat's bus."""
        author = values[0]["author_id"]
        recipients = (
            self.env["discuss.channel.member"]
            .sudo()
            .search(
                [
                    ("channel_id", "in", chats.ids),
                    ("partner_id", "!=", author),
                    ("partner_id.active", "=", True),
                    ("mute_until_dt", "=", False),
                    ("partner_id.user_ids.res_users_settings_ids.mute_until_dt", "=", False),
                ]
            )
        )
        devices = (
            self.env["mail.push.device"]
            .sudo()
            .search([("partner_id", "in", recipients.partner_id.ids)])
        )
        pushed = recipients.filtered(lambda member: member.partner_id in devices.partner_id)
        for chat, message, vals in zip(chats, messages, values, strict=True):
            members = pushed.filtered(lambda member, chat=chat: member.channel_id == chat)
            if members:  # only the people with a device cost a push each
                chat._notify_thread_by_web_push(
                    message,
                    [
                        {
                            "active": True,
                            "id": member.partner_id.id,
                            "is_follower": False,
                            "groups": [],
                            "lang": member.partner_id.lang,
                            "notif": "web_push",
                            "share": member.partner_id.partner_share,
                            "type": "customer",
                            "uid": False,
                            "ushare": False,
                        }
                        for member in members
                    ],
                    msg_vals=vals,
                )
            chat._bus_send_store(chat, {"is_pinned": True}, subchannel="members")
            chat._bus_send(
                "discuss.channel/new_message",
                {"data": Store(message, msg_vals=vals).get_result(), "id": chat.id},
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
