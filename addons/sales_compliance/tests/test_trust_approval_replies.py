from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import RpcError, call_kw, disable_demo_rules
from .common_mail import ApprovalMailCase


@tagged("post_install", "-at_install")
class TestRepliesThatDecideNothing(ApprovalMailCase):
    """A reply that may not decide changes nothing, and its sender is told why."""

    def assertNothingDecided(self, approval, sender, reason):
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.current_step_id.state, "to_decide")
        self.assertFalse(approval.step_ids.decided_by_id)
        self.assertFalse(approval.step_ids.channel)
        self.assertEqual(approval.violation_ids.mapped("state"), ["open"])
        answer = self._answers(sender)
        self.assertEqual(len(answer), 1, "one short answer to the sender")
        self.assertRegex(str(answer.body_html), reason)
        self.assertIn(approval.name, answer.subject)
        self.assertIn("loop-detection-bounce-email", answer.references)

    def test_a_reject_without_a_comment_is_refused(self):
        _order, approval = self._requested()
        self._reply(self._request_mail(approval, self.leader), "reject", "leader.li@example.com")
        self.assertNothingDecided(approval, "leader.li@example.com", "reason of the rejection")

    def test_a_reply_from_an_unknown_address_decides_nothing(self):
        _order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        # the leader forwards the request from a private mailbox
        self._reply(mail, "approve", "li.private@freemail.example.org")
        self.assertNothingDecided(
            approval, "li.private@freemail.example.org", "not the address of a user"
        )

    def test_a_reply_without_a_decision_word_decides_nothing(self):
        _order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "Can we talk about it tomorrow? approve maybe", "leader.li@example.com")
        self.assertNothingDecided(approval, "leader.li@example.com", "does not start with")

    def test_the_requester_replying_with_the_approvers_mail_decides_nothing(self):
        _order, approval = self._requested()
        # the rep got hold of the leader's request e-mail and answers it
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "approve urgent", "rep.wang@example.com")
        self.assertNothingDecided(approval, "rep.wang@example.com", "your own request")

    def test_another_user_who_is_no_approver_decides_nothing(self):
        self.rep2.email = "rep.zhang@example.com"
        _order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "同意", "rep.zhang@example.com")
        self.assertNothingDecided(approval, "rep.zhang@example.com", "not an approver")

    def test_a_reply_after_a_change_written_behind_the_orm_decides_nothing(self):
        order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        # a change the approval binds, that no write hook voided (the hash still compares)
        self.env.cr.execute(
            "UPDATE sale_order_line SET discount = 9 WHERE order_id = %s", [order.id]
        )
        self.env.invalidate_all()
        self._reply(mail, "approve", "leader.li@example.com")
        self.assertNothingDecided(approval, "leader.li@example.com", "changed after")

    def test_a_reply_after_the_rep_changed_the_order_decides_nothing(self):
        order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        order.order_line.with_user(self.rep).discount = 9
        self.assertEqual(approval.state, "voided")
        self._reply(mail, "approve", "leader.li@example.com")
        self.assertEqual(approval.state, "voided")
        self.assertFalse(approval.step_ids.decided_by_id)
        answer = self._answers("leader.li@example.com")
        self.assertEqual(len(answer), 1)
        self.assertIn("changed after the request", str(answer.body_html))

    def test_a_second_reply_after_the_decision_decides_nothing(self):
        _order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "approve", "leader.li@example.com")
        self.assertEqual(approval.state, "approved")
        self._reply(
            mail,
            "reject I changed my mind",
            "leader.li@example.com",
            message_id="<reply-2@mail.example.com>",
        )
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.step_ids.channel_ref, "<reply-1@mail.example.com>")
        answer = self._answers("leader.li@example.com")
        self.assertEqual(len(answer), 1)
        self.assertIn("already been decided", str(answer.body_html))

    def test_a_second_reply_while_the_next_level_decides_changes_nothing(self):
        _order, approval = self._requested(discount=15)
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "approve", "leader.li@example.com")
        self.assertEqual(approval.current_step_id.name, "Sales manager")
        self._reply(
            mail, "reject wrong customer", "leader.li@example.com", "<reply-2@mail.example.com>"
        )
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.step_ids.mapped("state"), ["approved", "to_decide"])
        answer = self._answers("leader.li@example.com")
        self.assertEqual(len(answer), 1)
        self.assertIn("You already decided the level", str(answer.body_html))

    def test_the_same_reply_delivered_twice_is_processed_once(self):
        _order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "approve", "leader.li@example.com")
        self._reply(mail, "approve", "leader.li@example.com")
        self.assertEqual(approval.state, "approved")
        self.assertFalse(self._answers("leader.li@example.com"))

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_a_new_mail_never_creates_an_approval(self):
        count = self.Approval.sudo().search_count([])
        raw = (
            "From: leader.li@example.com\nTo: approvals@sales.example.com\n"
            "Subject: approve everything\nMessage-Id: <new-1@mail.example.com>\n\napprove\n"
        )
        with self.assertRaises(ValueError):
            self.env["mail.thread"].message_process("sales.compliance.approval", raw)
        self.assertEqual(self.Approval.sudo().search_count([]), count)


@tagged("post_install", "-at_install")
class TestRepliesComeByMailOnly(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        disable_demo_rules(cls.env)
        cls.rep = new_test_user(cls.env, login="rm_rep", groups="sales_team.group_sale_salesman")
        cls.leader = new_test_user(
            cls.env,
            login="rm_leader",
            groups="sales_team.group_sale_salesman_all_leads",
            email="rm.leader@example.com",
        )
        cls.rule = cls.env["sales.compliance.rule"].create(
            {
                "name": "Big orders",
                "check": "discount_ceiling",
                "model_name": "sale.order",
                "trigger": "confirm",
                "outcome": "approval",
                "level_ids": [
                    Command.create(
                        {"name": "Leader", "approver_type": "user", "user_id": cls.leader.id}
                    )
                ],
            }
        )
        customer = cls.env["res.partner"].create({"name": "RPC Customer", "is_company": True})
        order = cls.env["sale.order"].create({"partner_id": customer.id, "user_id": cls.rep.id})
        cls.approval = (
            cls.env["sales.compliance.approval"]
            .with_user(cls.rep)
            ._request(order, cls.rule, 0.0, "Big order")
        )

    def test_a_rep_cannot_hand_in_a_reply_from_the_leader_over_rpc(self):
        approval = self.approval.sudo()
        self.assertEqual(approval.current_step_id.approver_ids, self.leader)
        self.authenticate("rm_rep", "rm_rep")
        forged = {
            "email_from": "rm.leader@example.com",
            "body": "approve",
            "message_id": "<forged@example.com>",
        }
        for method in ("message_update", "message_new"):
            with self.assertRaises(RpcError):
                call_kw(self, approval._name, method, [[approval.id], forged])
        with self.assertRaisesRegex(AccessError, "by e-mail only"):
            approval.with_user(self.rep).message_update(forged)
        self.assertEqual(approval.state, "pending")
        self.assertFalse(approval.step_ids.channel)
