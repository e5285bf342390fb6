import re

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RpcError, call_kw, deliver, receipt_link


@tagged("post_install", "-at_install")
class TestTrustReceipt(HttpCase):
    """The customer's receipt link is the customer's alone: a colleague who reads the order
    cannot find it, a refused link shows nothing of the order, and every confirmation on the
    portal keeps the address and browser it came from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="trust_rcpt_rep",
            password="trust_rcpt_rep",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "宁波海天贸易有限公司", "email": "buyer@haitian.example.com"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="trust_rcpt_buyer",
            password="trust_rcpt_buyer",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
        product = cls.env["product.product"].create({"name": "Valve", "type": "consu"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        cls.order.action_confirm()

    def test_a_colleague_reading_the_order_cannot_find_the_customer_link(self):
        deliver(self.order)
        self.authenticate("trust_rcpt_rep", "trust_rcpt_rep")
        messages = call_kw(
            self,
            "mail.message",
            "search_read",
            [[("model", "=", "sale.order"), ("res_id", "=", self.order.id)]],
            kwargs={"fields": ["body"]},
        )
        self.assertFalse([m for m in messages if "token=" in (m["body"] or "")])
        anywhere = call_kw(
            self,
            "mail.message",
            "search_read",
            [[("body", "ilike", "token=")]],
            kwargs={"fields": ["id"]},
        )
        self.assertFalse(anywhere, "the e-mail is readable by its recipient only")
        # the chatter says that the request went out, the customer has the link
        self.assertTrue(
            [m for m in messages if "e-mailed the link to confirm receipt" in (m["body"] or "")]
        )
        link = receipt_link(self, self.order)
        self.assertIn("token=", link)

    def test_the_order_page_gives_the_link_to_the_customer_only(self):
        deliver(self.order)
        # the rep previewing the customer's page
        self.authenticate("trust_rcpt_rep", "trust_rcpt_rep")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("/receipt?token=", page.text)
        # whoever holds the order's access token, signed out
        self.logout()
        access_token = self.order.sudo()._portal_ensure_token()
        page = self.url_open(f"/my/orders/{self.order.id}?access_token={access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("/receipt?token=", page.text)
        # the customer's own portal user
        self.authenticate("trust_rcpt_buyer", "trust_rcpt_buyer")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn("/receipt?token=", page.text)

    def test_a_refused_link_shows_nothing_of_the_order(self):
        deliver(self.order)
        missing_id = self.order.search([], order="id desc", limit=1).id + 1000
        answers = {}
        for label, url in [
            ("no token", f"/my/orders/{self.order.id}/receipt"),
            ("bad token", f"/my/orders/{self.order.id}/receipt?token=guess"),
            ("no order", f"/my/orders/{missing_id}/receipt?token=guess"),
        ]:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 403, label)
            self.assertNotIn(self.order.name, response.text, label)
            self.assertNotIn(self.customer.name, response.text, label)
            body = re.sub(r'csrf_token: "[^"]+"', "", response.text)
            answers[label] = re.sub(r"\d+/receipt", "", body)
        self.assertEqual(answers["bad token"], answers["no order"], "ids cannot be enumerated")

    def test_a_portal_receipt_keeps_the_address_and_browser(self):
        deliver(self.order)
        link = receipt_link(self, self.order)
        page = self.url_open(link)
        csrf = re.search(r'csrf_token: "([^"]+)"', page.text)[1]
        today = self.order.with_user(self.env.ref("base.public_user"))._receipt_today()
        response = self.url_open(
            link,
            data={"csrf_token": csrf, "received_by": "王建国", "received_date": str(today)},
            headers={"User-Agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0"},
        )
        # the receipt link confirms receipt: it does not open the order (prices, chatter)
        self.assertIn("o_customer_receipt_done", response.text)
        self.assertNotIn("access_token=", response.text)
        receipt = self.order.customer_receipt_ids
        self.assertEqual(receipt.channel, "portal")
        self.assertEqual(receipt.portal_ip, "127.0.0.1")
        self.assertIn("MicroMessenger", receipt.portal_user_agent)

    def test_staff_cannot_type_where_a_portal_confirmation_came_from(self):
        deliver(self.order)
        self.authenticate("trust_rcpt_rep", "trust_rcpt_rep")
        with self.assertRaisesRegex(RpcError, "not typed in"):
            call_kw(
                self,
                "sales.customer.receipt",
                "create",
                [{"order_id": self.order.id, "received_by": "Li", "portal_ip": "10.0.0.1"}],
            )
        self.assertFalse(self.order.customer_receipt_ids)
        receipt = (
            self.env["sales.customer.receipt"]
            .with_user(self.rep)
            .create({"order_id": self.order.id, "received_by": "Li"})
        )
        self.assertEqual(receipt.channel, "staff")
        self.assertFalse(receipt.portal_ip)
        with self.assertRaises(UserError):
            receipt.with_user(self.rep).write({"portal_user_agent": "Customer's phone"})

    def test_a_colleague_cannot_render_the_request_template_for_the_link(self):
        deliver(self.order)
        template = self.env.ref("sales_assistant.mail_template_receipt_request")
        self.authenticate("trust_rcpt_rep", "trust_rcpt_rep")
        try:
            composer = call_kw(
                self,
                "mail.compose.message",
                "create",
                [
                    {
                        "model": "sale.order",
                        "res_ids": str(self.order.ids),
                        "template_id": template.id,
                        "composition_mode": "comment",
                    }
                ],
            )
            body = call_kw(self, "mail.compose.message", "read", [[composer], ["body"]])[0]["body"]
        except RpcError:
            body = ""
        self.assertNotIn("token=", body or "")

    def test_a_confirmation_stays_on_its_order_and_the_customer_words_stay_theirs(self):
        deliver(self.order)
        link = receipt_link(self, self.order)
        page = self.url_open(link)
        csrf = re.search(r'csrf_token: "([^"]+)"', page.text)[1]
        today = self.order.with_user(self.env.ref("base.public_user"))._receipt_today()
        self.url_open(
            link, data={"csrf_token": csrf, "received_by": "王建国", "received_date": str(today)}
        )
        receipt = self.order.customer_receipt_ids
        self.assertEqual(receipt.channel, "portal")
        other = self.order.copy()
        other.action_confirm()
        new_test_user(
            self.env,
            login="trust_rcpt_desk",
            password="trust_rcpt_desk",
            groups="sales_assistant.group_assistant_desk",
        )
        self.authenticate("trust_rcpt_desk", "trust_rcpt_desk")
        for vals in ({"order_id": other.id}, {"received_by": "Someone else"}):
            with self.assertRaises(RpcError):
                call_kw(self, "sales.customer.receipt", "write", [receipt.ids, vals])
        self.assertEqual(receipt.order_id, self.order)
        self.assertEqual(receipt.received_by, "王建国")
        # the staff's own record stays editable by the desk (a note)
        call_kw(self, "sales.customer.receipt", "write", [receipt.ids, {"note": "Box dented"}])
        self.assertEqual(receipt.note, "Box dented")
