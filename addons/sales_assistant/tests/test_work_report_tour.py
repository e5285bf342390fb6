from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import tour_user


@tagged("post_install", "-at_install")
class TestWorkReportTour(HttpCase):
    """In the browser: a rep files today's report, the leader comments on it."""

    def test_a_rep_files_the_report_and_the_leader_comments(self):
        env = self.env
        rep = tour_user(env, "wr_tour_rep", "sales_team.group_sale_salesman", "Tour Report Rep")
        leader = tour_user(
            env,
            "wr_tour_leader",
            "sales_team.group_sale_salesman,sales_targets.group_targets_team_leader",
            "Tour Report Leader",
        )
        env["crm.team"].create(
            {
                "name": "Tour Report Team",
                "user_id": leader.id,
                "member_ids": [Command.set(rep.ids)],
            }
        )
        Report = env["sales.work.report"]
        Report._prepare_work_reports(companies=env.company)
        report = Report.search([("user_id", "=", rep.id)])
        self.assertEqual(len(report), 1, "today's report is prepared")

        self.start_tour("/odoo", "sales_work_report_tour", login="wr_tour_rep")
        self.assertEqual(report.state, "submitted")
        self.assertIn("steel price", report.market_feedback)
        self.assertIn("Suzhou", report.plan_next)

        self.start_tour("/odoo", "sales_work_report_review_tour", login="wr_tour_leader")
        self.assertEqual(report.state, "reviewed")
        self.assertEqual(report.reviewer_id, leader)
        self.assertIn("purchasing manager", report.review_comment)
