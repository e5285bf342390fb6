from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TargetsCase


@tagged("post_install", "-at_install")
class TestChineseTranslation(TargetsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["sales_targets"], ["zh_CN"], overwrite=True)

    def test_fields_menus_and_messages_in_chinese(self):
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        Target = env_zh["sales.target"]
        self.assertEqual(Target._fields["actual"]._description_string(env_zh), "实际")
        self.assertEqual(Target._fields["run_rate"]._description_string(env_zh), "按当前进度预测")
        menu = env_zh.ref("sales_targets.menu_my_targets")
        self.assertEqual(menu.name, "我的目标")
        self.assertEqual(env_zh.ref("sales_targets.metric_revenue").name, "销售额")
        target = self.make_target(self.rep_a, value=100)
        self.plan.action_approve()
        with self.assert_raises_msg(UserError, "请通过“修订”按钮填写变更原因"):
            target.with_env(env_zh).target_value = 50
        # a salesperson is told, in Chinese, whom to ask
        rep_zh = target.with_user(self.rep_a).with_context(lang="zh_CN")
        with self.assert_raises_msg(UserError, "请联系您的经理修订该目标"):
            rep_zh.target_value = 50
        self.assertEqual(target.target_value, 100)
