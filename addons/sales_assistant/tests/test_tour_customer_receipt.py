from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerReceiptTour(HttpCase):
    """(2) In the browser: a customer confirms receipt of a delivered order on the portal."""

    def test_portal_customer_receipt_tour(self):
        env = self.env
        rep = new_test_user(env, login="tour_receipt_rep", groups="sales_team.group_sale_salesman")
        customer = env["res.partner"].create(
            {"name": "Tour Receipt Customer", "email": "tour.receipt@example.com"}
        )
        portal_user = new_test_user(
            env,
            login="tour_receipt_buyer",
            password="tour_receipt_buyer",
            groups="base.group_portal",
            partner_id=customer.id,
        )
        product = env["product.product"].create(
            {"name": "Tour Receipt Valve", "type": "consu", "list_price": 50.0}
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": rep.id,
                "client_order_ref": "Tour Receipt Order",
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        order.name = "Tour Receipt Order"
        for move in order.picking_ids.move_ids:
            move.quantity = move.product_uom_qty
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        self.assertEqual(order.receipt_state, "awaiting")

        self.start_tour(
            "/my/orders", "sales_assistant_portal_customer_receipt", login="tour_receipt_buyer"
        )

        receipt = order.customer_receipt_ids
        self.assertEqual(receipt.received_by, "Zhang Wei")
        self.assertEqual(receipt.recorded_by_id, portal_user)
        self.assertEqual(receipt.channel, "portal")
        self.assertEqual(order.receipt_state, "received")
