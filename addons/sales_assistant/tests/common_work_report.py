"""The base of the day's report tests: a team in Shanghai (leader, two reps), a rep of
another team and its leader, a sales manager."""

from contextlib import contextmanager
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# 2026-03-02 is a Monday. 15:59 UTC is 23:59 in Shanghai, 16:01 UTC is 00:01 the next day.
MONDAY = date(2026, 3, 2)
BEFORE_MIDNIGHT = datetime(2026, 3, 2, 15, 59)
AFTER_MIDNIGHT = datetime(2026, 3, 2, 16, 1)
# 09:00 in Shanghai on Monday, before the report's deadline (18:00 there, 10:00 UTC)
MONDAY_MORNING = datetime(2026, 3, 2, 1, 0)
MONDAY_EVENING = datetime(2026, 3, 2, 11, 0)


class WorkReportCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.company = env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.work_report_hour = 18.0
        salesman = "sales_team.group_sale_salesman"
        cls.rep = new_test_user(env, login="wr_rep", groups=salesman, name="Rep Wang")
        cls.mate = new_test_user(env, login="wr_mate", groups=salesman, name="Rep Zhao")
        cls.leader = new_test_user(
            env,
            login="wr_leader",
            groups=f"{salesman},sales_targets.group_targets_team_leader",
            name="Leader Li",
        )
        cls.other_rep = new_test_user(env, login="wr_other", groups=salesman, name="Rep Sun")
        cls.other_leader = new_test_user(
            env,
            login="wr_other_leader",
            groups=f"{salesman},sales_targets.group_targets_team_leader",
            name="Leader Qian",
        )
        cls.manager = new_test_user(
            env, login="wr_manager", groups="sales_team.group_sale_manager", name="Manager Zhou"
        )
        cls.team = env["crm.team"].create(
            {
                "name": "East China",
                "user_id": cls.leader.id,
                "company_id": cls.company.id,
                "member_ids": [Command.set((cls.rep | cls.mate).ids)],
            }
        )
        cls.other_team = env["crm.team"].create(
            {
                "name": "North China",
                "user_id": cls.other_leader.id,
                "company_id": cls.company.id,
                "member_ids": [Command.set(cls.other_rep.ids)],
            }
        )
        cls.Report = env["sales.work.report"]

    @contextmanager
    def assertRefused(self, exception, pattern):
        """The block raises ``exception`` with a message matching ``pattern``, and what it
        wrote is rolled back."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def make_report(self, user=None, day=MONDAY, **values):
        """``user``'s daily report of ``day``, created by them (as on Monday evening)."""
        user = user or self.rep
        with freeze_time(MONDAY_MORNING if day == MONDAY else datetime.now()):
            return self.Report.with_user(user).create({"date_from": day, **values})
