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
