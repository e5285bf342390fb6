from odoo.tests import tagged

from .common_complaint_portal import ComplaintPortalCase
from .common_robot_pushes import RobotPushMixin


@tagged("post_install", "-at_install")
class TestTrustRobotPushReview(RobotPushMixin, ComplaintPortalCase):
    """Red-team review of the group robots' pushes (#21): what an outsider can write into
    the company's group chats."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_robot("Company robot", company_id=cls.order.company_id.id)

    def test_a_portal_customer_posts_no_link_nor_mention_into_the_group_through_a_complaint(self):
        # the customer writes the subject on the portal's form: the company's robot
        # announces it in the sales group, where a link would look like the company's own
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        response = self.post_form(
            self.form_url(),
            category="quality",
            subject="Refund [Approve the refund here](http://evil.example/r) <@all>",
            description="Broken.",
        )
        self.assertEqual(response.status_code, 200)
        message = self.pushed("complaints")
        self.assertEqual(len(message), 1)
        for text in (message.title, message.body):
            self.assertNotIn("](http://evil.example", text)
            self.assertNotIn("<@all>", text)
        self.assertIn("Approve the refund here", message.title, "the subject is shown as text")

    def test_a_link_holder_cannot_flood_the_group_with_complaints_on_one_order(self):
        # the order's link (a quotation e-mail) lets anyone file: each complaint is pushed
        # to the group, and a flood would hold the approval requests behind it (the robot's
        # rate limit) - as a public visitor with the order's access token
        token = self.order._portal_ensure_token()
        url = self.form_url(token=token)
        for i in range(5):
            self.post_form(url, category="quality", subject=f"Problem {i}", description="x")
        self.assertEqual(len(self.complaints()), 5)
        response = self.post_form(url, category="quality", subject="Problem 6", description="x")
        self.assertIn("already reported", response.text)
        self.assertEqual(len(self.complaints()), 5, "the sixth is refused, nothing written")
        self.assertEqual(len(self.pushed("complaints")), 5)
