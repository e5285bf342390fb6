from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import RpcError, call_kw
from .common_work_report_rhythm import MONDAY, RhythmCase


@tagged("post_install", "-at_install")
class TestWorkReportRollup(RhythmCase):
    """Weekly and monthly reports roll up the dailies of their period; a leader's team report
    sums the members' reports and counts their discipline."""

    def test_a_weekly_report_lists_the_dailies_of_its_week_with_their_highlights(self):
        dailies = [
            self.make_report(self.rep, day, highlights=f"Met buyer {n}", discipline="on_time")
            for n, day in enumerate(self.week(MONDAY))
        ]
        self.make_report(self.rep, MONDAY - timedelta(days=3), highlights="Last week")
        self.make_report(self.rep_2, MONDAY, highlights="Not mine")
        week = self.make_report(self.rep, MONDAY, period="week", summary="Good week")
        seen = week.with_user(self.rep)
        self.assertEqual(seen.daily_report_ids.ids, [report.id for report in dailies])
        self.assertEqual(
            seen.daily_report_ids.mapped("highlights"), [f"Met buyer {n}" for n in range(5)]
        )

    def test_a_weekly_reports_facts_are_read_over_its_whole_week_not_summed_from_dailies(self):
        def probe(reports):
            # a reader as the facts extension point has them: it sees each report's dates
            return {
                report.id: {"visit_count": (report.date_to - report.date_from).days + 1}
                for report in reports
                if report.scope == "person"
            }

        self.make_report(self.rep, MONDAY, visit_count=40)  # a daily's own facts: not summed
        week = self.make_report(self.rep, MONDAY, period="week")
        Report = type(self.env["sales.work.report"])
        # named to come last: the readers are merged in the order of their names
        with patch.object(Report, "_work_report_facts_zz_probe", probe, create=True):
            week.with_user(self.rep)._refresh_facts()
        self.assertEqual(week.visit_count, 7)

    def test_a_monthly_report_lists_every_daily_of_its_month(self):
        november = self.make_report(self.rep, date(2026, 11, 1), period="month")
        inside = self.make_report(self.rep, date(2026, 11, 30), help_needed="Need a demo unit")
        self.make_report(self.rep, date(2026, 12, 1))
        self.assertEqual(november.with_user(self.rep).daily_report_ids, inside)
        self.assertEqual(november.date_to, date(2026, 11, 30))

    def test_the_rep_writes_the_summary_of_their_weekly_report(self):
        week = self.make_report(self.rep, MONDAY, period="week")
        week.with_user(self.rep).summary = "Two orders signed, one lost on price"
        self.assertEqual(week.summary, "Two orders signed, one lost on price")

    def test_a_team_report_sums_its_members_reports_of_the_same_week(self):
        self.make_report(
            self.rep,
            MONDAY,
            period="week",
            order_count=3,
            order_amount=300.0,
            target_value=1000.0,
            target_actual=400.0,
        )
        self.make_report(
            self.rep_2,
            MONDAY,
            period="week",
            order_count=2,
            order_amount=200.0,
            target_value=1000.0,
            target_actual=100.0,
        )
        # another team, and the same team's dailies: not part of the weekly sum
        self.make_report(self.other_rep, MONDAY, period="week", order_count=7)
        self.make_report(self.rep, MONDAY, order_count=9)
        team_week = self.make_report(self.leader, MONDAY, period="week", scope="team")
        team_week.with_user(self.leader)._refresh_facts()
        self.assertEqual(team_week.order_count, 5)
        self.assertEqual(team_week.order_amount, 500.0)
        # progress is the team's actual over its target, not a sum of percentages
        self.assertAlmostEqual(team_week.target_pct, 25.0)

    def test_the_team_facts_are_read_in_one_grouped_query_for_any_number_of_team_reports(self):
        for monday in (MONDAY, MONDAY - timedelta(days=7)):
            self.make_report(self.rep, monday, period="week", order_count=1)
        reports = self.make_report(
            self.leader, MONDAY, period="week", scope="team"
        ) | self.make_report(self.leader, MONDAY - timedelta(days=7), period="week", scope="team")
        self.env.invalidate_all()
        with self.assertQueryCount(2):  # the reports, the grouped sums
            facts = reports[:1]._work_report_facts_team()
        self.env.invalidate_all()
        with self.assertQueryCount(2):  # the reports, the grouped sums
            facts = reports._work_report_facts_team()
        self.assertEqual([facts[report.id]["order_count"] for report in reports], [1, 1])

    def test_a_team_report_counts_each_members_dailies_on_time_late_missing_reviewed(self):
        days = self.week(MONDAY)
        for day in days[:3]:
            self.make_report(self.rep, day, state="reviewed", discipline="on_time")
        self.make_report(self.rep, days[3], state="submitted", discipline="late")
        self.make_report(self.rep, days[4], discipline="missing")
        self.make_report(self.rep_2, days[0], state="submitted", discipline="on_time")
        self.make_report(self.other_rep, days[0], discipline="missing")
        team_week = self.make_report(self.leader, MONDAY, period="week", scope="team")
        seen = team_week.with_user(self.leader)
        self.assertEqual(
            (
                seen.team_on_time_count,
                seen.team_late_count,
                seen.team_missing_count,
                seen.team_reviewed_count,
            ),
            (4, 1, 1, 3),
        )
        self.assertEqual(len(seen.daily_report_ids), 6)
        self.assertIn("Rep Wang", seen.member_discipline_html)
        self.assertIn("Rep Zhao", seen.member_discipline_html)
        self.assertNotIn("Rep Sun", seen.member_discipline_html)

    def test_a_rep_cannot_make_a_team_report(self):
        Report = self.env["sales.work.report"].with_user(self.rep)
        with self.assertRefused(ValidationError, "belongs to its leader"):
            Report.create(
                {
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                    "scope": "team",
                    "period": "week",
                    "date_from": MONDAY,
                    "date_to": MONDAY + timedelta(days=6),
                }
            )
        with self.assertRefused(ValidationError, "Only a team leader"):
            Report.action_new_team_weekly_report()
        self.assertFalse(self.env["sales.work.report"].search([("scope", "=", "team")]))

    def test_the_leader_of_another_team_cannot_make_this_teams_report(self):
        Report = self.env["sales.work.report"].with_user(self.other_leader)
        vals = {
            "team_id": self.team.id,
            "scope": "team",
            "period": "week",
            "date_from": MONDAY,
            "date_to": MONDAY + timedelta(days=6),
        }
        with self.assertRefused(ValidationError, "belongs to its leader"):
            Report.create(dict(vals, user_id=self.other_leader.id))
        # in the name of this team's leader
        with self.assertRefused(UserError, "Only"):  # access or validation, as checked first
            Report.create(dict(vals, user_id=self.leader.id))
        self.assertFalse(self.env["sales.work.report"].search([("scope", "=", "team")]))

    def test_the_leader_and_a_sales_manager_make_the_team_report(self):
        for user, day in ((self.leader, date(2026, 11, 1)), (self.manager, date(2026, 10, 1))):
            report = (
                self.env["sales.work.report"]
                .with_user(user)
                .create(
                    {
                        "user_id": self.leader.id,
                        "team_id": self.team.id,
                        "scope": "team",
                        "period": "month",
                        "date_from": day,
                    }
                )
            )
            self.assertEqual((report.team_id, report.user_id), (self.team, self.leader))

    def test_new_weekly_report_starts_on_the_monday_of_the_week_in_shanghai(self):
        Report = self.env["sales.work.report"].with_user(self.rep)
        # Sunday 6 December 23:30 in Shanghai: still the week of 30 November
        with freeze_time("2026-12-06 15:30:00"):
            action = Report.action_new_weekly_report()
        sunday_week = Report.browse(action["res_id"])
        self.assertEqual((sunday_week.date_from, sunday_week.date_to), (MONDAY, date(2026, 12, 6)))
        # Monday 7 December 00:30 in Shanghai (still Sunday in UTC): a new week
        with freeze_time("2026-12-06 16:30:00"):
            action = Report.action_new_weekly_report()
            again = Report.action_new_weekly_report()
        monday_week = Report.browse(action["res_id"])
        self.assertEqual(monday_week.date_from, date(2026, 12, 7))
        self.assertEqual(monday_week.period, "week")
        self.assertEqual(again["res_id"], monday_week.id, "the week's report opens again")

    def test_new_monthly_report_starts_on_the_first_of_the_month_in_shanghai(self):
        Report = self.env["sales.work.report"].with_user(self.rep)
        with freeze_time("2026-11-30 15:30:00"):  # 30 November 23:30 in Shanghai
            november = Report.browse(Report.action_new_monthly_report()["res_id"])
        with freeze_time("2026-11-30 16:30:00"):  # 1 December 00:30 in Shanghai
            december = Report.browse(Report.action_new_monthly_report()["res_id"])
        self.assertEqual(
            (november.date_from, november.date_to), (date(2026, 11, 1), date(2026, 11, 30))
        )
        self.assertEqual(
            (december.date_from, december.date_to), (date(2026, 12, 1), date(2026, 12, 31))
        )
        self.assertEqual(december.user_id, self.rep)

    def test_a_leader_opens_the_team_report_of_the_month(self):
        with freeze_time("2026-12-07 02:00:00"):
            action = (
                self.env["sales.work.report"]
                .with_user(self.leader)
                .action_new_team_monthly_report()
            )
        report = self.env["sales.work.report"].browse(action["res_id"])
        self.assertEqual(
            (report.scope, report.team_id, report.user_id), ("team", self.team, self.leader)
        )


