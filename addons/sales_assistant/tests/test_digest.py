import json
from datetime import datetime
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import MyDayCase


@tagged("post_install", "-at_install")
class TestMorningDigest(MyDayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("sales_assistant.digest_hour", 7)
        cls.env["ir.config_parameter"].set_param("sales_assistant.digest_enabled", "True")
        cls.rep.tz = "Asia/Shanghai"  # UTC+8
        # the others live in UTC, whatever the company's timezone (their day without one)
        (cls.rep_2 | cls.leader | cls.other_rep | cls.manager).tz = "UTC"
        cls.rep.email = "rep.wang@example.com"
        lead = cls.make_lead(cls.rep, cls.stage_bidding, "Valve retrofit")
        cls.make_activity(lead, cls.rep, cls.call_type, days=-1, summary="Call back")
        cls.Digest = cls.env["sales.assistant.digest"]
        # only our people: others in the database are not part of these tests
        cls.others = cls.env["res.users"].search(
            [("id", "not in", (cls.rep | cls.rep_2 | cls.leader | cls.other_rep | cls.manager).ids)]
        )

    def send(self, now):
        with self.patch_due_users():
            return self.Digest._send_digests(batch_size=2, now=now)

    def patch_due_users(self):
        """Leave out the users of the database (demo, admin) that these tests did not make."""
        original = type(self.Digest)._digest_due
        others = set(self.others.ids)

        def _digest_due(model, now=None):
            return [due for due in original(model, now) if due[0] not in others]

        return patch.object(type(self.Digest), "_digest_due", _digest_due)

    def mails_to(self, user):
        return self.env["mail.mail"].search([("email_to", "ilike", user.email)])

    def bot_messages_to(self, user):
        channel = self.env["discuss.channel"].search(
            [
                ("channel_type", "=", "chat"),
                ("channel_member_ids.partner_id", "=", user.partner_id.id),
                ("channel_member_ids.partner_id", "=", self.env.ref("base.partner_root").id),
            ]
        )
        self.assertLessEqual(len(channel), 1, "one chat with OdooBot")
        return channel.message_ids

    def test_sent_at_the_local_hour_once_a_day(self):
        # 06:30 in Shanghai: too early
        self.send(datetime(2026, 3, 2, 22, 30))
        self.assertFalse(self.Digest.search([("user_id", "=", self.rep.id)]))
        # 07:30 in Shanghai, still 23:30 of the day before in UTC
        self.send(datetime(2026, 3, 2, 23, 30))
        digest = self.Digest.search([("user_id", "=", self.rep.id)])
        self.assertEqual(len(digest), 1)
        self.assertEqual(str(digest.digest_date), "2026-03-03")
        self.assertTrue(digest.sent)
        self.assertEqual(digest.item_count, 2)  # the late call, the lead behind on visits
        mail = self.mails_to(self.rep)
        self.assertEqual(len(mail), 1)
        self.assertIn("Valve retrofit", mail.body_html)
        self.assertIn("Call back", mail.body_html)
        messages = self.bot_messages_to(self.rep)
        self.assertEqual(len(messages), 1)
        self.assertIn("Valve retrofit", messages.body)
        # the cron again, later the same local day: nothing more
        self.send(datetime(2026, 3, 3, 4, 0))
        self.assertEqual(self.Digest.search_count([("user_id", "=", self.rep.id)]), 1)
        self.assertEqual(len(self.mails_to(self.rep)), 1)
        self.assertEqual(len(self.bot_messages_to(self.rep)), 1)
        # the next local day: the next digest
        self.send(datetime(2026, 3, 3, 23, 30))
        self.assertEqual(self.Digest.search_count([("user_id", "=", self.rep.id)]), 2)
        self.assertEqual(len(self.mails_to(self.rep)), 2)
        self.assertEqual(len(self.bot_messages_to(self.rep)), 2, "in the same chat with OdooBot")

    def test_a_second_worker_sends_nothing(self):
        """The (user, day) row is claimed before sending: a worker that finds it sends
        nothing, and the database refuses a second row."""
        now = datetime(2026, 3, 2, 23, 30)
        self.Digest.create({"user_id": self.rep.id, "digest_date": "2026-03-03"})
        self.send(now)
        self.assertFalse(self.mails_to(self.rep))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.Digest.create({"user_id": self.rep.id, "digest_date": "2026-03-03"})

    def test_nothing_to_report_nothing_sent(self):
        self.rep_2.email = "rep.zhao@example.com"
        self.send(datetime(2026, 3, 3, 9, 0))
        digest = self.Digest.search([("user_id", "=", self.rep_2.id)])
        self.assertEqual(len(digest), 1)
        self.assertFalse(digest.sent)
        self.assertFalse(self.mails_to(self.rep_2))

    def test_disabled_digest_and_bad_hour(self):
        admin = new_test_user(
            self.env, login="myday_admin", groups="base.group_system,sales_team.group_sale_manager"
        )
        settings = self.env["res.config.settings"].with_user(admin)
        settings.create({"sales_assistant_digest_enabled": False}).execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("sales_assistant.digest_enabled"), "False"
        )
        self.assertFalse(settings.create({}).sales_assistant_digest_enabled)
        self.send(datetime(2026, 3, 3, 9, 0))
        self.assertFalse(self.Digest.search([]))
        with self.assertRaises(ValidationError):
            settings.create({"sales_assistant_digest_hour": 24})
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("sales_assistant.digest_hour"), "7"
        )

    def test_rep_reads_only_their_own_digests(self):
        self.send(datetime(2026, 3, 3, 9, 0))
        own = self.Digest.with_user(self.rep).search([])
        self.assertEqual(own.user_id, self.rep)
        self.assertEqual(
            self.Digest.with_user(self.manager).search([]).user_id,
            self.rep | self.rep_2 | self.leader | self.other_rep | self.manager,
        )

    def test_digest_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_assistant"], ["zh_CN"], overwrite=True
        )
        self.rep.lang = "zh_CN"
        self.send(datetime(2026, 3, 2, 23, 30))
        mail = self.mails_to(self.rep)
        self.assertIn("您的今日工作", mail.subject)
        self.assertIn("今日及逾期活动", mail.body_html)
        self.assertIn("拜访不足的商机", mail.body_html)

    def test_the_rep_finds_the_digest_unread_in_their_odoobot_chat(self):
        """Posted with the batch, the message is what ``message_post`` would show the rep:
        from OdooBot, in their chat with OdooBot, unread, the chat on top, live on the bus."""
        self.send(datetime(2026, 3, 2, 23, 30))
        bot = self.env.ref("base.partner_root")
        Channel = self.env["discuss.channel"].with_user(self.rep)
        chat = Channel.search(
            [("channel_type", "=", "chat"), ("channel_member_ids.partner_id", "=", bot.id)]
        )
        self.assertEqual(len(chat), 1)
        message = (
            self.env["mail.message"]
            .with_user(self.rep)
            .search([("model", "=", "discuss.channel"), ("res_id", "=", chat.id)])
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, bot)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertTrue(message.subject.startswith("Your day: "))
        self.assertEqual(message.subject, self.mails_to(self.rep).subject)
        self.assertIn("Valve retrofit", message.body)
        self.assertIn("Call back", message.body)
        member = (
            self.env["discuss.channel.member"]
            .with_user(self.rep)
            .search([("channel_id", "=", chat.id), ("is_self", "=", True)])
        )
        self.assertEqual(member.message_unread_counter, 1)
        self.assertTrue(member.is_pinned)
        self.assertGreaterEqual(chat.last_interest_dt, message.create_date)
        bot_member = chat.channel_member_ids.filtered(lambda m: m.partner_id == bot)
        self.assertEqual(bot_member.seen_message_id, message, "OdooBot has read its own message")
        live = (
            self.env["bus.bus"]
            .sudo()
            .search(
                [
                    (
                        "channel",
                        "=",
                        json.dumps(
                            [self.env.cr.dbname, "discuss.channel", chat.id], separators=(",", ":")
                        ),
                    )
                ]
            )
        )
        new_message = [json.loads(n.message) for n in live]
        new_message = [n for n in new_message if n["type"] == "discuss.channel/new_message"]
        self.assertEqual(len(new_message), 1)
        self.assertEqual(new_message[0]["payload"]["id"], chat.id)
        posted = new_message[0]["payload"]["data"]["mail.message"]
        self.assertEqual([m["id"] for m in posted], message.ids)
        self.assertIn("Valve retrofit", str(posted[0]["body"]))

    def test_one_broken_digest_loses_none_of_the_others(self):
        """The batch is sent together; when it fails, each digest is sent apart: the broken
        one stays unsent, the others go out."""
        for rep in (self.rep_2, self.leader):
            lead = self.make_lead(rep, self.stage_bidding, f"Boiler of {rep.name}")
            self.make_activity(lead, rep, self.call_type, days=-1, summary="Call back")
        Digest = type(self.Digest)
        original = Digest._digest_render

        def _digest_render(digest, user, data, base_url):
            if user == self.rep_2:
                raise ValueError("a template broken for this person")
            return original(digest, user, data, base_url)

        with (
            patch.object(Digest, "_digest_render", _digest_render),
            mute_logger("odoo.addons.sales_assistant.models.sales_assistant_digest"),
        ):
            with self.patch_due_users():
                self.Digest._send_digests(batch_size=10, now=datetime(2026, 3, 3, 9, 0))
        digests = {d.user_id: d for d in self.Digest.search([])}
        self.assertFalse(digests[self.rep_2].sent)
        self.assertFalse(self.bot_messages_to(self.rep_2))
        for person in (self.rep, self.leader):
            self.assertTrue(digests[person].sent)
            self.assertEqual(len(self.bot_messages_to(person)), 1)
        self.assertEqual(len(self.mails_to(self.rep)), 1)
