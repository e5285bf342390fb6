import logging
import socket

import requests

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RpcError, call_kw
from .common_robots import DINGTALK_SECRET, WECOM_URL, RobotCase

_logger = logging.getLogger("odoo.addons.sales_compliance.robots")


@tagged("post_install", "-at_install")
class TestRobotConfig(RobotCase):
    """An admin configures robots; bad settings are refused with nothing written."""

    def test_a_robot_url_that_is_not_http_is_refused(self):
        robots = self.Robot.search_count([])
        for url in (
            "ftp://qyapi.weixin.qq.com/send?key=1",
            "javascript:alert(1)",
            "qyapi.weixin.qq.com/cgi-bin/webhook/send",
            "https://",
        ):
            with self.assertRefused(ValidationError, "must be an http:// or https:// address"):
                self._robot("Bad", "wecom", url)
            with self.assertRefused(ValidationError, "must be an http:// or https:// address"):
                self.wecom.with_user(self.admin).write({"url": url})
        self.assertEqual(self.Robot.search_count([]), robots)
        self.assertEqual(self.wecom.url, WECOM_URL)

    def test_the_refusal_of_a_url_never_repeats_it(self):
        with self.assertRaises(ValidationError) as caught:
            self._robot("Bad", "wecom", "ftp://host/send?key=topsecret")
        self.assertNotIn("topsecret", str(caught.exception))

    def test_a_company_may_relay_through_its_own_proxy(self):
        robot = self._robot(
            "Proxied", "dingtalk", "http://relay.intra:8080/dingtalk?access_token=x"
        )
        self.assertEqual(robot.kind, "dingtalk")

    def test_a_robot_on_a_team_of_another_company_is_refused(self):
        robots = self.Robot.search_count([])
        with self.assertRefused(ValidationError, "belongs to Company B.*Choose a team"):
            self._robot("Cross", "wecom", WECOM_URL, team=self.team_b, company=self.company)
        with self.assertRefused(ValidationError, "Choose a team of the robot's company"):
            self.wecom.with_user(self.admin).write({"team_id": self.team_b.id})
        with self.assertRefused(ValidationError, "Choose a team of the robot's company"):
            self.wecom.with_user(self.admin).write({"company_id": self.company_b.id})
        self.assertEqual(self.Robot.search_count([]), robots)
        self.assertEqual((self.wecom.team_id, self.wecom.company_id), (self.team, self.company))

    def test_a_dingtalk_secret_must_look_like_dingtalk_s(self):
        with self.assertRefused(ValidationError, 'must start with "SEC"'):
            self.dingtalk.with_user(self.admin).write({"secret": "0123456789"})
        self.assertEqual(self.dingtalk.secret, DINGTALK_SECRET)
        with self.assertRefused(ValidationError, 'must start with "SEC"'):
            self.wecom.with_user(self.admin).write({"kind": "dingtalk", "secret": "abc"})
        self.assertEqual(self.wecom.kind, "wecom")
        # no secret: an unsigned DingTalk robot (keyword or IP security) is fine
        self.dingtalk.with_user(self.admin).write({"secret": False})

    def test_a_rate_limit_below_one_is_refused(self):
        for limit in (0, -5):
            with self.assertRefused(ValidationError, "at least one message per minute"):
                self.wecom.with_user(self.admin).write({"rate_limit": limit})
        self.assertEqual(self.wecom.rate_limit, 20)

    def test_the_chatter_never_holds_the_url_or_the_secret(self):
        admin_env = self.env(user=self.admin, context={"tracking_disable": False})
        robot = admin_env["sales.robot"].create(
            {"name": "Tracked", "kind": "dingtalk", "url": WECOM_URL, "secret": DINGTALK_SECRET}
        )
        self.env.cr.precommit.run()  # saved: later changes are tracked
        robot.write(
            {
                "name": "Tracked again",
                "url": "https://oapi.dingtalk.com/robot/send?access_token=new-token-77",
                "secret": "SECnewsecret77",
                "rate_limit": 10,
            }
        )
        robot.action_pause()
        self.env.cr.precommit.run()  # the tracking is written before the commit
        messages = robot.sudo().message_ids
        self.assertTrue(messages.tracking_value_ids, "the name and state are tracked")
        dump = " ".join(
            str(value)
            for message in messages
            for value in [message.body, *message.tracking_value_ids.read()]
        )
        for secret in ("wecom-key-0001", "new-token-77", DINGTALK_SECRET, "SECnewsecret77"):
            self.assertNotIn(secret, dump)

    def test_an_error_of_a_failed_send_holds_no_secret(self):
        # a real failure: the port is closed; requests puts the whole URL in its error
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        url = f"http://127.0.0.1:{port}/robot/send?access_token=leaky-token-42"
        robot = self._robot("Down", "dingtalk", url, secret="SECleakysecret42")
        signed = robot._dingtalk_signed_url(robot.url, robot.secret)
        with self.assertRaises(requests.RequestException) as caught:
            requests.post(signed, json={}, timeout=2)
        self.assertIn("leaky-token-42", str(caught.exception))
        with self.assertLogs("odoo.addons.sales_compliance.robots", "WARNING") as logs:
            _logger.warning("robot %s: %s", robot.id, robot._redact(caught.exception))
        error = robot._redact(caught.exception)
        for text in (error, "\n".join(logs.output)):
            self.assertNotIn("leaky-token-42", text)
            self.assertNotIn("SECleakysecret42", text)
            self.assertNotRegex(text, r"sign=[^*]")
            self.assertIn("127.0.0.1", text)

    def test_the_sending_state_is_written_by_the_flow_only(self):
        with self.assertRefused(UserError, "follow its sending"):
            self.wecom.with_user(self.admin).write({"failure_count": 0, "state": "paused"})
        with self.assertRefused(UserError, "follow its sending"):
            self._robot("Fake", "wecom", WECOM_URL, last_error="all good")
        self.wecom.with_user(self.admin).action_pause()
        self.assertEqual(self.wecom.state, "paused")
        with self.assertRefused(UserError, "follow its sending"):
            self.wecom.with_user(self.admin).with_context(sales_robot_flow=True).write(
                {"state": "active"}
            )
        self.wecom.with_user(self.admin)._flow_write({"failure_count": 5})
        self.wecom.sudo().write({"last_error": "HTTP 500"})  # the outbox's cron
        self.wecom.with_user(self.admin).action_resume()
        self.assertEqual((self.wecom.state, self.wecom.failure_count), ("active", 0))
        self.assertEqual(self.wecom.last_error, "HTTP 500")

    def test_the_form_and_the_menu_are_the_admins(self):
        views = self.Robot.with_user(self.admin).get_views([(False, "form"), (False, "list")])
        arch = views["views"]["form"]["arch"]
        for part in (
            'name="events"',
            "action_send_test",
            'name="message_ids_outbox"',
            'name="last_error"',
            'name="failure_count"',
        ):
            self.assertIn(part, arch)
        menu = self.env.ref("sales_compliance.menu_sales_robot")
        # menus are searched as the user sees them: filtered by their groups
        self.assertEqual(menu.with_user(self.admin).search([("id", "=", menu.id)]), menu)
        self.assertFalse(menu.with_user(self.manager).search([("id", "=", menu.id)]))

    def test_a_test_message_is_queued_in_the_robot_s_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.dingtalk.with_user(self.admin).lang = "zh_CN"
        action = self.dingtalk.with_user(self.admin).action_send_test()
        self.assertEqual(action["tag"], "display_notification")
        message = self.Message.search([("robot_id", "=", self.dingtalk.id)])
        self.assertEqual((message.event, message.state), ("test", "queued"))
        self.assertIn("East DingTalk", message.body)

    def test_a_sales_manager_cannot_configure_nor_use_robots(self):
        with self.assertRefused(AccessError, "Only administrators manage the group robots"):
            self.wecom.with_user(self.manager).action_send_test()
        with self.assertRefused(AccessError, "Only administrators manage the group robots"):
            self.wecom.with_user(self.manager).action_pause()
        with self.assertRefused(AccessError, "not allowed to create"):
            self.Robot.with_user(self.manager).create(
                {"name": "Mine", "kind": "wecom", "url": WECOM_URL}
            )
        self.assertFalse(self.Message.search([]))
        self.assertEqual(self.wecom.state, "active")

    def test_an_admin_restricted_to_a_company_sees_its_robots_only(self):
        robot_b = self._robot("B's robot", "wecom", WECOM_URL, team=self.team_b)
        self._message(robot_b)
        self._message(self.wecom)
        as_a = self.Robot.with_user(self.admin).with_context(allowed_company_ids=self.company.ids)
        self.assertNotIn(robot_b, as_a.search([]))
        self.assertIn(self.wecom, as_a.search([]))
        outbox = (
            self.env["sales.robot.message"]
            .with_user(self.admin)
            .with_context(allowed_company_ids=self.company.ids)
        )
        self.assertEqual(outbox.search([]).robot_id, self.wecom)
        with self.assertRefused(AccessError, "."):
            robot_b.with_user(self.admin).with_context(
                allowed_company_ids=self.company.ids
            ).action_send_test()
        as_b = self.Robot.with_user(self.admin).with_context(allowed_company_ids=self.company_b.ids)
        self.assertEqual(as_b.search([]), robot_b)

    def test_the_message_language_follows_robot_then_leader_then_company(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "en_US"
        self.leader.lang = "zh_CN"
        self.assertEqual(self.wecom._message_lang(), "zh_CN")
        self.wecom.with_user(self.admin).lang = "en_US"
        self.assertEqual(self.wecom._message_lang(), "en_US")
        self.assertEqual(self.webhook._message_lang(), "en_US")
        self.company.partner_id.lang = "zh_CN"
        self.assertEqual(self.webhook._message_lang(), "zh_CN")

    def test_push_renders_each_robot_s_message_in_its_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.wecom.with_user(self.admin).lang = "zh_CN"
        self.dingtalk.with_user(self.admin).lang = "en_US"

        def render(env):
            return env._("Approve: %s", "SO042"), f"lang {env.lang}"

        queued = self.Robot._push(
            "approvals", "approval-1-step-1", render, team=self.team, mention_users=self.rep
        )
        self.assertEqual(queued.robot_id, self.wecom | self.dingtalk)
        by_robot = {m.robot_id: m for m in queued}
        self.assertEqual(by_robot[self.wecom].title, "审批:SO042")
        self.assertEqual(by_robot[self.wecom].body, "lang zh_CN")
        self.assertEqual(by_robot[self.dingtalk].title, "Approve: SO042")
        self.assertEqual(by_robot[self.wecom].mention_mobiles, "13800000001")
        # pushed again (a retried transaction): nothing new
        self.assertFalse(self.Robot._push("approvals", "approval-1-step-1", render, team=self.team))

    def test_a_team_without_robots_falls_back_to_the_company_s(self):
        other = self.env["crm.team"].create({"name": "No robot", "company_id": self.company.id})
        self.assertEqual(self.Robot._robots_for("approvals", team=other), self.webhook)
        self.wecom.with_user(self.admin).push_approvals = False
        self.assertEqual(self.Robot._robots_for("approvals", team=self.team), self.dingtalk)


@tagged("post_install", "-at_install")
class TestRobotSecretsRpc(HttpCase):
    """The URL (it holds the key) and the secret, over JSON-RPC as the web client sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="robot_mgr",
            password="robot_mgr_pwd",
            groups="sales_team.group_sale_manager",
            name="Manager Ma",
        )
        cls.admin = new_test_user(
            cls.env,
            login="robot_adm",
            password="robot_adm_pwd",
            groups="base.group_system,sales_team.group_sale_manager",
            name="Admin An",
        )
        cls.robot = cls.env["sales.robot"].create(
            {"name": "Signed", "kind": "dingtalk", "url": WECOM_URL, "secret": DINGTALK_SECRET}
        )

    def test_a_sales_manager_cannot_read_the_url_or_the_secret(self):
        self.authenticate("robot_mgr", "robot_mgr_pwd")
        for method, args, kwargs in (
            ("read", [[self.robot.id], ["url", "secret"]], {}),
            ("search_read", [[]], {"fields": ["secret"]}),
            ("web_read", [[self.robot.id]], {"specification": {"secret": {}}}),
        ):
            with self.assertRaisesRegex(RpcError, "not allowed|access"):
                call_kw(self, "sales.robot", method, args, kwargs=kwargs)
        with self.assertRaisesRegex(RpcError, "not allowed|access"):
            call_kw(self, "sales.robot.message", "search_read", [[]], kwargs={"fields": ["body"]})

    def test_an_admin_reads_and_sets_them(self):
        self.authenticate("robot_adm", "robot_adm_pwd")
        (row,) = call_kw(self, "sales.robot", "read", [[self.robot.id], ["url", "secret"]])
        self.assertEqual(row["secret"], DINGTALK_SECRET)
        with self.assertRaisesRegex(RpcError, 'must start with "SEC"'):
            call_kw(self, "sales.robot", "write", [[self.robot.id], {"secret": "nope"}])
        self.assertEqual(self.robot.secret, DINGTALK_SECRET)
