from lxml import etree

from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestScreens(ComplianceCase):
    """Every screen of the addon opens for the users who have its menu."""

    def _open(self, user, xmlid):
        action = self.env.ref(xmlid)
        Model = self.env[action.res_model].with_user(user)
        views = [(False, mode) for mode in action.view_mode.split(",")]
        result = Model.get_views([*views, (False, "search")])
        self.assertEqual(set(result["views"]), {mode for _id, mode in views} | {"search"})
        if action.res_model != "res.config.settings":
            Model.search_fetch([], ["display_name"], limit=5)

    def test_salesperson_screens(self):
        for xmlid in (
            "sales_compliance.action_compliance_my_approvals",
            "sales_compliance.action_compliance_approval",
            "sales_compliance.action_compliance_violation",
            "sales_compliance.action_compliance_violation_analysis",
            "sales_compliance.action_compliance_credit_review",
            "sales_compliance.action_compliance_public_pool",
            "sales_compliance.action_compliance_ownership_log",
        ):
            self._open(self.rep, xmlid)

    def test_salesperson_sees_compliance_menus(self):
        menus = self.env["ir.ui.menu"].with_user(self.rep)._visible_menu_ids()
        self.assertIn(self.env.ref("sales_compliance.menu_compliance_root").id, menus)
        self.assertIn(self.env.ref("sales_compliance.menu_compliance_my_approvals").id, menus)
        self.assertIn(self.env.ref("sales_compliance.menu_compliance_violation").id, menus)
        self.assertNotIn(self.env.ref("sales_compliance.menu_compliance_config").id, menus)

    def test_officer_screens(self):
        for xmlid in (
            "sales_compliance.action_compliance_rule",
            "sales_compliance.action_compliance_credit_rating",
            "sales_compliance.action_compliance_discount_ceiling",
        ):
            self._open(self.officer, xmlid)
        # the settings screen is Odoo's: administrators only
        self.officer.groups_id += self.env.ref("base.group_system")
        self._open(self.officer, "sales_compliance.action_compliance_settings")
        menus = self.env["ir.ui.menu"].with_user(self.officer)._visible_menu_ids()
        self.assertIn(self.env.ref("sales_compliance.menu_compliance_rule").id, menus)

    def test_forms_of_partner_lead_and_order(self):
        for model in ("res.partner", "crm.lead", "sale.order"):
            # str, or bytes once OCA's base_exception has rewritten the view
            arch = self.env[model].with_user(self.rep).get_view(view_type="form")["arch"]
            form = etree.fromstring(arch)
            self.assertTrue(form.xpath("//button[@name='action_view_compliance_violations']"))
            self.assertTrue(form.xpath("//field[starts-with(@name, 'compliance_')]"))
