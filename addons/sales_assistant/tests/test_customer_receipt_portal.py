import base64
import re
from datetime import datetime, timedelta

import pytz

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import deliver, receipt_link

# the smallest valid PNG: a photo of the signed delivery note, as far as the server can tell
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestCustomerReceiptPortal(HttpCase):
    """The customer confirms receipt from the portal: the link of the delivery email, or
    the order's portal page. A bad, expired or reused link, or another customer, changes
    nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env, login="portal_rcpt_rep", groups="sales_team.group_sale_salesman"
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "杭州明达机电有限公司",
                "email": "buyer@mingda.example.com",
                "tz": "Asia/Shanghai",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Customer Ltd", "email": "buyer@other.example.com"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="portal_rcpt_buyer",
            password="portal_rcpt_buyer",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            login="portal_rcpt_other",
            password="portal_rcpt_other",
            groups="base.group_portal",
            partner_id=cls.other_customer.id,
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Gear pump", "type": "consu", "list_price": 300.0}
        )
        cls.order = cls._make_order(cls.customer)

    @classmethod
    def _make_order(cls, partner):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": cls.rep.id,
                "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        return order

    def _customer_today(self):
        """The customer's day: the customer is in Shanghai, whatever the server's clock."""
        return datetime.now(pytz.timezone("Asia/Shanghai")).date()

    def _receipt_link(self, order):
        """The link the customer got in the delivery email."""
        return receipt_link(self, order)

    def _post(self, url, **data):
        page = self.url_open(url)
        csrf = re.search(r'csrf_token: "([^"]+)"', page.text)
        data = {"csrf_token": csrf[1] if csrf else "", **data}
        path, _, query = url.partition("?token=")
        files = data.pop("files", None)
        return self.url_open(f"{path}?token={query}", data=data, files=files)

    def test_customer_confirms_from_the_delivery_email_link(self):
        deliver(self.order)
        self.assertEqual(self.order.receipt_state, "awaiting")
        link = self._receipt_link(self.order)
        today = self._customer_today()

        response = self._post(
            link,
            received_by="王建国",
            received_date=str(today),
            files={"delivery_note": ("pod.png", PNG, "image/png")},
        )

        self.assertEqual(response.status_code, 200)
        self.assertIn("o_customer_receipt_done", response.text)
        receipt = self.order.customer_receipt_ids
        self.assertEqual(receipt.received_by, "王建国")
        self.assertEqual(receipt.received_date, today)
        self.assertEqual(receipt.channel, "portal")
        self.assertEqual(base64.b64decode(receipt.delivery_note), PNG)
        self.assertEqual(self.order.receipt_state, "received")
        note = self.order.message_ids.filtered(lambda m: "receipt confirmed" in (m.body or ""))
        self.assertEqual(note.author_id, self.customer)

    def test_portal_user_confirms_from_the_order_page(self):
        deliver(self.order)
        self.authenticate("portal_rcpt_buyer", "portal_rcpt_buyer")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn("Awaiting Customer Receipt", page.text)
        link = re.search(r'href="(/my/orders/\d+/receipt\?token=[^"]+)"', page.text)[1]

        self._post(link, received_by="Zhao Min", received_date=str(self._customer_today()))

        receipt = self.order.customer_receipt_ids
        self.assertEqual(receipt.recorded_by_id, self.portal_user)
        self.assertEqual(receipt.channel, "portal")
        self.assertFalse(receipt.delivery_note)
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn("Received by Customer", page.text)
        self.assertNotIn("o_customer_receipt_confirm", page.text)

    def test_invalid_token_changes_nothing(self):
        deliver(self.order)
        link = self._receipt_link(self.order)
        forged = link.split("?token=")[0] + "?token=forged-token"
        response = self._post(
            forged, received_by="Mallory", received_date=str(self._customer_today())
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("This link is not valid", response.text)
        response = self.url_open(link.split("?token=")[0], data={"received_by": "Mallory"})
        self.assertIn(response.status_code, (400, 403))
        self.assertFalse(self.order.customer_receipt_ids)
        self.assertEqual(self.order.receipt_state, "awaiting")

    def test_expired_token_changes_nothing(self):
        deliver(self.order)
        link = self._receipt_link(self.order)
        self.order.sudo().receipt_token_expiry = datetime(2020, 1, 1)
        response = self._post(link, received_by="Li Lei", received_date=str(self._customer_today()))
        self.assertEqual(response.status_code, 403)
        self.assertIn("This link has expired", response.text)
        self.assertFalse(self.order.customer_receipt_ids)

    def test_reused_token_is_refused(self):
        deliver(self.order)
        link = self._receipt_link(self.order)
        today = str(self._customer_today())
        self._post(link, received_by="Li Lei", received_date=today)
        receipt = self.order.customer_receipt_ids
        self.assertEqual(len(receipt), 1)

        response = self.url_open(link)
        self.assertIn("already confirmed", response.text)
        self.assertNotIn("o_customer_receipt_form", response.text)
        response = self.url_open(link, data={"received_by": "Someone else", "received_date": today})
        self.assertEqual(self.order.customer_receipt_ids, receipt)
        self.assertEqual(receipt.received_by, "Li Lei")

    def test_order_not_delivered_cannot_be_confirmed(self):
        link = self.order._receipt_portal_url()
        response = self.url_open(link)
        self.assertEqual(response.status_code, 403)
        self.assertIn("not fully delivered", response.text)
        self.assertFalse(self.order.customer_receipt_ids)
        self.assertEqual(self.order.receipt_state, "delivering")

    def test_another_customer_cannot_confirm(self):
        """The other customer's portal user, logged in, with their own order's link or
        none, cannot confirm this order; they cannot even open its page."""
        own_order = self._make_order(self.other_customer)
        deliver(own_order)
        deliver(self.order)
        own_link = self._receipt_link(own_order)
        own_token = own_link.split("?token=")[1]
        self.authenticate("portal_rcpt_other", "portal_rcpt_other")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertNotIn(self.order.name, page.text)
        response = self._post(
            f"/my/orders/{self.order.id}/receipt?token={own_token}",
            received_by="Mallory",
            received_date=str(self._customer_today()),
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.order.customer_receipt_ids)
        self.assertFalse(own_order.customer_receipt_ids)

    def test_bad_values_give_the_form_back_and_change_nothing(self):
        deliver(self.order)
        link = self._receipt_link(self.order)
        tomorrow = str(self._customer_today() + timedelta(days=1))
        response = self._post(link, received_by="Li Lei", received_date=tomorrow)
        self.assertIn("cannot be in the future", response.text)
        response = self._post(link, received_by="  ", received_date=str(self._customer_today()))
        self.assertIn("Please enter the name", response.text)
        response = self._post(
            link,
            received_by="Li Lei",
            received_date=str(self._customer_today()),
            files={"delivery_note": ("pod.png", b"MZ\x90\x00 not a picture", "image/png")},
        )
        self.assertIn("must be a photo", response.text)
        self.assertFalse(self.order.customer_receipt_ids)
        self.assertIn("o_customer_receipt_form", response.text)

    def test_only_the_link_opens_the_way(self):
        """Neither the portal user nor the rep can bypass the link: no direct write on
        receipts for a portal user, and the token is unreadable over RPC."""
        deliver(self.order)
        self._receipt_link(self.order)
        receipts = self.env["sales.customer.receipt"].with_user(self.portal_user)
        with self.assertRaises(AccessError):
            receipts.create({"order_id": self.order.id, "received_by": "Zhao Min"})
        with self.assertRaises(AccessError):
            self.order.with_user(self.rep).read(["receipt_token"])
        with self.assertRaises(AccessError):
            self.order.with_user(self.portal_user).read(["receipt_token"])
        self.assertFalse(self.order.customer_receipt_ids)
