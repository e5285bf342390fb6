from odoo import Command
from odoo.tests import HttpCase, tagged

from ..models.sales_work_report_rollup import previous_working_day
from .common import tour_user


@tagged("post_install", "-at_install")
class TestWorkReportMorningTour(HttpCase):
    def test_a_leader_sees_yesterdays_team_reports_in_the_morning(self):
        env = self.env
        leader = tour_user(
            env,
            "morning_tour_leader",
            "sales_team.group_sale_salesman_all_leads,sales_targets.group_targets_team_leader",
            "Tour Leader Li",
        )
        wang = tour_user(
            env, "morning_tour_wang", "sales_team.group_sale_salesman", "Tour Rep Wang"
        )
        zhao = tour_user(
            env, "morning_tour_zhao", "sales_team.group_sale_salesman", "Tour Rep Zhao"
        )
        leader.tz = wang.tz = zhao.tz = "Asia/Shanghai"
        team = env["crm.team"].create(
            {
                "name": "Tour East China",
                "user_id": leader.id,
                "member_ids": [Command.set((wang | zhao).ids)],
            }
        )
        yesterday = previous_working_day(leader._sales_person_today())
        Report = env["sales.work.report"]
        reports = Report.create(
            [
                {
                    "user_id": user.id,
                    "team_id": team.id,
                    "date_from": yesterday,
                    "date_to": yesterday,
                }
                for user in (wang, zhao)
            ]
        )
        reports[0].write(
            {
                "highlights": "Signed the Suzhou order",
                "help_needed": "Need a discount approval for Ningbo",
            }
        )
        reports[0]._flow_write({"state": "submitted", "discipline": "on_time"})
        reports[1]._flow_write({"discipline": "missing"})
        self.start_tour("/odoo", "sales_work_report_morning_tour", login="morning_tour_leader")
        # what the tour showed is what the leader's digest sends this morning, first
        first = self.env["sales.assistant.day"]._my_day_data(leader)["sections"][0]
        self.assertEqual(first["name"], "team_reports")
        self.assertEqual(first["missing"], ["Tour Rep Zhao"])
        self.assertIn("Need a discount approval for Ningbo", first["records"][-1]["detail"])
