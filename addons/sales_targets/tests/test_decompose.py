from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TargetsCase


@tagged("post_install", "-at_install")
class TestDecompose(TargetsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = cls.make_target(value=120000, start=date(2025, 1, 1), end=date(2025, 12, 31))

    def wizard(self, target=None, **vals):
        return self.env["sales.target.decompose"].create(
            {"target_id": (target or self.year).id, **vals}
        )

    def test_equal_months(self):
        self.wizard(dimension="time", period_type="month", method="equal").action_apply()
        months = self.year.child_ids
        self.assertEqual(len(months), 12)
        self.assertEqual(set(months.mapped("period_type")), {"month"})
        self.assertEqual(set(months.mapped("target_value")), {10000.0})
        self.assertFalse(self.year.breakdown_differs)

    def test_quarters_with_uplift_flags_mismatch(self):
        self.wizard(
            dimension="time", period_type="quarter", method="equal", uplift_pct=10
        ).action_apply()
        quarters = self.year.child_ids
        self.assertEqual(quarters.mapped("target_value"), [33000.0] * 4)
        self.assertTrue(self.year.breakdown_differs)
        self.assertAlmostEqual(self.year.breakdown_difference, -12000.0)

    def test_weights_to_teams(self):
        wizard = self.wizard(dimension="team", method="weights")
        wizard.team_ids = self.team_1 | self.team_2
        wizard.action_compute()
        wizard.line_ids.filtered(lambda line: line.team_id == self.team_1).weight = 3
        wizard.action_apply()
        by_team = {t.team_id: t.target_value for t in self.year.child_ids}
        self.assertEqual(by_team, {self.team_1: 90000.0, self.team_2: 30000.0})
        self.assertEqual(set(self.year.child_ids.mapped("assignee_type")), {"team"})

    def test_teams_then_months(self):
        wizard = self.wizard(
            dimension="team", method="equal", also_by_period=True, period_type="month"
        )
        wizard.team_ids = self.team_1 | self.team_2
        wizard.action_apply()
        teams = self.year.child_ids
        self.assertEqual(len(teams), 2)
        for team in teams:
            self.assertEqual(len(team.child_ids), 12)
            self.assertAlmostEqual(sum(team.child_ids.mapped("target_value")), 60000.0)
            self.assertEqual(team.child_ids.team_id, team.team_id)

    def test_history_to_salespeople(self):
        self.make_order(self.rep_a, 3000, datetime(2024, 3, 1, 9))
        self.make_order(self.rep_b, 1000, datetime(2024, 5, 1, 9))
        team_target = self.make_target(
            value=8000,
            assignee_type="team",
            team_id=self.team_1.id,
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            parent_id=self.year.id,
        )
        wizard = self.wizard(team_target, dimension="user", method="history")
        wizard._onchange_dimension()
        self.assertEqual(wizard.user_ids, self.rep_a | self.rep_b, "the team's members")
        wizard.action_apply()
        by_user = {t.user_id: t.target_value for t in team_target.child_ids}
        self.assertEqual(by_user[self.rep_a], 6000.0)
        self.assertEqual(by_user[self.rep_b], 2000.0)

    def test_seasonality_over_months(self):
        self.make_order(self.rep_a, 1000, datetime(2024, 1, 10, 9))
        self.make_order(self.rep_b, 3000, datetime(2024, 12, 10, 9))
        self.wizard(dimension="time", period_type="month", method="seasonality").action_apply()
        months = self.year.child_ids.sorted("date_from")
        self.assertEqual(months[0].target_value, 30000.0)
        self.assertEqual(months[-1].target_value, 90000.0)
        self.assertFalse(any(months[1:-1].mapped("target_value")))

    def test_history_without_data_is_a_clear_error(self):
        wizard = self.wizard(dimension="time", period_type="quarter", method="history")
        with self.assert_raises_msg(UserError, "no actuals last year"):
            wizard.action_apply()
        self.assertFalse(self.year.child_ids)

    def test_manual_entry(self):
        wizard = self.wizard(dimension="time", period_type="quarter", method="manual")
        wizard.action_compute()
        for line, value in zip(wizard.line_ids, (10000, 20000, 30000, 50000), strict=True):
            line.value = value
        wizard.action_apply()
        self.assertEqual(self.year.child_ids.mapped("target_value"), [10000, 20000, 30000, 50000])
        self.assertTrue(self.year.breakdown_differs)
        self.assertAlmostEqual(self.year.breakdown_difference, 10000)

    def test_split_amount_rounding_adds_up(self):
        values = self.env["sales.target"]._split_amount(100.0, [1, 1, 1])
        self.assertAlmostEqual(sum(values), 100.0)
        self.assertEqual(values[:2], [33.33, 33.33])

    def test_decompose_on_approved_plan_needs_reason(self):
        self.plan.action_approve()
        wizard = self.wizard(dimension="time", period_type="quarter", method="equal")
        with self.assert_raises_msg(UserError, "reason"):
            wizard.action_apply()
        self.assertFalse(self.year.child_ids)
        wizard.reason = "Split after approval"
        wizard.action_apply()
        self.assertEqual(len(self.year.child_ids), 4)
        self.assertEqual(set(self.plan.revision_ids.mapped("reason")), {"Split after approval"})

    def test_weeks(self):
        month = self.make_target(
            value=3100, start=date(2025, 1, 1), end=date(2025, 1, 31), parent_id=self.year.id
        )
        self.wizard(month, dimension="time", period_type="week", method="equal").action_apply()
        weeks = month.child_ids.sorted("date_from")
        # 2025-01-01 is a Wednesday: the first and last weeks are cut at the month's edges
        self.assertEqual(len(weeks), 5)
        self.assertEqual(weeks[0].date_from, date(2025, 1, 1))
        self.assertEqual(weeks[0].date_to, date(2025, 1, 5))
        self.assertEqual(weeks[-1].date_to, date(2025, 1, 31))
        self.assertAlmostEqual(sum(weeks.mapped("target_value")), 3100)

    def test_only_managers_decompose(self):
        with self.assertRaises(AccessError):
            self.env["sales.target.decompose"].with_user(self.leader).create(
                {"target_id": self.year.id, "dimension": "time", "method": "equal"}
            )
        self.assertFalse(self.year.child_ids)
        wizard = (
            self.env["sales.target.decompose"]
            .with_user(self.manager)
            .create(
                {
                    "target_id": self.year.id,
                    "dimension": "time",
                    "period_type": "quarter",
                    "method": "equal",
                }
            )
        )
        wizard.action_apply()
        self.assertEqual(len(self.year.child_ids), 4)

    def test_teams_then_months_by_seasonality(self):
        self.make_order(self.rep_a, 1000, datetime(2024, 2, 10, 9))
        self.make_order(self.rep_c, 3000, datetime(2024, 11, 10, 9))
        wizard = self.wizard(
            dimension="team", method="history", also_by_period=True, period_type="month"
        )
        wizard.team_ids = self.team_1 | self.team_2
        wizard.action_apply()
        by_team = {t.team_id: t for t in self.year.child_ids}
        # last year: team 1 sold 1,000 and team 2 3,000
        self.assertEqual(by_team[self.team_1].target_value, 30000)
        self.assertEqual(by_team[self.team_2].target_value, 90000)
        months = by_team[self.team_1].child_ids.sorted("date_from")
        self.assertEqual(months[1].target_value, 30000 * 1000 / 4000)
        self.assertEqual(months[10].target_value, 30000 * 3000 / 4000)

    def test_seasonality_without_history_splits_equally_and_says_so(self):
        team_target = self.make_target(
            value=4000,
            assignee_type="team",
            team_id=self.team_1.id,
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            parent_id=self.year.id,
        )
        team_target._split_over_time("quarter", "seasonality")
        self.assertEqual(team_target.child_ids.mapped("target_value"), [1000.0] * 4)
        self.assertIn("split equally", team_target.message_ids[:1].body)
