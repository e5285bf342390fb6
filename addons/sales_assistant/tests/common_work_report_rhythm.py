"""The base of the tests of weekly, monthly and team reports, the morning meeting and the
report discipline metric: a team (leader, two reps) and another team with its own leader,
all in Asia/Shanghai; reports made with ``create`` and their flow set with ``_flow_write``."""

from contextlib import contextmanager
from datetime import date, timedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

TZ = "Asia/Shanghai"


class RhythmCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.company = env.company
        cls.company.partner_id.tz = TZ
        salesman = "sales_team.group_sale_salesman"
        leader_groups = (
            "sales_team.group_sale_salesman_all_leads,sales_targets.group_targets_team_leader"
        )
        cls.rep = new_test_user(env, login="rhythm_rep", groups=salesman, name="Rep Wang", tz=TZ)
        cls.rep_2 = new_test_user(
            env, login="rhythm_rep_2", groups=salesman, name="Rep Zhao", tz=TZ
        )
        cls.leader = new_test_user(
            env, login="rhythm_leader", groups=leader_groups, name="Leader Li", tz=TZ
        )
        cls.other_rep = new_test_user(
            env, login="rhythm_other_rep", groups=salesman, name="Rep Sun", tz=TZ
        )
        cls.other_leader = new_test_user(
            env, login="rhythm_other_leader", groups=leader_groups, name="Leader Qian", tz=TZ
        )
        cls.manager = new_test_user(
            env,
            login="rhythm_manager",
            groups="sales_team.group_sale_manager",
            name="Manager Zhou",
            tz=TZ,
        )
        cls.team = env["crm.team"].create(
            {
                "name": "East China",
                "user_id": cls.leader.id,
                "member_ids": [Command.set((cls.rep | cls.rep_2).ids)],
            }
        )
        cls.other_team = env["crm.team"].create(
            {
                "name": "North China",
                "user_id": cls.other_leader.id,
                "member_ids": [Command.set(cls.other_rep.ids)],
            }
        )

    @classmethod
    def make_report(cls, user, day, period="day", scope="person", team=None, date_to=None, **flow):
        """A report of ``user`` from ``day`` (its period's last day unless ``date_to``),
        in the flow state ``flow`` (state, discipline, facts, review) written by its flow."""
        text = {
            key: flow.pop(key)
            for key in ("highlights", "help_needed", "market_feedback", "summary")
            if key in flow
        }
        if date_to is None:
            date_to = {
                "day": day,
                "week": day + timedelta(days=6),
                "month": (day.replace(day=28) + timedelta(days=4)).replace(day=1)
                - timedelta(days=1),
            }[period]
        team = team or (cls.other_team if user in (cls.other_rep, cls.other_leader) else cls.team)
        report = cls.env["sales.work.report"].create(
            {
                "user_id": user.id,
                "team_id": team.id,
                "period": period,
                "scope": scope,
                "date_from": day,
                "date_to": date_to,
                **text,
            }
        )
        if flow:
            report._flow_write(flow)
        return report

    @staticmethod
    def week(monday):
        """The five working days of the week of ``monday``."""
        return [monday + timedelta(days=n) for n in range(5)]

    @contextmanager
    def assertRefused(self, exception, pattern):
        """The block raises ``exception`` with a message matching ``pattern``; what it wrote
        is rolled back."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)


# A week of December 2026 in Shanghai: Monday 30 November to Sunday 6 December
MONDAY = date(2026, 11, 30)
