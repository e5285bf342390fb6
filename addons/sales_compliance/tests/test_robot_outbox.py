from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RpcError, call_kw
from .common_outbox import OutboxCase
from .robot_server import refused_url


@tagged("post_install", "-at_install")
class TestRobotOutbox(OutboxCase):
    """The cron delivers the queued pushes to WeCom, DingTalk and plain webhooks as their
    published contracts want them, retries what can succeed later, stops on final errors
    and never loses nor doubles a message."""

    def test_each_service_accepts_what_the_cron_sends(self):
        wecom = self.robot("wecom")
        dingtalk = self.robot("dingtalk", kind="dingtalk")
        hook = self.robot("hook", kind="webhook")
        messages = self.queue(wecom | dingtalk | hook, users=self.manager)
        self.queue(wecom, prefix="plain")
        self.assertEqual(self.send(), 4)
        self.assertEqual(self.server.violations, [])
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        # WeCom: the mentioning message goes as markdown, then a short text that mentions
        self.assertEqual(len(self.server.sent("/wecom")), 3)
        [ding] = self.server.sent("/dingtalk")
        self.assertEqual(ding["body"]["at"]["atMobiles"], ["13800000001"])
        self.assertEqual(ding["body"]["markdown"]["title"], "Approval 0")
        wecom_bodies = [r["body"] for r in self.server.sent("/wecom")]
        self.assertIn(
            ["13800000001"],
            [b["text"].get("mentioned_mobile_list") for b in wecom_bodies if "text" in b],
        )
        [plain] = self.server.sent("/hook")
        self.assertEqual(plain["body"]["key"], "event-0")
        self.assertEqual(messages.mapped("sent_at"), [self.now] * 3)

    def test_a_503_is_retried_with_backoff_then_delivered(self):
        robot = self.robot("busy")
        message = self.queue(robot)
        self.server.script("/wecom", "503", "502")
        self.send()
        self.assertEqual(message.state, "queued")
        self.assertEqual(message.attempts, 1)
        self.assertEqual(message.next_attempt_at, self.now + timedelta(minutes=1))
        self.assertEqual((robot.failure_count, robot.last_error), (1, "HTTP 503"))
        self.send()  # not due yet: nothing goes out
        self.assertEqual(len(self.server.requests), 1)
        self.later(minutes=1)
        self.send()
        self.assertEqual((message.attempts, message.last_error), (2, "HTTP 502"))
        self.assertEqual(message.next_attempt_at, self.now + timedelta(minutes=2))
        self.later(minutes=2)
        self.send()
        self.assertEqual((message.state, message.attempts), ("sent", 3))
        self.assertEqual(robot.failure_count, 0, "a message sent resets the failures")
        self.assertEqual(len(self.server.sent()), 1)

    def test_a_timeout_is_retried_and_the_other_messages_wait_with_it(self):
        robot = self.robot("slow", kind="dingtalk")
        messages = self.queue(robot, count=3)
        self.short_timeout()
        self.server.script("/dingtalk", "timeout")
        self.send()
        self.assertEqual(messages.mapped("state"), ["queued"] * 3)
        self.assertEqual(messages[0].last_error, "No answer within 0.5 s")
        self.assertEqual(len(self.server.requests), 1, "the service is down: one try")
        self.assertEqual(set(messages.mapped("next_attempt_at")), {self.now + timedelta(minutes=1)})
        self.later(minutes=1)
        self.send()
        self.assertEqual(messages.mapped("state"), ["sent"] * 3)
        self.assertEqual(len(self.server.sent("/dingtalk")), 3)

    def test_the_service_rate_limit_answer_is_retried(self):
        robot = self.robot("freq")
        message = self.queue(robot)
        self.server.script("/wecom", 45009)
        self.send()
        self.assertEqual(
            (message.state, message.last_error), ("queued", "45009 api freq out of limit")
        )
        self.later(minutes=1)
        self.send()
        self.assertEqual(message.state, "sent")

    def test_a_service_down_loses_nothing_and_never_shows_the_key(self):
        robot = self.robot("down", url=refused_url("/wecom?key=TOPSECRETKEY"))
        messages = self.queue(robot, count=2)
        self.send()
        self.assertEqual(messages.mapped("state"), ["queued", "queued"])
        self.assertIn("Connection failed", robot.last_error)
        self.assertNotIn("TOPSECRETKEY", robot.last_error + messages[0].last_error)

    def test_attempts_end_in_failure_after_the_maximum(self):
        self.env["ir.config_parameter"].sudo().set_param("sales_compliance.robot_max_attempts", 2)
        robot = self.robot("always503")
        message = self.queue(robot)
        self.server.script("/wecom", "503", "503")
        self.send()
        self.later(minutes=1)
        self.send()
        self.assertEqual((message.state, message.attempts), ("failed", 2))

    def test_a_bad_key_fails_at_once_and_shows_on_the_robot(self):
        robot = self.robot("badkey", url=self.server.url("/wecom?key=NOT-A-KEY"))
        message = self.queue(robot)
        self.send()
        self.assertEqual((message.state, message.attempts), ("failed", 1))
        self.assertEqual(robot.last_error, "93000 invalid webhook url")
        self.assertEqual(robot.last_error_date, self.now)
        self.later(hours=1)
        self.send()
        self.assertEqual(len(self.server.requests), 1, "a final error is not retried")

    def test_a_bad_signature_fails_at_once_and_the_secret_stays_hidden(self):
        url = self.server.add_dingtalk("token-signed", "SEC-RIGHT-SECRET")
        robot = self.robot("badsign", kind="dingtalk", url=url, secret="SEC-WRONG-SECRET")
        message = self.queue(robot)
        self.send()
        self.assertEqual((message.state, message.last_error), ("failed", "310000 sign not match"))
        self.assertEqual(robot.with_user(self.admin).last_error, "310000 sign not match")
        self.assertNotIn(
            "SEC-WRONG-SECRET", message.last_error + str(robot.message_ids.mapped("body"))
        )

    def test_a_robot_failing_again_and_again_is_paused_and_the_admins_are_told(self):
        robot = self.robot("broken", url=self.server.url("/wecom?key=REVOKED"))
        robot.sudo().create_uid = self.admin
        messages = self.queue(robot, count=7)
        self.send()
        self.assertEqual(robot.state, "paused")
        self.assertEqual(messages.mapped("state"), ["failed"] * 5 + ["queued"] * 2)
        activity = self.activities(robot)
        self.assertEqual(activity.user_id, self.admin)
        self.assertIn("93000", activity.note)
        self.assertNotIn("REVOKED", activity.note + robot.message_ids[:1].body)
        self.later(hours=1)
        self.send()
        self.assertEqual(len(self.server.requests), 5, "a paused robot sends nothing")
        self.assertEqual(len(self.activities(robot)), 1, "the admins are told once")

    def test_twenty_five_messages_to_one_dingtalk_robot_twenty_go_five_wait(self):
        robot = self.robot("ding20", kind="dingtalk", rate_limit=20)
        messages = self.queue(robot, count=25)
        self.send(batch_size=7)
        self.assertEqual(len(self.server.sent("/dingtalk")), 20)
        self.assertFalse([r for r in self.server.requests if r["errcode"] == 130101])
        waiting = messages.filtered(lambda m: m.state == "queued")
        self.assertEqual(len(waiting), 5)
        self.assertEqual(set(waiting.mapped("next_attempt_at")), {self.now + timedelta(minutes=1)})
        self.later(seconds=30)
        self.send()
        self.assertEqual(len(self.server.requests), 20, "still within the minute")
        self.later(seconds=30)
        self.send()
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(self.server.violations, [])

    def test_an_event_pushed_twice_is_sent_once(self):
        robot = self.robot("once")
        render = lambda env: ("Approval", "**S00001** needs you")  # noqa: E731
        first = self.env["sales.robot"]._push("approvals", "approval-1-step-1", render)
        second = self.env["sales.robot"]._push("approvals", "approval-1-step-1", render)
        self.assertEqual((len(first), len(second)), (1, 0))
        self.send()
        self.send()
        self.assertEqual(len(self.server.requests), 1)
        self.assertEqual(first.robot_id, robot)

    def test_the_admin_retries_a_failed_message_and_cancels_a_queued_one(self):
        robot = self.robot("manual", url=self.server.url("/wecom?key=LATER"))
        failed = self.queue(robot)
        self.send()
        self.assertEqual(failed.state, "failed")
        self.server.wecom_keys.add("LATER")
        failed.with_user(self.admin).action_retry()
        queued = self.queue(robot, prefix="other")
        queued.with_user(self.admin).action_cancel()
        self.send()
        self.assertEqual((failed.state, failed.attempts), ("sent", 1))
        self.assertEqual(queued.state, "cancelled")
        self.assertEqual(len(self.server.sent()), 1)

    def test_only_admins_retry_or_cancel_and_only_in_the_right_state(self):
        robot = self.robot("guarded")
        message = self.queue(robot)
        with self.assertRefused(AccessError, "Only administrators"):
            message.with_user(self.manager).action_cancel()
        with self.assertRefused(UserError, "Only failed messages"):
            message.with_user(self.admin).action_retry()
        self.send()
        with self.assertRefused(UserError, "Only queued messages"):
            message.with_user(self.admin).action_cancel()
        self.assertEqual(message.state, "sent")

    def activities(self, robot):
        return self.env["mail.activity"].search(
            [("res_model", "=", "sales.robot"), ("res_id", "=", robot.id)]
        )

    def test_old_sent_and_cancelled_messages_leave_the_outbox_and_nothing_waiting_is_lost(self):
        robot = self.robot("history")
        old_sent, old_cancelled, old_failed, old_queued, recent_sent = (
            self.queue(robot, prefix=name)
            for name in ("old-sent", "old-cancelled", "old-failed", "old-queued", "recent")
        )
        old_sent.sudo().write({"state": "sent", "sent_at": self.now - timedelta(days=91)})
        old_cancelled.sudo().write({"state": "cancelled"})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sales_robot_message SET write_date = %s WHERE id IN %s",
            (self.now - timedelta(days=91), (old_cancelled.id, old_failed.id, old_queued.id)),
        )
        old_failed.sudo().write({"state": "failed"})
        recent_sent.sudo().write({"state": "sent", "sent_at": self.now - timedelta(days=89)})
        self.assertEqual(self.Message._cron_vacuum(), 2)
        self.assertFalse((old_sent | old_cancelled).exists())
        self.assertEqual(
            (old_failed | old_queued | recent_sent).exists(), old_failed | old_queued | recent_sent
        )
        self.assertEqual(self.Message._cron_vacuum(), 0, "a second run deletes nothing more")


