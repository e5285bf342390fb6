import base64
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestCustomerReceipt(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env, login="receipt_rep", groups="sales_team.group_sale_salesman"
        )
        cls.other_rep = new_test_user(
            cls.env, login="receipt_other_rep", groups="sales_team.group_sale_salesman"
        )
        cls.desk = new_test_user(
            cls.env, login="receipt_desk", groups="sales_assistant.group_assistant_desk"
        )
        cls.customer = cls.env["res.partner"].create({"name": "上海华润贸易有限公司"})
        cls.product = cls.env["product.product"].create(
            {"name": "Industrial valve", "type": "consu", "list_price": 120.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep.id,
                "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 5})],
            }
        )
        cls.order.action_confirm()

    def _deliver(self, order):
        for picking in order.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.button_validate()

    def _confirm_receipt(self, user, **values):
        return (
            self.env["sales.customer.receipt"]
            .with_user(user)
            .create({"order_id": self.order.id, "received_by": "Li Wei", **values})
        )

    def test_receipt_state_follows_delivery_then_customer_confirmation(self):
        self.assertEqual(self.order.receipt_state, "delivering")
        self._deliver(self.order)
        self.assertEqual(self.order.delivery_status, "full")
        self.assertEqual(self.order.receipt_state, "awaiting")

        confirmation = self._confirm_receipt(self.rep)

        self.assertEqual(self.order.receipt_state, "received")
        # the day proposed to who records it: their own
        self.assertEqual(self.order.receipt_date, self.rep._sales_person_today())
        self.assertEqual(confirmation.recorded_by_id, self.rep)
        self.assertIn("Li Wei", self.order.message_ids[0].body)

    def test_receipt_before_full_delivery_is_refused(self):
        with self.assertRaises(ValidationError) as error:
            self._confirm_receipt(self.rep)
        self.assertIn("not fully delivered", str(error.exception))
        self.assertFalse(self.order.customer_receipt_ids)
        self.assertEqual(self.order.receipt_state, "delivering")

    def test_receipt_date_in_the_future_is_refused(self):
        self._deliver(self.order)
        tomorrow = fields.Date.context_today(self.order) + timedelta(days=1)
        with self.assertRaises(ValidationError) as error:
            self._confirm_receipt(self.rep, received_date=tomorrow)
        self.assertIn("future", str(error.exception))
        self.assertEqual(self.order.receipt_state, "awaiting")

    def test_receipt_date_before_delivery_is_refused(self):
        self._deliver(self.order)
        last_week = fields.Date.context_today(self.order) - timedelta(days=7)
        with self.assertRaises(ValidationError) as error:
            self._confirm_receipt(self.rep, received_date=last_week)
        self.assertIn("before its last delivery", str(error.exception))
        self.assertFalse(self.order.customer_receipt_ids)

    def test_receipt_is_confirmed_once(self):
        """A second confirmation gets a clear answer and changes nothing."""
        self._deliver(self.order)
        first = self._confirm_receipt(self.rep)
        messages = len(self.order.message_ids)
        with self.assertRaises(ValidationError) as error:
            self._confirm_receipt(self.desk, received_by="Wang Fang")
        self.assertIn("already confirmed", str(error.exception))
        self.assertEqual(self.order.customer_receipt_ids, first)
        self.assertEqual(first.received_by, "Li Wei")
        self.assertEqual(len(self.order.message_ids), messages)

    @mute_logger("odoo.sql_db")
    def test_concurrent_confirmation_is_refused_by_the_database(self):
        """Two confirmations at the same moment (neither sees the other): the unique
        constraint keeps one."""
        self._deliver(self.order)
        self._confirm_receipt(self.rep)
        self.env.flush_all()
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.cr.execute(
                "INSERT INTO sales_customer_receipt (order_id, received_date, received_by,"
                " recorded_by_id) VALUES (%s, now(), 'Wang Fang', %s)",
                (self.order.id, self.desk.id),
            )
        self.assertEqual(len(self.order.customer_receipt_ids), 1)

    def test_dates_are_compared_in_the_users_timezone(self):
        """Delivered at 07:00 in Shanghai (23:00 UTC the day before): the customer cannot
        have received the goods the day before in Shanghai, and did receive them that day."""
        self._deliver(self.order)
        self.rep.tz = "Asia/Shanghai"
        delivered_day = fields.Date.context_today(self.order) - timedelta(days=3)
        picking = self.order.picking_ids
        # 07:00 in Shanghai is 23:00 UTC on the previous day
        picking.date_done = fields.Datetime.to_datetime(delivered_day) - timedelta(hours=1)
        with self.assertRaises(ValidationError) as error:
            self._confirm_receipt(self.rep, received_date=delivered_day - timedelta(days=1))
        self.assertIn("before its last delivery", str(error.exception))
        receipt = self._confirm_receipt(self.rep, received_date=delivered_day)
        self.assertEqual(self.order.receipt_date, delivered_day)
        self.assertEqual(receipt.channel, "staff")

    def test_sales_desk_records_the_signed_delivery_note(self):
        self._deliver(self.order)
        receipt = self._confirm_receipt(
            self.desk,
            delivery_note=base64.b64encode(b"%PDF-1.4 signed"),
            delivery_note_filename="pod.pdf",
        )
        self.assertEqual(base64.b64decode(receipt.delivery_note), b"%PDF-1.4 signed")
        self.assertEqual(receipt.recorded_by_id, self.desk)
        self.assertEqual(receipt.channel, "staff")

    def test_other_salesperson_neither_sees_nor_records_receipts(self):
        self._deliver(self.order)
        self._confirm_receipt(self.rep)
        receipts = self.env["sales.customer.receipt"].with_user(self.other_rep)
        self.assertFalse(receipts.search([("order_id", "=", self.order.id)]))
        self.order.customer_receipt_ids.unlink()
        with self.assertRaises(AccessError):
            self._confirm_receipt(self.other_rep)
        self.assertEqual(self.order.receipt_state, "awaiting")

    def test_sales_desk_records_receipts_for_every_rep(self):
        self._deliver(self.order)
        action = self.order.with_user(self.desk).action_record_receipt()
        self.assertEqual(action["context"]["default_order_id"], self.order.id)
        self._confirm_receipt(self.desk)
        self.assertEqual(self.order.receipt_state, "received")

    def test_follow_up_list_holds_orders_until_the_customer_confirms(self):
        action = self.env.ref("sales_assistant.action_orders_follow_up")
        domain = [("id", "=", self.order.id), *safe_eval(action.domain)]
        orders = self.env["sale.order"].with_user(self.rep)
        self.assertEqual(orders.search(domain), self.order)
        self._deliver(self.order)
        self.assertEqual(orders.search(domain), self.order)
        self._confirm_receipt(self.rep)
        self.assertFalse(orders.search(domain))

    def test_the_recorder_is_the_current_user_and_stays_so(self):
        self._deliver(self.order)
        confirmation = self._confirm_receipt(self.desk, recorded_by_id=self.rep.id)
        self.assertEqual(confirmation.recorded_by_id, self.desk)
        with self.assertRaises(UserError):
            confirmation.with_user(self.desk).write({"recorded_by_id": self.rep.id})
        self.assertEqual(confirmation.recorded_by_id, self.desk)

    def test_customer_is_asked_once_when_the_last_delivery_is_done(self):
        self._deliver(self.order)
        requests = (
            self.env["mail.mail"]
            .sudo()
            .search([("body_html", "like", f"/my/orders/{self.order.id}/receipt?token=")])
        )
        self.assertEqual(len(requests), 1)
        self.assertIn(self.customer, requests.recipient_ids)
        self.assertTrue(self.order.receipt_requested)

    def test_no_request_when_the_company_does_not_ask(self):
        self.order.company_id.assistant_receipt_request = False
        self._deliver(self.order)
        self.assertEqual(self.order.receipt_state, "awaiting")
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("body_html", "like", f"/my/orders/{self.order.id}/receipt?token=")])
        )
        self.assertFalse(self.order.receipt_requested)
