from datetime import timedelta

from odoo.addons.sales_compliance.tests.common_approval_link import ApprovalLinkCase
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestTrustApprovalLinks(ApprovalLinkCase):
    """The links on the hostile paths (issue #21 §4): each refusal is a clear page and
    changes nothing."""

    def test_a_link_used_twice_decides_once(self):
        self.login(self.leader)
        first = self.decide("approve", "OK")
        self.assertIn("You approved this request.", first.text)
        used_at = self.link.used_at
        steps = [(s.state, s.decided_date) for s in self.approval.step_ids]
        second = self.open_page()
        self.assertEqual(second.status_code, 200)
        self.assertEqual(self.refusal_of(second), "used")
        self.assertIn("already used", second.text)
        self.assertNotIn("o_sales_approval_approve", second.text)
        self.env.invalidate_all()
        self.assertEqual(self.link.used_at, used_at)
        self.assertEqual([(s.state, s.decided_date) for s in self.approval.step_ids], steps)

    def test_two_clicks_at_once_claim_the_link_once(self):
        link = self.link
        self.assertTrue(link._claim("10.0.0.1"))
        self.assertFalse(link._claim("10.0.0.2"))
        self.assertEqual(link.used_ip, "10.0.0.1")

    def test_a_replayed_post_of_a_used_link_decides_nothing(self):
        self.login(self.leader)
        page = self.open_page()
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        self.decide("approve", "OK")
        state = [(s.state, s.decided_date) for s in self.approval.step_ids]
        replay = self.open_page(data={"csrf_token": csrf, "decision": "reject", "comment": "No"})
        self.assertEqual(self.refusal_of(replay), "used")
        self.env.invalidate_all()
        self.assertEqual([(s.state, s.decided_date) for s in self.approval.step_ids], state)
        self.assertEqual(self.approval.step_ids[0].state, "approved")

    def test_an_expired_link_is_refused_and_decides_nothing(self):
        self.link.sudo().expires_at = self.env.cr.now() - timedelta(minutes=1)
        self.login(self.leader)
        with self.assertNothingDecided():
            page = self.open_page()
            self.assertEqual(page.status_code, 200)
            self.assertEqual(self.refusal_of(page), "expired")
            self.assertIn("expired", page.text)
            self.assertNotIn("o_sales_approval_approve", page.text)

    def test_another_approvers_link_is_refused_to_a_logged_in_colleague(self):
        self.login(self.rep2)
        with self.assertNothingDecided():
            page = self.open_page()
            self.assertEqual(page.status_code, 403)
            self.assertEqual(self.refusal_of(page), "other_user")
            self.assertIn("only its approver decides", page.text)
            # nothing of the request shows to them
            self.assertNotIn("Discount 12", page.text)
            self.assertNotIn('name="csrf_token"', page.text)

    def test_another_approvers_link_is_refused_even_without_login_mode(self):
        self.company.approval_link_without_login = True
        self.login(self.manager)
        with self.assertNothingDecided():
            page = self.open_page()
            self.assertEqual((page.status_code, self.refusal_of(page)), (403, "other_user"))

    def test_a_link_after_the_record_changed_approves_nothing_and_offers_the_record(self):
        self.login(self.leader)
        page = self.open_page()
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        self.order.order_line.with_user(self.rep).discount = 9
        self.env.flush_all()
        changed = self.open_page()
        self.assertEqual(changed.status_code, 200)
        self.assertEqual(self.refusal_of(changed), "changed")
        self.assertIn("changed after the approval was requested", changed.text)
        self.assertIn(f"/odoo/sale.order/{self.order.id}", changed.text)
        self.assertNotIn("o_sales_approval_approve", changed.text)
        # the form opened before the change, sent after it
        late = self.open_page(data={"csrf_token": csrf, "decision": "approve", "comment": ""})
        self.assertEqual(self.refusal_of(late), "changed")
        self.env.invalidate_all()
        self.assertFalse(self.link.used_at)
        self.assertNotIn("approved", self.approval.step_ids.mapped("state"))

    def test_rejecting_without_a_comment_is_refused_and_the_link_still_works(self):
        self.login(self.leader)
        with self.assertNothingDecided():
            response = self.decide("reject", "   ")
            self.assertEqual(self.refusal_of(response), "refused")
            self.assertIn("reason of the rejection", response.text)
            # the form is offered again
            self.assertIn("o_sales_approval_reject", response.text)
        self.decide("reject", "Margin too low")
        self.assertEqual(self.approval.state, "rejected")

    def test_no_link_is_ever_issued_to_the_requester_or_a_stranger(self):
        count = self.Link.sudo().search_count([])
        with self.assertRaises(UserError) as caught:
            self.Link._issue(self.approval, self.rep)
        self.assertIn("No approval link for Rep Wang", str(caught.exception))
        with self.assertRaises(UserError) as caught:
            self.Link._issue(self.approval, self.rep2)
        self.assertIn("not an approver", str(caught.exception))
        self.assertEqual(self.Link.sudo().search_count([]), count)

    def test_a_forged_token_is_refused(self):
        self.login(self.leader)
        token = self.path.rsplit("/", 1)[1]
        forged = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
        with self.assertNothingDecided():
            for bad in (forged, "not-a-token", "AQ", token + "x"):
                page = self.open_page(f"sales/approval/{bad}")
                self.assertEqual(page.status_code, 403, bad)
                self.assertEqual(self.refusal_of(page), "invalid", bad)
                self.assertNotIn("Traceback", page.text)

    def test_a_token_signed_for_another_scope_is_refused(self):
        from odoo.tools.misc import hash_sign  # noqa: PLC0415

        token = hash_sign(self.env(su=True), "mail.message", [self.link.id, self.leader.id])
        self.login(self.leader)
        with self.assertNothingDecided():
            page = self.open_page(f"sales/approval/{token}")
            self.assertEqual(self.refusal_of(page), "invalid")

    def test_a_get_decides_nothing_even_with_a_decision_in_the_url(self):
        """Mail scanners and link previews open links: only a POST with CSRF decides."""
        self.login(self.leader)
        with self.assertNothingDecided():
            self.open_page(f"{self.path}?decision=approve&comment=x")

    def test_a_post_without_csrf_token_decides_nothing(self):
        self.login(self.leader)
        with self.assertNothingDecided():
            response = self.open_page(data={"decision": "approve", "comment": "x"})
            self.assertNotEqual(response.status_code, 200)

    def test_a_link_of_a_step_decided_in_the_web_client_is_refused(self):
        self.approval.with_user(self.leader).action_approve("From the desk")
        self.login(self.leader)
        page = self.open_page()
        self.assertEqual(self.refusal_of(page), "not_current")
        self.assertNotIn("o_sales_approval_approve", page.text)

    def test_the_four_eyes_rule_holds_on_the_link(self):
        """The leader became the salesperson of the customer after the link was issued:
        their link decides nothing, and the page says why."""
        self.customer.user_id = self.leader
        self.login(self.leader)
        with self.assertNothingDecided():
            response = self.decide("approve", "Mine now")
            self.assertEqual(self.refusal_of(response), "refused")
            self.assertIn("you are the salesperson of its customer", response.text)

    def test_the_link_of_an_archived_approver_decides_nothing(self):
        self.company.approval_link_without_login = True
        self.leader.sudo().active = False
        with self.assertNothingDecided():
            page = self.open_page()
            self.assertEqual((page.status_code, self.refusal_of(page)), (403, "inactive"))
            self.assertNotIn('name="csrf_token"', page.text)

    def test_a_visitor_not_logged_in_cannot_post_a_decision_when_login_is_required(self):
        with self.assertNothingDecided():
            response = self.open_page(
                data={"decision": "approve", "comment": "x"}, allow_redirects=False
            )
            self.assertNotEqual(response.status_code, 200)
