from odoo import Command
from odoo.tests import tagged

from .common_mail import ApprovalMailCase


@tagged("post_install", "-at_install")
class TestApprovalRequestMail(ApprovalMailCase):
    def test_each_approver_gets_their_own_request_mail_with_their_own_link(self):
        deciders = self.env["res.groups"].create(
            {"name": "Discount deciders", "users": [Command.set((self.leader | self.officer).ids)]}
        )
        self.rule.level_ids[0].write({"approver_type": "group", "group_id": deciders.id})
        _order, approval = self._requested()
        self.assertEqual(approval.current_step_id.approver_ids, self.leader | self.officer)
        Link = self.env["sales.compliance.approval.link"]
        for approver in self.leader | self.officer:
            mail = self._request_mail(approval, approver)
            self.assertEqual(mail.partner_ids, approver.partner_id, "one e-mail per approver")
            link = Link.search([("approval_id", "=", approval.id), ("user_id", "=", approver.id)])
            self.assertEqual(len(link), 1, "one signed link for the approver and the step")
            self.assertEqual((link.step_id, link.channel), (approval.current_step_id, "link"))
            body = str(mail.body)
            self.assertIn(f"{link._url()}?decision=approve", body)
            self.assertIn(f"{link._url()}?decision=reject", body)
            others = Link.search([("approval_id", "=", approval.id)]) - link
            self.assertNotIn(others._url(), body, "nobody else's link")
            # what is asked: the record, the requester, the value against the limit, why
            self.assertIn(approval.record_name, body)
            self.assertIn("Rep Wang", body)
            self.assertIn("against the limit", body)
            self.assertIn(approval.message, body)
            self.assertIn("“同意”", body)
            self.assertIn("“驳回”", body)

    def test_the_request_mail_is_not_in_the_chatter_and_replies_go_to_the_catchall(self):
        _order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        # each mail carries one approver's link: nobody else reads it in the chatter
        self.assertEqual(mail.message_type, "user_notification")
        for other in self.rep | self.rep2 | self.manager:
            self.assertFalse(mail.with_user(other).has_access("read"))
        self.assertIn(self.alias_domain.catchall_email, mail.reply_to)
        self.assertEqual(mail.notification_ids.notification_type, "email")

    def test_the_todo_activity_stays_without_a_second_mail(self):
        _order, approval = self._requested()
        self.assertEqual(approval.activity_ids.user_id, self.leader)
        notices = self.Message.sudo().search(
            [
                ("model", "=", approval._name),
                ("res_id", "=", approval.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertEqual(len(notices), 1, "the request e-mail only, no 'assigned to you' mail")

    def test_an_approver_who_reads_in_odoo_still_gets_the_request_by_mail(self):
        self.leader.notification_type = "inbox"
        _order, approval = self._requested()
        notification = self._request_mail(approval, self.leader).notification_ids
        self.assertEqual(notification.notification_type, "email")

    def test_the_request_mail_is_in_the_approvers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_compliance"], ["zh_CN"])
        self.leader.lang = "zh_CN"
        _order, approval = self._requested()
        body = str(self._request_mail(approval, self.leader).body)
        # the state of the steps, as the approver reads it
        self.assertIn("待审批", body)
        self.assertNotIn("To Decide", body)


@tagged("post_install", "-at_install")
class TestReplyToApprove(ApprovalMailCase):
    def test_replying_approve_approves_with_the_rest_as_comment(self):
        order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        message_id = self._reply(
            mail, "Approve. Good customer, pays on time.", "leader.li@example.com"
        )
        self.assertEqual(approval.state, "approved")
        step = approval.step_ids
        self.assertEqual(step.decided_by_id, self.leader)
        self.assertEqual(step.comment, "Good customer, pays on time.")
        self.assertEqual(step.channel, "mail")
        self.assertEqual(step.channel_ref, message_id)
        self.assertFalse(self._answers("leader.li@example.com"))
        # the reply stays in the chatter as what came in
        self.assertTrue(self.Message.sudo().search([("message_id", "=", message_id)]))
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_replying_in_chinese_approves(self):
        _order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "同意,老客户", '"Leader Li" <Leader.Li@Example.com>')
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.step_ids.comment, "老客户")
        self.assertEqual(approval.step_ids.channel, "mail")

    def test_replying_reject_with_a_comment_rejects(self):
        _order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "REJECT: margin too low for this customer", "leader.li@example.com")
        self.assertEqual(approval.state, "rejected")
        self.assertEqual(approval.step_ids.comment, "margin too low for this customer")
        self.assertEqual(approval.violation_ids.state, "rejected")

    def test_replying_in_chinese_rejects(self):
        _order, approval = self._requested()
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "驳回 价格太低", "leader.li@example.com")
        self.assertEqual(approval.state, "rejected")
        self.assertEqual(approval.step_ids.comment, "价格太低")
        self.assertEqual(approval.step_ids.channel, "mail")

    def test_an_approval_by_mail_sends_the_next_level_its_request(self):
        _order, approval = self._requested(discount=15)
        self.assertEqual(approval.step_ids.mapped("name"), ["Team leader", "Sales manager"])
        mail = self._request_mail(approval, self.leader)
        self._reply(mail, "approve", "leader.li@example.com")
        self.assertFalse(self._answers("leader.li@example.com").mapped("body_html"))
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.current_step_id.name, "Sales manager")
        manager_mail = self._request_mail(approval, self.manager)
        self.assertTrue(manager_mail)
        body = str(manager_mail.body)
        # the history of the steps so far: the leader's decision and its channel
        self.assertIn("Leader Li", body)
        self.assertIn("E-mail Reply", body)
        self._reply(
            manager_mail, "approve ok", "max@example.com", message_id="<reply-2@mail.example.com>"
        )
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.step_ids.mapped("channel"), ["mail", "mail"])
        self.assertEqual(
            approval.step_ids.mapped("channel_ref"),
            ["<reply-1@mail.example.com>", "<reply-2@mail.example.com>"],
        )

    def test_an_approval_in_odoo_sends_the_next_level_its_request_too(self):
        _order, approval = self._requested(discount=15)
        approval.with_user(self.leader).action_approve("fine")
        self.assertEqual(approval.current_step_id.name, "Sales manager")
        manager_mail = self._request_mail(approval, self.manager)
        self.assertIn("Web Client", str(manager_mail.body))
        self.assertIn(
            f"{self._link(approval, self.manager)._url()}?decision=approve", str(manager_mail.body)
        )
