from odoo.addons.sales_compliance.tests.common import disable_demo_rules
from odoo.tests import HttpCase, new_test_user, tagged

from .common import tour_user


@tagged("post_install", "-at_install")
class TestComplaintPortalTour(HttpCase):
    """(3) In the browser: a customer reports "Broken seal on delivery" on their order from
    the portal and finds it in their complaints; the sales desk then resolves that very
    complaint in the back office, and the customer sees it closed on the portal."""

    def test_customer_reports_a_problem_on_the_portal_and_the_desk_resolves_it(self):
        env = self.env
        disable_demo_rules(env)
        rep = new_test_user(
            env, login="tour_complaint_rep", groups="sales_team.group_sale_salesman"
        )
        customer = env["res.partner"].create(
            {"name": "Tour Complaint Customer", "email": "tour.complaint@example.com"}
        )
        portal_user = new_test_user(
            env,
            login="tour_complaint_buyer",
            password="tour_complaint_buyer",
            groups="base.group_portal",
            partner_id=customer.id,
        )
        valve = env["product.product"].create(
            {"name": "Tour Complaint Valve", "type": "consu", "list_price": 50.0}
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": rep.id,
                "order_line": [(0, 0, {"product_id": valve.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        order.name = "Tour Complaint Order"

        self.start_tour("/my/orders", "sales_complaint_portal_tour", login="tour_complaint_buyer")

        complaint = env["sales.complaint"].search([("order_id", "=", order.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.subject, "Broken seal on delivery")
        self.assertEqual(complaint.source, "portal")
        self.assertEqual(complaint.category, "quality")
        self.assertEqual(complaint.product_id, valve)
        self.assertEqual(complaint.partner_id, customer)
        message = complaint.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(message.author_id, portal_user.partner_id)

        # the desk resolves what the customer filed (sales_complaint_resolve_tour)
        tour_user(env, "tour_complaint_desk", "sales_assistant.group_assistant_desk", "Desk")
        self.start_tour("/odoo", "sales_complaint_resolve_tour", login="tour_complaint_desk")
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.action_taken, "replacement")
        self.assertIn("new unit", complaint.resolution)
        # and the customer sees it closed, with the resolution, on the portal
        self.authenticate("tour_complaint_buyer", "tour_complaint_buyer")
        page = self.url_open(complaint.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("new unit", page.text)
