from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TargetsCase


@tagged("post_install", "-at_install")
class TestForecast(TargetsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["crm.stage"]
        # the funnel of DOMAIN.md section 4: 50% -> 80% -> 90%
        cls.potential = Stage.create(
            {
                "name": "Potential",
                "sequence": 101,
                "forecast_probability": 36,
                "forecast_months_to_close": 3,
            }
        )
        cls.bidding = Stage.create(
            {
                "name": "Bidding",
                "sequence": 102,
                "forecast_probability": 72,
                "forecast_months_to_close": 2,
            }
        )
        cls.negotiation = Stage.create(
            {
                "name": "Negotiation",
                "sequence": 103,
                "forecast_probability": 90,
                "forecast_months_to_close": 1,
            }
        )

    def opportunity(self, stage, amount, user=None, **extra):
        return self.env["crm.lead"].create(
            {
                "name": f"{stage.name} deal",
                "type": "opportunity",
                "stage_id": stage.id,
                "user_id": (user or self.rep_a).id,
                "expected_revenue": amount,
                **extra,
            }
        )

    def test_funnel_gives_180k_a_month(self):
        self.opportunity(self.potential, 500000)
        self.opportunity(self.bidding, 250000)
        self.opportunity(self.negotiation, 200000)
        today = fields.Date.context_today(self.env.user)
        facts = self.env["crm.lead"]._forecast_facts(
            today, today + relativedelta(months=4), self.company
        )
        by_month = {}
        for user_id, _team, _company, day, _overlay, amount in facts:
            if user_id == self.rep_a.id:
                month = (day.year - today.year) * 12 + day.month - today.month
                by_month[month] = by_month.get(month, 0.0) + float(amount)
        self.assertEqual(sorted(by_month), [1, 2, 3])
        for month in (1, 2, 3):
            self.assertAlmostEqual(by_month[month], 180000.0)

    def test_forecast_report_sets_pipeline_against_target(self):
        today = fields.Date.context_today(self.env.user)
        plan = self.env["sales.target.plan"].create(
            {
                "name": "Forecast plan",
                "date_from": today.replace(month=1, day=1),
                "date_to": today.replace(month=12, day=31),
                "metric_ids": [(6, 0, self.metric_revenue.ids)],
            }
        )
        start = today.replace(day=1)
        self.make_target(
            self.rep_a,
            value=50000,
            start=start,
            end=start + relativedelta(months=1, days=-1),
            plan=plan,
        )
        self.opportunity(self.negotiation, 20000, date_deadline=today)
        self.env.flush_all()
        Report = self.env["sales.forecast.report"].with_user(self.rep_a)
        groups = Report._read_group(
            [("date", ">=", start), ("date", "<", start + relativedelta(months=1))],
            ["source"],
            ["weighted_revenue:sum", "target_value:sum"],
        )
        totals = {source: (weighted, target) for source, weighted, target in groups}
        self.assertAlmostEqual(totals["pipeline"][0], 18000)
        self.assertAlmostEqual(totals["target"][1], 50000)
        self.assertFalse(
            self.env["sales.forecast.report"]
            .with_user(self.rep_b)
            .search([])
            .filtered(lambda r: r.user_id == self.rep_a),
            "a salesperson does not see a colleague's forecast",
        )

    def test_commit_and_tracked_manager_adjustment(self):
        Commit = self.env["sales.forecast.commit"]
        commit = Commit.with_user(self.rep_a).create(
            {
                "date_from": date(2025, 3, 1),
                "date_to": date(2025, 3, 31),
                "commit_amount": 30000,
                "best_case_amount": 45000,
            }
        )
        self.assertEqual(commit.user_id, self.rep_a)
        self.assertEqual(commit.team_id, self.team_1)
        self.assertEqual(commit.final_commit, 30000)
        with self.assert_raises_msg(UserError, "Only the team leader"):
            commit.with_user(self.rep_a).write({"adjusted_commit": 99999, "adjustment_reason": "x"})
        with self.assert_raises_msg(UserError, "reason"):
            commit.with_user(self.leader).write({"adjusted_commit": 25000})
        commit.with_user(self.leader).with_context(tracking_disable=False).write(
            {
                "adjusted_commit": 25000,
                "adjusted_best_case": 40000,
                "adjustment_reason": "Deal X slips to April",
            }
        )
        self.assertEqual(commit.final_commit, 25000)
        self.assertEqual(commit.final_best_case, 40000)
        self.assertEqual(commit.adjusted_by_id, self.leader)
        self.assertEqual(commit.commit_amount, 30000, "the rep's own figure is kept")
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = commit.sudo().message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertIn("adjusted_commit", tracked)
        self.assertIn("adjustment_reason", tracked)

    def test_forecast_visibility(self):
        Commit = self.env["sales.forecast.commit"]
        mine = Commit.with_user(self.rep_a).create(
            {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31), "commit_amount": 1}
        )
        other = Commit.with_user(self.rep_c).create(
            {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31), "commit_amount": 2}
        )
        self.assertEqual(Commit.with_user(self.rep_a).search([]), mine)
        self.assertEqual(Commit.with_user(self.leader).search([]), mine)
        self.assertLessEqual(mine | other, Commit.with_user(self.manager).search([]))
        with self.assert_raises_msg(UserError, "Only the team leader"):
            other.with_user(self.rep_c).write(
                {"adjusted_commit": 1, "adjustment_reason": "self-adjusting"}
            )
        self.assertFalse(other.adjusted_by_id)

    def test_salesperson_cannot_undo_or_move_the_managers_forecast(self):
        commit = (
            self.env["sales.forecast.commit"]
            .with_user(self.rep_a)
            .create(
                {
                    "date_from": date(2025, 4, 1),
                    "date_to": date(2025, 4, 30),
                    "commit_amount": 30000,
                    "best_case_amount": 45000,
                }
            )
        )
        commit.with_user(self.leader).write(
            {"adjusted_commit": 20000, "adjustment_reason": "Deal Y is lost"}
        )
        mine = commit.with_user(self.rep_a)
        for vals in (
            {"adjusted_by_id": False},
            {"user_id": self.rep_b.id},
            {"team_id": self.team_2.id},
            {"adjusted_commit": 30000},
        ):
            with self.assert_raises_msg(UserError, "ask your team leader"):
                mine.write(vals)
        self.assertEqual(commit.adjusted_by_id, self.leader)
        self.assertEqual(commit.final_commit, 20000, "the manager's figure holds")
        self.assertEqual((commit.user_id, commit.team_id), (self.rep_a, self.team_1))
        # the salesperson still records their own figures, and resends unchanged ones
        mine.write({"commit_amount": 32000, "user_id": self.rep_a.id})
        self.assertEqual(commit.commit_amount, 32000)
        self.assertEqual(commit.final_commit, 20000)
        # nor is a forecast recorded in another team, or pre-adjusted
        Commit = self.env["sales.forecast.commit"].with_user(self.rep_a)
        with self.assert_raises_msg(UserError, "ask your team leader"):
            Commit.create(
                {
                    "date_from": date(2025, 5, 1),
                    "date_to": date(2025, 5, 31),
                    "team_id": self.team_2.id,
                }
            )
        with self.assert_raises_msg(UserError, "a manager adjusts it afterwards"):
            Commit.create(
                {
                    "date_from": date(2025, 5, 1),
                    "date_to": date(2025, 5, 31),
                    "adjusted_by_id": self.leader.id,
                }
            )
