from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import deliver


@tagged("post_install", "-at_install")
class TestDeliveryChinese(TransactionCase):
    """Late deliveries and customer receipts in zh_CN: what a Chinese rep and customer read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["sales_assistant"], ["zh_CN"])
        cls.rep = new_test_user(
            cls.env, login="zh_delivery_rep", groups="sales_team.group_sale_salesman", lang="zh_CN"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "广州华南电气有限公司", "email": "cg@huanan.example.com", "lang": "zh_CN"}
        )
        product = cls.env["product.product"].create({"name": "Breaker", "type": "consu"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        cls.order.action_confirm()

    def test_screens_in_chinese(self):
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(zh["ir.model"]._get("sales.customer.receipt").name, "客户签收")
        self.assertEqual(zh.ref("sales_assistant.menu_assistant_late_deliveries").name, "延迟发货")
        self.assertEqual(zh.ref("sales_assistant.delay_reason_stock").name, "缺货")
        states = dict(zh["sales.late.delivery"]._fields["state"]._description_selection(zh))
        self.assertEqual(states["late"], "已延迟")

    def test_errors_and_customer_email_in_chinese(self):
        deliver(self.order)
        request = (
            self.env["mail.mail"]
            .sudo()
            .search([("body_html", "like", f"/my/orders/{self.order.id}/receipt?token=")])
        )
        self.assertIn("确认收货", request.body_html)
        self.assertIn("请确认收货", request.subject)
        receipts = self.env["sales.customer.receipt"].with_user(self.rep).with_context(lang="zh_CN")
        receipts.create({"order_id": self.order.id, "received_by": "陈静"})
        with self.assertRaises(ValidationError) as error:
            receipts.create({"order_id": self.order.id, "received_by": "陈静"})
        self.assertIn("已确认过了", str(error.exception))
