from datetime import timedelta

from odoo.addons.sales_compliance.tests.common_approval_link import ApprovalLinkCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestTrustLinksReview(ApprovalLinkCase):
    """Red-team review of the approval links (#21): a link that no longer decides shows
    nothing of the request to anyone but its approver, and a link posted in a group chat
    never decides without a login."""

    def assertShowsNothingOfTheRequest(self, response):
        for secret in (self.order.name, "Link Team", "Discount 12", "o_sales_approval_summary"):
            self.assertNotIn(secret, response.text)

    def use_the_link_as_the_leader(self):
        self.login(self.leader)
        self.assertIn("You approved this request.", self.decide("approve", "OK").text)
        self.authenticate(None, None)

    def test_a_public_visitor_with_a_used_link_is_led_to_the_login_and_sees_nothing(self):
        self.use_the_link_as_the_leader()
        response = self.open_page(allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login?redirect=", response.headers["Location"])
        self.assertShowsNothingOfTheRequest(response)

    def test_a_public_visitor_with_an_expired_link_is_led_to_the_login_and_sees_nothing(self):
        self.link.sudo().expires_at = self.env.cr.now() - timedelta(minutes=1)
        response = self.open_page(allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertShowsNothingOfTheRequest(response)

    def test_the_salesperson_opening_the_leaders_used_link_sees_nothing_of_the_request(self):
        self.use_the_link_as_the_leader()
        self.login(self.rep)
        response = self.open_page()
        self.assertEqual((response.status_code, self.refusal_of(response)), (403, "other_user"))
        self.assertShowsNothingOfTheRequest(response)

    def test_a_spent_link_shows_nothing_of_the_request_without_login_even_in_link_alone_mode(
        self,
    ):
        self.company.approval_link_without_login = True
        self.use_the_link_as_the_leader()
        response = self.open_page()
        self.assertEqual(self.refusal_of(response), "used")
        self.assertIn("already used", response.text)
        self.assertShowsNothingOfTheRequest(response)

    def test_the_rep_in_the_robots_group_cannot_approve_with_the_leaders_robot_link(self):
        # the link alone decides for e-mail links; a robot link is posted in a group chat
        # the rep reads too: it always leads through the login
        self.company.approval_link_without_login = True
        url = self.Link._issue(self.approval, self.leader, channel="robot")
        path = url.split("/", 3)[3]
        with self.assertNothingDecided():
            page = self.open_page(path, allow_redirects=False)
            self.assertEqual(page.status_code, 303)
            self.assertIn("/web/login?redirect=", page.headers["Location"])
            self.assertShowsNothingOfTheRequest(page)
            posted = self.open_page(
                path, data={"decision": "approve", "comment": "x"}, allow_redirects=False
            )
            self.assertNotIn("You approved", posted.text)

    def test_the_leader_logged_in_still_approves_with_the_robot_link_in_link_alone_mode(self):
        self.company.approval_link_without_login = True
        url = self.Link._issue(self.approval, self.leader, channel="robot")
        self.login(self.leader)
        response = self.decide("approve", "From the group", path=url.split("/", 3)[3])
        self.assertIn("You approved this request.", response.text)
        self.assertEqual(self.approval.step_ids[0].channel, "robot")

    def test_the_link_of_a_voided_request_approves_nothing_after_a_new_request_of_the_same_values(
        self,
    ):
        self.approval._void()
        self.order.with_user(self.rep).action_compliance_request_approval()
        new = self.env["sales.compliance.approval"].search(
            [("res_id", "=", self.order.id), ("state", "=", "pending")]
        )
        self.assertTrue(new)
        self.assertNotEqual(new, self.approval)
        self.assertEqual(new.values_hash, self.approval.values_hash)
        self.login(self.leader)
        page = self.open_page()
        self.assertEqual(self.refusal_of(page), "changed")
        self.assertNotIn('name="csrf_token"', page.text)
        self.assertEqual(new.step_ids[0].state, "to_decide")