@tagged("post_install", "-at_install")
class TestRobotOutboxRpc(HttpCase):
    """The outbox over JSON-RPC, as the web client calls it: a sales manager cannot cancel
    a push, and an administrator cannot write a message's state by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, login="outbox_rpc_admin", groups="base.group_system")
        cls.manager = new_test_user(
            cls.env, login="outbox_rpc_manager", groups="sales_team.group_sale_manager"
        )
        robot = cls.env["sales.robot"].create(
            {"name": "RPC robot", "kind": "webhook", "url": "http://127.0.0.1:9/hook"}
        )
        cls.message = cls.env["sales.robot.message"]._enqueue(
            robot, "approvals", "rpc-1", "Approval", "**S00001**"
        )

    def test_a_sales_manager_cannot_cancel_a_push(self):
        self.authenticate("outbox_rpc_manager", "outbox_rpc_manager")
        with self.assertRaisesRegex(RpcError, "not allowed|Only administrators"):
            call_kw(self, "sales.robot.message", "action_cancel", [self.message.ids])
        self.assertEqual(self.message.state, "queued")

    def test_an_admin_cannot_mark_a_message_sent_by_hand(self):
        self.authenticate("outbox_rpc_admin", "outbox_rpc_admin")
        with self.assertRaisesRegex(RpcError, "not allowed"):
            call_kw(self, "sales.robot.message", "write", [self.message.ids, {"state": "sent"}])
        call_kw(self, "sales.robot.message", "action_cancel", [self.message.ids])
        self.message.invalidate_recordset()
        self.assertEqual(self.message.state, "cancelled")
