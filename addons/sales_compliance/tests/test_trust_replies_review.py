import re

from odoo.tests import tagged

from .common_mail import ApprovalMailCase


@tagged("post_install", "-at_install")
class TestTrustRepliesReview(ApprovalMailCase):
    """Red-team review of reply-to-approve (#21): an address is the approver's only when
    no party of the request shares it."""

    def test_the_rep_sharing_the_leaders_address_cannot_approve_their_own_order_by_reply(self):
        # any user may set their own e-mail in their preferences: the rep takes the
        # leader's (or both read one team mailbox), then answers the leader's request
        self.rep.with_user(self.rep).write({"email": "leader.li@example.com"})
        _order, approval = self._requested()
        self._reply(self._request_mail(approval, self.leader), "approve", "leader.li@example.com")
        self.assertEqual(approval.state, "pending")
        self.assertFalse(approval.step_ids.decided_by_id)
        answer = self._answers("leader.li@example.com")
        self.assertEqual(len(answer), 1)
        self.assertIn("also the address of", str(answer.body_html))

    def test_the_leader_with_an_address_shared_with_an_uninvolved_colleague_still_decides(self):
        self.rep2.email = "leader.li@example.com"
        _order, approval = self._requested()
        self._reply(
            self._request_mail(approval, self.leader), "approve OK", "leader.li@example.com"
        )
        self.assertEqual(approval.step_ids[0].decided_by_id, self.leader)
        self.assertEqual(approval.step_ids[0].channel, "mail")

    def _link_url(self, approval, user):
        """The approver's link, as their request e-mail carries it."""
        body = str(self._request_mail(approval, user).body)
        return re.search(r'href="([^"]*/sales/approval/[^"?]+)', body).group(1)

    def test_the_rep_reads_no_approvers_link_quoted_in_a_reply_posted_in_the_chatter(self):
        # the leader's mail client quotes the request (its Approve link) under the reply;
        # the reply decides nothing (no decision word), the link still works
        _order, approval = self._requested()
        url = self._link_url(approval, self.leader)
        token = url.rsplit("/", 1)[1]
        self._reply(
            self._request_mail(approval, self.leader),
            f"Let me check the stock first.\n\n> Approve <{url}?decision=approve>",
            "leader.li@example.com",
        )
        self.assertEqual(approval.state, "pending")
        messages = (
            self.env["mail.message"]
            .with_user(self.rep)
            .search_read([("model", "=", approval._name), ("res_id", "=", approval.id)], ["body"])
        )
        self.assertTrue(messages, "the rep reads the request's chatter")
        self.assertTrue(any("check the stock" in m["body"] for m in messages))
        for message in messages:
            self.assertNotIn(token, message["body"])

    def test_the_comment_of_a_reply_that_approves_stays_in_the_chatter(self):
        _order, approval = self._requested()
        url = self._link_url(approval, self.leader)
        self._reply(
            self._request_mail(approval, self.leader),
            f"approve, stock is fine\n\n> Approve <{url}?decision=approve>",
            "leader.li@example.com",
        )
        self.assertEqual(approval.step_ids[0].state, "approved")
        bodies = " ".join(str(b) for b in approval.with_user(self.rep).message_ids.mapped("body"))
        self.assertIn("stock is fine", bodies)
        self.assertNotIn(url.rsplit("/", 1)[1], bodies)

    def test_a_forged_reply_from_the_leader_to_a_chatter_message_the_rep_reads_decides_nothing(
        self,
    ):
        # the rep reads the Message-Id of a message of the request's chatter, and sends a
        # mail with the leader's address in From (no DKIM check at the gateway) in reply
        _order, approval = self._requested()
        readable = (
            self.env["mail.message"]
            .with_user(self.rep)
            .search_read(
                [("model", "=", approval._name), ("res_id", "=", approval.id)], ["message_id"]
            )
        )
        self.assertTrue(readable)
        chatter = self.Message.sudo().browse(readable[0]["id"])
        self._reply(chatter, "approve", "leader.li@example.com")
        self.assertEqual(approval.state, "pending")
        self.assertFalse(approval.step_ids.decided_by_id)
        answer = self._answers("leader.li@example.com")
        self.assertEqual(len(answer), 1)
        self.assertIn("your own request e-mail", str(answer.body_html))

    def test_a_forged_reply_to_a_request_mail_the_rep_made_himself_decides_nothing(self):
        # the rep creates a "request e-mail" to the leader on the request (over RPC, as
        # mail.message lets any user create a user notification), with a Message-Id he
        # chose, then forges the leader's reply to it
        _order, approval = self._requested()
        forged = (
            self.env["mail.message"]
            .with_user(self.rep)
            .create(
                {
                    "model": approval._name,
                    "res_id": approval.id,
                    "message_type": "user_notification",
                    "partner_ids": [(6, 0, self.leader.partner_id.ids)],
                    "author_id": self.env.ref("base.partner_root").id,
                    "message_id": "<made-by-the-rep@example.com>",
                    "body": "approve me",
                    "email_from": "rep.wang@example.com",
                    "reply_to": "rep.wang@example.com",
                }
            )
        )
        self._reply(forged.sudo(), "approve", "leader.li@example.com")
        self.assertEqual(approval.state, "pending")
        self.assertFalse(approval.step_ids.decided_by_id)
