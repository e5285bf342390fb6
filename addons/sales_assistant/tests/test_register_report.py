from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common_register import RegisterCase

# 23:30 on 7 March in Shanghai, and 00:30 on 8 March: both on 7 March in UTC
LATE_ON_THE_7TH = datetime(2026, 3, 7, 15, 30)
EARLY_ON_THE_8TH = datetime(2026, 3, 7, 16, 30)


@tagged("post_install", "-at_install")
class TestRegisterReport(RegisterCase):
    """The day's report counts the calls and visitors received for its rep."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"

    def report(self, user, day_from, day_to=None, scope="person", period="day"):
        return self.env["sales.work.report"].create(
            {
                "user_id": user.id,
                # a team report is its leader's team's, a rep's report their own team's
                "team_id": (self.team if scope == "team" else user._sales_team(self.company)).id,
                "company_id": self.company.id,
                "scope": scope,
                "period": period,
                "date_from": day_from,
                "date_to": day_to or day_from,
            }
        )

    def test_a_call_late_in_the_evening_counts_on_that_day_in_the_companys_timezone(self):
        with freeze_time(LATE_ON_THE_7TH):
            self.log(self.desk, user_id=self.rep.id)
            self.log(self.desk, kind="visit", user_id=self.rep.id)
        with freeze_time(EARLY_ON_THE_8TH):
            self.log(self.desk, user_id=self.rep.id)
        seventh = self.report(self.rep, date(2026, 3, 7))
        eighth = self.report(self.rep, date(2026, 3, 8))
        week = self.report(self.rep, date(2026, 3, 2), date(2026, 3, 8), period="week")
        facts = (seventh | eighth | week)._gather_facts()
        self.assertEqual(facts[seventh.id]["inbound_call_count"], 1)
        self.assertEqual(facts[seventh.id]["visitor_count"], 1)
        self.assertEqual(facts[eighth.id]["inbound_call_count"], 1)
        self.assertEqual(facts[eighth.id]["visitor_count"], 0)
        self.assertEqual(facts[week.id]["inbound_call_count"], 2)
        self.assertEqual(facts[week.id]["visitor_count"], 1)

    def test_only_what_was_for_the_rep_counts_not_what_they_logged_for_others(self):
        with freeze_time(LATE_ON_THE_7TH):
            self.log(self.rep, user_id=self.mate.id)
            self.log(self.desk, user_id=self.rep.id, kind="visit")
        rep_report = self.report(self.rep, date(2026, 3, 7))
        mate_report = self.report(self.mate, date(2026, 3, 7))
        team_report = self.report(self.leader, date(2026, 3, 7), scope="team")
        facts = (rep_report | mate_report | team_report)._gather_facts()
        self.assertEqual(facts[rep_report.id]["inbound_call_count"], 0)
        self.assertEqual(facts[rep_report.id]["visitor_count"], 1)
        self.assertEqual(facts[mate_report.id]["inbound_call_count"], 1)
        self.assertEqual(facts[mate_report.id]["visitor_count"], 0)
        self.assertNotIn(team_report.id, (rep_report | team_report)._work_report_facts_register())

    def test_refreshing_a_draft_writes_the_counts(self):
        with freeze_time(LATE_ON_THE_7TH):
            self.log(self.desk, user_id=self.rep.id)
        report = self.report(self.rep, date(2026, 3, 7))
        report._refresh_facts()
        self.assertEqual(report.inbound_call_count, 1)

    def test_the_counts_of_many_reports_cost_one_query(self):
        reps = self.rep | self.mate | self.other_rep | self.leader
        with freeze_time(LATE_ON_THE_7TH):
            for user in reps:
                self.log(self.desk, user_id=user.id)
        reports = self.env["sales.work.report"]
        for user in reps:
            reports |= self.report(user, date(2026, 3, 7))
            reports |= self.report(user, date(2026, 3, 1), date(2026, 3, 31), period="month")
        self.env.flush_all()
        reports.invalidate_recordset()
        reports.fetch(["scope"])
        with self.assertQueryCount(1):
            facts = reports._work_report_facts_register()
        self.assertEqual(
            {report.user_id: facts[report.id]["inbound_call_count"] for report in reports},
            dict.fromkeys(reps, 1),
        )
