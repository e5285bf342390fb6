from datetime import date, datetime

from odoo import Command
from odoo.addons.sales_targets.tests.common import TargetsCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestComplianceRateMetric(TargetsCase):
    """The compliance rate (制度遵守情况) target metric, added by sales_assistant to the targets
    engine with one file: the share of a salesperson's confirmed orders without a violation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.env["sales.compliance.rule"].create(
            {
                "name": "Large order",
                "model_name": "sale.order",
                "trigger": "confirm",
                "condition_type": "domain",
                "domain": "[('amount_untaxed', '>', 5000)]",
                "outcome": "warn",
            }
        )
        cls.metric = cls.env["sales.target.metric"].create(
            {"name": "Compliance Rate", "metric_type": "compliance_rate"}
        )
        cls.plan.metric_ids = [Command.link(cls.metric.id)]
        # January (Shanghai time): rep A 2 of 3 orders compliant, rep B 0 of 1
        cls.make_order(cls.rep_a, 1000, datetime(2025, 1, 5, 9))
        cls.make_order(cls.rep_a, 2000, datetime(2025, 1, 20, 9))
        cls.make_order(cls.rep_a, 8000, datetime(2025, 1, 25, 9))
        cls.make_order(cls.rep_b, 9000, datetime(2025, 1, 10, 9))
        # 1 February 04:00 in Shanghai: a February order, though still 31 January in UTC
        cls.make_order(cls.rep_a, 500, datetime(2025, 1, 31, 20))
        cls.make_order(cls.rep_a, 700, confirm=False)  # quotation: not counted

    def test_orders_with_a_violation_lower_the_rate(self):
        january = self.make_target(self.rep_a, value=90.0, metric=self.metric)
        team = self.make_target(
            value=90.0, metric=self.metric, assignee_type="team", team_id=self.team_1.id
        )
        quarter = self.make_target(
            self.rep_a, value=90.0, metric=self.metric, end=date(2025, 3, 31)
        )
        # the salesperson refreshes their own targets
        (january | quarter).with_user(self.rep_a).action_refresh_achievement()
        self.plan._recompute_achievements(today=date(2025, 2, 15))
        self.assertAlmostEqual(january.actual, 200.0 / 3, places=2)
        self.assertAlmostEqual(january.achievement_pct, 200.0 / 3 / 90.0 * 100.0, places=2)
        # the team's rate is over its orders, not the sum of its reps' rates: 2 of 4
        self.assertAlmostEqual(team.actual, 50.0)
        # the quarter to date is 3 of 4 orders, and a rate is not extrapolated to the end
        self.assertAlmostEqual(quarter.actual_to_date, 75.0)
        self.assertAlmostEqual(quarter.run_rate, 75.0)
        self.assertAlmostEqual(quarter.mtd, 100.0)

    def test_rate_target_is_not_split_between_months(self):
        quarter = self.make_target(
            self.rep_a, value=95.0, metric=self.metric, end=date(2025, 3, 31)
        )
        months = quarter._split_over_time("month")
        self.assertEqual(months.mapped("target_value"), [95.0, 95.0, 95.0])
        self.assertFalse(quarter.breakdown_differs)

    def test_metric_type_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_assistant"], ["zh_CN"], overwrite=True
        )
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        field = env_zh["sales.target.metric"]._fields["metric_type"]
        labels = dict(field._description_selection(env_zh))
        self.assertEqual(labels["compliance_rate"], "已确认订单制度遵守率")
