from datetime import timedelta

from odoo.tests import tagged

from .common import MyDayCase


@tagged("post_install", "-at_install")
class TestMyDayDeliveries(MyDayCase):
    """The late deliveries' section of "My day"."""

    def make_order(self, user):
        product = self.env["product.product"].create(
            {"name": "Conveyor belt", "type": "consu", "list_price": 80.0}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": user.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
            }
        )
        order.action_confirm()
        company = self.env.company  # two days before the company's today, as the cron counts
        order.picking_ids.scheduled_date = company._sales_utc(company._sales_today()) - timedelta(
            days=2
        )
        return order

    def late_of(self, user):
        day = self.env["sales.assistant.day"].with_user(user).get_my_day()
        section = next(s for s in day["sections"] if s["name"] == "late_deliveries")
        return [(entry["model"], entry["id"], entry["late"]) for entry in section["records"]]

    def test_late_deliveries_of_the_rep_and_their_team(self):
        mine = self.make_order(self.rep)
        colleague = self.make_order(self.rep_2)
        other = self.make_order(self.other_rep)
        self.env["sales.late.delivery"]._detect_all()
        late = {order: order.late_delivery_ids.id for order in (mine, colleague, other)}
        self.assertTrue(all(late.values()))
        model = "sales.late.delivery"
        self.assertEqual(self.late_of(self.rep), [(model, late[mine], True)])
        self.assertEqual(
            sorted(self.late_of(self.leader)),
            sorted([(model, late[mine], True), (model, late[colleague], True)]),
        )
        self.assertEqual(self.late_of(self.other_rep), [(model, late[other], True)])
