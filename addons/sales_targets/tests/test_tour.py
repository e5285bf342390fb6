from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSalesTargetsTour(HttpCase):
    def test_plan_decompose_and_my_targets(self):
        # 1-2. a manager creates a yearly plan and decomposes it to teams and months
        self.start_tour(
            "/odoo/action-sales_targets.action_sales_target_plan",
            "sales_targets_plan_tour",
            login="admin",
        )
        plan = self.env["sales.target.plan"].search([("name", "=", "Tour Plan 2031")])
        self.assertEqual(len(plan), 1)
        company_target = plan.target_ids.filtered(lambda t: not t.parent_id)
        self.assertEqual(company_target.target_value, 1200000)
        teams = company_target.child_ids
        self.assertTrue(teams)
        self.assertEqual(set(teams.mapped("assignee_type")), {"team"})
        self.assertAlmostEqual(sum(teams.mapped("target_value")), 1200000)
        for team in teams:
            self.assertEqual(len(team.child_ids), 12)
            self.assertEqual(set(team.child_ids.mapped("period_type")), {"month"})
        self.assertFalse(company_target.breakdown_differs)

        # 3. a rep opens "My targets" and sees achievement from the demo orders
        demo = self.env.ref("base.user_demo")
        demo_plan = self.env.ref("sales_targets.demo_plan_year")
        demo_plan._recompute_achievements()
        mine = (
            self.env["sales.target"]
            .with_user(demo)
            .search([("plan_id", "=", demo_plan.id), ("period_type", "=", "month")])
        )
        self.assertTrue(mine)
        self.assertEqual(mine.user_id, demo)
        self.assertTrue(any(mine.mapped("actual")), "demo orders count for Marc Demo")
        self.start_tour(
            "/odoo/action-sales_targets.action_my_targets",
            "sales_targets_my_targets_tour",
            login="demo",
        )
        earned = self.env["sales.commission.statement"].search(
            [("user_id", "=", demo.id), ("state", "=", "draft")]
        )
        self.assertTrue(earned, "opening My Commission computed the current month")

    def test_manager_screens(self):
        self.start_tour(
            "/odoo/action-sales_targets.action_my_targets",
            "sales_targets_screens_tour",
            login="admin",
        )
        statement = self.env["sales.commission.statement"].search(
            [("user_id", "=", self.env.ref("base.user_demo").id), ("state", "=", "confirmed")]
        )
        self.assertEqual(len(statement), 1, "the tour confirmed Marc Demo's statement")
        self.assertEqual(statement.scheme_id, self.env.ref("sales_targets.demo_commission_scheme"))
