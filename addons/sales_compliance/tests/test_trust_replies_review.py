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
