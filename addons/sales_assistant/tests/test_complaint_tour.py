from odoo.addons.sales_compliance.tests.common import disable_demo_rules
from odoo.tests import HttpCase, tagged

from .common import tour_user
from .common_complaint import make_complaint_users

SUBJECT = "Broken seal on delivery"


@tagged("post_install", "-at_install")
class TestComplaintResolveTour(HttpCase):
    """In the browser: the sales desk resolves a complaint the customer filed on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        disable_demo_rules(env)
        cls.desk = tour_user(
            env, "kc_tour_desk", "sales_assistant.group_assistant_desk", "Tour Desk"
        )
        _company, _other, cls.users, cls.team, _o, cls.customer, cls.product = make_complaint_users(
            env, "kct"
        )
        cls.team.complaint_owner_id = cls.desk

    def test_the_desk_resolves_a_portal_complaint(self):
        complaint = self.env["sales.complaint"].create(
            {"subject": SUBJECT, "partner_id": self.customer.id, "product_id": self.product.id}
        )
        complaint._flow_write({"source": "portal"})  # as the portal files it
        self.assertEqual(complaint.owner_id, self.desk)
        self.start_tour("/odoo", "sales_complaint_resolve_tour", login="kc_tour_desk")
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.action_taken, "replacement")
        self.assertEqual(complaint.satisfaction, "4")
        self.assertIn("new unit", complaint.resolution)
        self.assertTrue(complaint.date_closed)
