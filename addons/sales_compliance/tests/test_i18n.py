from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestChineseTranslation(ComplianceCase):
    """The addon ships real zh_CN translations: a Chinese salesperson reads Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["sales_compliance"], ["zh_CN"])
        cls.rep.lang = "zh_CN"

    def test_error_messages_in_chinese(self):
        partner = self.env["res.partner"].create({"name": "客户甲", "is_company": True})
        partner.with_user(self.rep2).action_compliance_claim()
        with self.assertRaisesMsg(UserError, "已归属于"):
            partner.with_user(self.rep).with_context(lang="zh_CN").action_compliance_claim()
        self.assertEqual(partner.user_id, self.rep2)

    def test_menus_and_selections_in_chinese(self):
        menu = self.env.ref("sales_compliance.menu_compliance_my_approvals")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "我的审批")
        outcomes = dict(
            self.env["sales.compliance.rule"]
            .with_context(lang="zh_CN")
            ._fields["outcome"]
            ._description_selection(self.env(context={"lang": "zh_CN"}))
        )
        self.assertEqual(outcomes["approval"], "需要审批")

    def test_rule_levels_and_request_steps_have_names_of_their_own(self):
        models = (
            self.env["ir.model"]
            .with_context(lang="zh_CN")
            .search(
                [("model", "in", ("sales.compliance.rule.level", "sales.compliance.approval.step"))]
            )
        )
        self.assertEqual(
            {model.model: model.name for model in models},
            {
                "sales.compliance.rule.level": "合规规则审批层级",
                "sales.compliance.approval.step": "合规审批申请步骤",
            },
        )
        states = dict(
            self.env["sales.compliance.approval.step"]
            ._fields["state"]
            ._description_selection(self.env(context={"lang": "zh_CN"}))
        )
        self.assertEqual((states["upcoming"], states["to_decide"]), ("未轮到", "待审批"))
        steps = self.env["ir.model.fields"]._get("sales.compliance.approval", "step_ids")
        self.assertEqual(steps.with_context(lang="zh_CN").field_description, "审批步骤")
