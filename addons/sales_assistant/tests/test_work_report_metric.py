from datetime import date, timedelta

from odoo import Command
from odoo.tests import tagged

from .common_work_report_rhythm import MONDAY, RhythmCase


@tagged("post_install", "-at_install")
class TestWorkReportMetric(RhythmCase):
    """Report discipline (日报提交率), a target metric: the share of working days of the
    period with a daily report submitted on time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.metric = cls.env["sales.target.metric"].create(
            {"name": "Report Discipline", "metric_type": "report_discipline"}
        )
        days = cls.week(MONDAY)
        for day in days[:4]:
            cls.make_report(cls.rep, day, state="submitted", discipline="on_time")
        cls.make_report(cls.rep, days[4], discipline="missing")
        # a report on Saturday is not a working day; today's, pending, does not count yet
        cls.make_report(cls.rep, MONDAY + timedelta(days=5), state="submitted", discipline="late")
        cls.make_report(cls.rep, MONDAY + timedelta(days=7))
        # a weekly report is not a daily one
        cls.make_report(cls.rep, MONDAY, period="week", discipline="late")
        cls.make_report(cls.rep_2, days[0], state="submitted", discipline="late")
        cls.make_report(cls.rep_2, days[1], state="submitted", discipline="on_time")

    def rate(self, user, date_from=MONDAY, date_to=MONDAY + timedelta(days=7)):
        facts = self.metric.sudo()._fetch_facts(date_from, date_to, self.company, [user.id])
        return sum(fact[5] for fact in facts) / sum(fact[6] for fact in facts)

    def test_a_rep_with_four_of_five_working_days_on_time_scores_eighty(self):
        self.assertAlmostEqual(self.rate(self.rep), 80.0)
        self.assertAlmostEqual(self.rate(self.rep_2), 50.0)

    def test_report_discipline_sits_on_a_scorecard_beside_the_compliance_rate(self):
        compliance = self.env["sales.target.metric"].create(
            {"name": "Compliance Rate", "metric_type": "compliance_rate"}
        )
        plan = self.env["sales.target.plan"].create(
            {
                "name": "Plan December",
                "date_from": date(2026, 11, 1),
                "date_to": date(2026, 12, 31),
                "metric_ids": [Command.set((self.metric | compliance).ids)],
            }
        )
        target = self.env["sales.target"].create(
            {
                "plan_id": plan.id,
                "metric_id": self.metric.id,
                "assignee_type": "user",
                "user_id": self.rep.id,
                "date_from": MONDAY,
                "date_to": MONDAY + timedelta(days=6),
                "target_value": 95.0,
            }
        )
        target.with_user(self.rep).action_refresh_achievement()
        self.assertAlmostEqual(target.actual, 80.0)
        self.assertTrue(self.metric._is_rate_metric())
