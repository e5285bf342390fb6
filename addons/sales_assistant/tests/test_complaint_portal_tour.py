from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintPortalTour(HttpCase):
    """(3) In the browser: a customer reports "Broken seal on delivery" on their order from
    the portal and finds it in their complaints."""

    def test_customer_reports_a_problem_on_the_portal(self):
        env = self.env
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
