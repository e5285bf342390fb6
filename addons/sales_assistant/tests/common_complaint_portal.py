"""The set-up of the complaint portal tests: two customers with their portal users, and a
confirmed order each."""

import base64
import json
import re

from odoo.tests import HttpCase, new_test_user

# the smallest valid PNG and PDF: a photo and a scan, as far as the server can tell
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# a Windows program, named like a photo
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


class ComplaintPortalCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="cp_rep",
            groups="sales_team.group_sale_salesman,sales_assistant.group_assistant_user",
            name="Rep Ruth",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "宁波恒达阀门有限公司",
                "email": "buyer@hengda.example.com",
                "is_company": True,
            }
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Chen Jing", "parent_id": cls.customer.id, "email": "chen@hengda.example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Trading Ltd", "email": "buyer@other.example.com", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="cp_buyer",
            password="cp_buyer_pwd",
            groups="base.group_portal",
            partner_id=cls.buyer.id,
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            login="cp_other",
            password="cp_other_pwd",
            groups="base.group_portal",
            partner_id=cls.other_customer.id,
        )
        cls.valve = cls.env["product.product"].create(
            {"name": "Ball valve DN50", "type": "consu", "list_price": 120.0}
        )
        cls.gasket = cls.env["product.product"].create(
            {"name": "Gasket kit", "type": "consu", "list_price": 8.0}
        )
        cls.pump = cls.env["product.product"].create(
            {"name": "Booster pump", "type": "consu", "list_price": 900.0}
        )
        cls.order = cls.make_order(cls.customer, [cls.valve, cls.gasket])
        cls.other_order = cls.make_order(cls.other_customer, [cls.pump])

    @classmethod
    def make_order(cls, partner, products, confirm=True):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": cls.rep.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1}) for product in products
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    @classmethod
    def make_complaint(cls, order, subject, **values):
        """A complaint recorded by staff on ``order``."""
        return cls.env["sales.complaint"].create(
            {
                "subject": subject,
                "order_id": order.id,
                "partner_id": order.partner_id.id,
                "user_id": order.user_id.id,
                "company_id": order.company_id.id,
                **values,
            }
        )

    def complaints(self, order=None):
        return self.env["sales.complaint"].search([("order_id", "=", (order or self.order).id)])

    def form_url(self, order=None, token=None):
        url = f"/my/orders/{(order or self.order).id}/complaint"
        return f"{url}?access_token={token}" if token else url

    def post_form(self, url, files=None, **data):
        """Open the form at ``url`` as the browser does, then send it with its CSRF token."""
        page = self.url_open(url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text) or re.search(
            r'csrf_token: "([^"]+)"', page.text
        )
        data = {"csrf_token": csrf[1] if csrf else "", "category": "quality", **data}
        return self.url_open(url, data=data, files=files or {})

    def json_rpc(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()
