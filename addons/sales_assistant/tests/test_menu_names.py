"""Menus a user understands (issue #18): no two menus of the assistant share a name, in
English or in Chinese, so that each says what is behind it."""

from collections import Counter

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMenuNames(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["sales_assistant"], ["zh_CN"])

    def _menus(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "sales_assistant"), ("model", "=", "ir.ui.menu")]
        )
        return self.env["ir.ui.menu"].browse(data.mapped("res_id"))

    def test_no_two_menus_of_the_assistant_share_a_name(self):
        for lang in ("en_US", "zh_CN"):
            names = Counter(self._menus().with_context(lang=lang).mapped("name"))
            self.assertEqual([n for n, count in names.items() if count > 1], [], lang)

    def test_the_menus_say_what_is_behind_them(self):
        zh = self.env(context={"lang": "zh_CN"})
        names = {
            xmlid: (
                self.env.ref(f"sales_assistant.{xmlid}").name,
                zh.ref(f"sales_assistant.{xmlid}").name,
            )
            for xmlid in (
                "menu_assistant_root",
                "menu_assistant_config",
                "menu_assistant_orders",
                "menu_assistant_late_deliveries",
                "menu_assistant_late_deliveries_report",
            )
        }
        self.assertEqual(
            names,
            {
                "menu_assistant_root": ("Follow-up", "跟进"),
                "menu_assistant_config": ("Follow-up Lists", "跟进基础资料"),
                "menu_assistant_orders": ("Orders and Deliveries", "订单与发货"),
                "menu_assistant_late_deliveries": ("Late Deliveries", "延迟发货"),
                "menu_assistant_late_deliveries_report": (
                    "Late Deliveries Analysis",
                    "延迟发货分析",
                ),
            },
        )
