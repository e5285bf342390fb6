"""The suite's groups and menus as users see them in the standard user form and the Sales app."""

from odoo.tests import TransactionCase, new_test_user, tagged

SUITE = ("sales_compliance", "sales_targets", "sales_assistant")


@tagged("post_install", "-at_install")
class TestSuiteGroups(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(cls.env, login="suite_employee", groups="base.group_user")
        cls.salesperson = new_test_user(
            cls.env, login="suite_salesperson", groups="sales_team.group_sale_salesman"
        )
        cls.sales_admin = new_test_user(
            cls.env, login="suite_sales_admin", groups="sales_team.group_sale_manager"
        )

    def _suite_groups(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", SUITE), ("model", "=", "res.groups")]
        )
        return self.env["res.groups"].browse(data.mapped("res_id"))

    def _suite_menus(self, module):
        data = self.env["ir.model.data"].search(
            [("module", "=", module), ("model", "=", "ir.ui.menu")]
        )
        return self.env["ir.ui.menu"].browse(data.mapped("res_id"))

    def _visible(self, user, menus):
        """Menus the user reaches in the web client: they and all their ancestors are visible."""
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return menus.filtered(
            lambda menu: all(int(mid) in visible for mid in menu.parent_path.strip("/").split("/"))
        )

    def test_salesperson_is_held_to_compliance_and_sees_own_targets(self):
        self.assertTrue(self.salesperson.has_group("sales_compliance.group_compliance_user"))
        self.assertTrue(self.salesperson.has_group("sales_targets.group_targets_salesperson"))
        self.assertTrue(self.salesperson.has_group("sales_assistant.group_assistant_user"))
        self.assertFalse(self.salesperson.has_group("sales_compliance.group_compliance_officer"))
        self.assertFalse(self.salesperson.has_group("sales_targets.group_targets_team_leader"))
        self.assertFalse(self.salesperson.has_group("sales_assistant.group_assistant_desk"))

    def test_sales_administrator_manages_targets_and_follows_every_order(self):
        for xmlid in (
            "sales_targets.group_targets_manager",
            "sales_targets.group_targets_team_leader",
            "sales_targets.group_targets_salesperson",
            "sales_assistant.group_assistant_desk",
            "sales_compliance.group_compliance_user",
        ):
            self.assertTrue(self.sales_admin.has_group(xmlid), xmlid)
        # Compliance officers are a separate function: a sales manager is not one by default.
        self.assertFalse(self.sales_admin.has_group("sales_compliance.group_compliance_officer"))

    def test_higher_groups_imply_lower_ones(self):
        chains = [
            ("sales_compliance.group_compliance_officer", "sales_compliance.group_compliance_user"),
            ("sales_targets.group_targets_manager", "sales_targets.group_targets_team_leader"),
            ("sales_targets.group_targets_team_leader", "sales_targets.group_targets_salesperson"),
            ("sales_assistant.group_assistant_desk", "sales_assistant.group_assistant_user"),
        ]
        for higher, lower in chains:
            implied = self.env.ref(higher).trans_implied_ids
            self.assertIn(self.env.ref(lower), implied, f"{higher} should imply {lower}")
            self.assertNotIn(self.env.ref(higher), self.env.ref(lower).trans_implied_ids)

    def test_groups_are_named_and_described_under_sales(self):
        groups = self._suite_groups()
        expected = {
            "sales_compliance.group_compliance_user",
            "sales_compliance.group_compliance_officer",
            "sales_targets.group_targets_salesperson",
            "sales_targets.group_targets_team_leader",
            "sales_targets.group_targets_manager",
            "sales_assistant.group_assistant_user",
            "sales_assistant.group_assistant_desk",
        }
        self.assertLessEqual({self.env.ref(xmlid) for xmlid in expected}, set(groups))
        sales = self.env.ref("base.module_category_sales")
        for group in groups:
            self.assertTrue(group.comment, f"{group.full_name} has no description")
            self.assertEqual(group.category_id.parent_id, sales, group.full_name)
        self.assertEqual(
            self.env.ref("sales_compliance.group_compliance_officer").full_name,
            "Sales Compliance / Officer",
        )

    def test_user_without_sales_rights_sees_no_suite_menu(self):
        for module in SUITE:
            menus = self._suite_menus(module)
            self.assertTrue(menus, f"{module} defines no menu")
            self.assertFalse(self._visible(self.employee, menus), module)

    def test_salesperson_sees_each_addons_menu_under_sales(self):
        sales_root = self.env.ref("sale.sale_menu_root")
        for module in SUITE:
            visible = self._visible(self.salesperson, self._suite_menus(module))
            with_action = visible.filtered("action")
            self.assertTrue(with_action, f"a salesperson sees no {module} menu with an action")
            for menu in with_action:
                self.assertTrue(
                    menu.parent_path.startswith(f"{sales_root.id}/"), menu.complete_name
                )

    def test_demo_data_is_loaded_in_the_test_database(self):
        modules = self.env["ir.module.module"].search([("name", "in", SUITE)])
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertTrue(all(modules.mapped("demo")))
