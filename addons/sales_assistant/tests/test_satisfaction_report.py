from datetime import date, datetime

from odoo import Command
from odoo.addons.sales_assistant.tests.common_satisfaction import SatisfactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSatisfactionAnalysis(SatisfactionCase):
    """The satisfaction score per rep, team and month, read through record rules, and the
    "customer satisfaction" target metric."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.env["sales.satisfaction.report"].flush_model()

    def surveyed(self, user, score, answered_at, name="客户"):
        """A customer of ``user`` invited (yearly) and answering ``score`` at the UTC
        datetime ``answered_at``."""
        partner = self.env["res.partner"].create({"name": name, "user_id": user.id})
        answer = self.env["sales.satisfaction"]._invite(
            [
                {
                    "trigger": "yearly",
                    "company": self.company,
                    "partner": partner,
                    "user": user,
                    "year": answered_at.year,
                }
            ]
        )
        self.assertEqual(len(answer), 1)
        if score:
            self.answer(answer, score)
            answer.end_datetime = answered_at
        return answer

    def scores(self, user, groupby):
        Report = self.env["sales.satisfaction.report"].with_user(user)
        return {
            key.display_name if hasattr(key, "display_name") else key: (avg, count, sent)
            for key, avg, count, sent in Report._read_group(
                [("company_id", "=", self.company.id)],
                [groupby],
                ["score:avg", "answered_count:sum", "sent_count:sum"],
            )
        }

    def make_answers(self):
        self.surveyed(self.rep, 5, datetime(2025, 1, 10, 2))
        self.surveyed(self.rep, 3, datetime(2025, 1, 20, 2))
        # 1 February 01:00 in Shanghai, still 31 January in UTC: a February answer
        self.surveyed(self.rep, 2, datetime(2025, 1, 31, 17))
        self.surveyed(self.rep, 0, datetime(2025, 1, 31, 17))  # not answered yet
        self.surveyed(self.rep_2, 4, datetime(2025, 1, 15, 2))
        self.surveyed(self.other_rep, 1, datetime(2025, 1, 15, 2))

    def test_rep_sees_their_own_scores_per_month(self):
        self.make_answers()
        rows = self.env["sales.satisfaction.report"].with_user(self.rep).search([])
        self.assertEqual(rows.user_id, self.rep)
        by_month = {
            month: (avg, count, sent)
            for month, avg, count, sent in self.env["sales.satisfaction.report"]
            .with_user(self.rep)
            ._read_group([], ["date:month"], ["score:avg", "answered_count:sum", "sent_count:sum"])
        }
        self.assertEqual(
            {month.strftime("%Y-%m"): values for month, values in by_month.items()},
            {"2025-01": (4.0, 2, 2), "2025-02": (2.0, 1, 1)} | self._today_row(),
        )

    def _today_row(self):
        """The invitation not answered yet counts on the day it was sent."""
        today = self.company._sales_today()
        return {today.strftime("%Y-%m"): (False, 0, 1)}

    def test_leader_sees_the_team_and_the_manager_everyone(self):
        self.make_answers()
        leader = self.scores(self.leader, "user_id")
        self.assertEqual(set(leader), {self.rep.name, self.rep_2.name})
        self.assertEqual(leader[self.rep_2.name], (4.0, 1, 1))
        team = self.scores(self.leader, "team_id")
        self.assertEqual(team[self.team.name][:2], (3.5, 4))
        manager = self.scores(self.manager, "user_id")
        self.assertLessEqual({self.rep.name, self.rep_2.name, self.other_rep.name}, set(manager))
        self.assertEqual(manager[self.other_rep.name], (1.0, 1, 1))
        other = self.scores(self.other_rep, "user_id")
        self.assertEqual(set(other), {self.other_rep.name})

    def test_satisfaction_target_metric_is_the_average_score(self):
        self.make_answers()
        metric = self.env["sales.target.metric"].create(
            {"name": "Customer Satisfaction", "metric_type": "satisfaction"}
        )
        plan = self.env["sales.target.plan"].create(
            {
                "name": "Plan 2025",
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
                "metric_ids": [Command.set(metric.ids)],
            }
        )
        values = {
            "plan_id": plan.id,
            "metric_id": metric.id,
            "assignee_type": "user",
            "target_value": 4.5,
        }
        january, february = self.env["sales.target"].create(
            [
                {
                    **values,
                    "user_id": self.rep.id,
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 1, 31),
                },
                {
                    **values,
                    "user_id": self.rep.id,
                    "date_from": date(2025, 2, 1),
                    "date_to": date(2025, 2, 28),
                },
            ]
        )
        (january | february).with_user(self.rep).action_refresh_achievement()
        self.assertAlmostEqual(january.actual, 4.0)
        self.assertAlmostEqual(february.actual, 2.0)