@tagged("post_install", "-at_install")
class TestWorkReportRollupOverRpc(RhythmCase, HttpCase):
    """What the users would try over JSON-RPC, the way the web client sends it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.rep, cls.leader, cls.other_leader):
            user.password = user.login
        cls.friday = MONDAY - timedelta(days=3)
        cls.wang_friday = cls.make_report(
            cls.rep, cls.friday, state="submitted", discipline="on_time", highlights="Suzhou"
        )
        cls.make_report(cls.rep_2, cls.friday, discipline="missing")
        # the team report of the week of that Friday
        cls.team_week = cls.make_report(
            cls.leader, MONDAY - timedelta(days=7), period="week", scope="team"
        )

    def rpc(self, login, model, method, args, **kwargs):
        self.authenticate(login, login)
        self.env.invalidate_all()
        return call_kw(self, model, method, args, kwargs=kwargs)

    def test_a_rep_cannot_make_a_team_report_over_rpc(self):
        with self.assertRefused(RpcError, "belongs to its leader"):
            self.rpc(
                self.rep.login,
                "sales.work.report",
                "create",
                [
                    {
                        "user_id": self.rep.id,
                        "team_id": self.team.id,
                        "scope": "team",
                        "period": "month",
                        "date_from": "2026-11-01",
                        "date_to": "2026-11-30",
                    }
                ],
            )
        with self.assertRefused(RpcError, "Only a team leader"):
            self.rpc(self.rep.login, "sales.work.report", "action_new_team_monthly_report", [])
        self.assertEqual(self.env["sales.work.report"].search_count([("scope", "=", "team")]), 1)

    def test_a_rep_cannot_turn_their_daily_into_a_team_report_over_rpc(self):
        with self.assertRefused(RpcError, "belongs to its leader|keeps its salesperson"):
            self.rpc(
                self.rep.login,
                "sales.work.report",
                "write",
                [self.wang_friday.ids, {"scope": "team"}],
            )
        self.assertEqual(self.wang_friday.scope, "person")

    def test_the_leader_of_another_team_reads_neither_the_team_report_nor_its_dailies(self):
        found = self.rpc(
            self.other_leader.login,
            "sales.work.report",
            "search_read",
            [[("team_id", "=", self.team.id)]],
            fields=["id"],
        )
        self.assertEqual(found, [])
        with self.assertRefused(RpcError, "not allowed|access"):
            self.rpc(
                self.other_leader.login,
                "sales.work.report",
                "read",
                [self.team_week.ids, ["member_discipline_html", "daily_report_ids"]],
            )

    def test_the_leader_reads_the_team_report_with_its_dailies_over_rpc(self):
        [report] = self.rpc(
            self.leader.login,
            "sales.work.report",
            "read",
            [
                self.team_week.ids,
                ["daily_report_ids", "team_missing_count", "member_discipline_html"],
            ],
        )
        self.assertEqual(len(report["daily_report_ids"]), 2)
        self.assertEqual(report["team_missing_count"], 1)
        self.assertIn("Rep Zhao", report["member_discipline_html"])

    def test_the_leaders_team_view_counts_per_rep_on_time_late_missing_reviewed(self):
        action = self.env.ref("sales_assistant.action_work_report_discipline")
        self.make_report(self.rep, MONDAY, state="reviewed", discipline="on_time")
        self.make_report(self.rep, MONDAY + timedelta(days=1), state="submitted", discipline="late")
        self.make_report(self.other_rep, self.friday, discipline="missing")
        self.authenticate(self.leader.login, self.leader.login)
        groups = call_kw(
            self,
            "sales.work.report",
            "web_read_group",
            [],
            kwargs={
                "domain": safe_eval(action.domain),
                "fields": [
                    "report_on_time:sum",
                    "report_late:sum",
                    "report_missing:sum",
                    "report_reviewed:sum",
                ],
                "groupby": ["user_id"],
            },
        )["groups"]
        counts = {
            group["user_id"][1]: (
                group["report_on_time"],
                group["report_late"],
                group["report_missing"],
                group["report_reviewed"],
            )
            for group in groups
        }
        self.assertEqual(counts, {"Rep Wang": (2, 1, 0, 1), "Rep Zhao": (0, 0, 1, 0)})


@tagged("post_install", "-at_install")
class TestWorkReportRollupCron(RhythmCase):
    def test_a_draft_the_discipline_cron_flags_missing_counts_as_missing(self):
        Report = self.env["sales.work.report"]
        if not hasattr(Report, "_cron_work_report_discipline"):
            self.skipTest("the discipline cron comes with the day's reports")
        draft = self.make_report(self.rep, MONDAY)
        self.assertEqual(draft.report_missing, 0)
        Report._cron_work_report_discipline()
        self.env.invalidate_all()
        self.assertEqual(draft.discipline, "missing")
        self.assertEqual((draft.report_missing, draft.report_on_time), (1, 0))
        team_week = self.make_report(self.leader, MONDAY, period="week", scope="team")
        self.assertEqual(team_week.with_user(self.leader).team_missing_count, 1)
