from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common_work_report_rhythm import MONDAY, RhythmCase

FRIDAY = MONDAY - timedelta(days=3)  # 27 November 2026


@tagged("post_install", "-at_install")
class TestWorkReportMorning(RhythmCase):
    """The morning meeting (晨会): a leader's My day, and so their digest, opens with
    yesterday's team reports; a rep's day shows the report to submit and the comments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wang_friday = cls.make_report(
            cls.rep,
            FRIDAY,
            state="submitted",
            discipline="on_time",
            highlights="Signed the Suzhou order",
            help_needed="Need a discount approval for Ningbo",
        )
        cls.zhao_friday = cls.make_report(cls.rep_2, FRIDAY, discipline="missing")
        cls.wang_monday = cls.make_report(cls.rep, MONDAY, state="submitted", discipline="late")
        cls.make_report(cls.rep_2, MONDAY, state="submitted", discipline="on_time")
        cls.make_report(cls.other_rep, FRIDAY, discipline="missing", help_needed="Other team")

    def day_of(self, user):
        return self.env["sales.assistant.day"].with_user(user).get_my_day()

    def section(self, data, name):
        return next((section for section in data["sections"] if section["name"] == name), None)

    def test_a_leaders_monday_opens_with_fridays_reports_of_the_team(self):
        # Monday 30 November, 08:00 in Shanghai
        with freeze_time("2026-11-30 00:00:00"):
            data = self.day_of(self.leader)
        first = data["sections"][0]
        self.assertEqual(first["name"], "team_reports")
        self.assertEqual(first["day"], "2026-11-27")
        self.assertEqual(first["missing"], ["Rep Zhao"])
        self.assertIn("Not reported: Rep Zhao", first["note"])
        entries = {entry["id"]: entry for entry in first["records"]}
        self.assertEqual(set(entries), {self.wang_friday.id, self.zhao_friday.id})
        self.assertIn("Signed the Suzhou order", entries[self.wang_friday.id]["detail"])
        self.assertIn("Need a discount approval", entries[self.wang_friday.id]["detail"])
        self.assertIn("Not reported", entries[self.zhao_friday.id]["detail"])
        self.assertEqual(entries[self.wang_friday.id]["model"], "sales.work.report")
        self.assertNotIn("Other team", str(first))

    def test_yesterday_changes_at_midnight_in_shanghai(self):
        # Monday 23:30 in Shanghai: yesterday is still Friday
        with freeze_time("2026-11-30 15:30:00"):
            monday_night = self.section(self.day_of(self.leader), "team_reports")
        # Tuesday 00:30 in Shanghai (Monday in UTC): yesterday is Monday, Rep Wang was late
        with freeze_time("2026-11-30 16:30:00"):
            tuesday = self.section(self.day_of(self.leader), "team_reports")
        self.assertEqual(monday_night["day"], "2026-11-27")
        self.assertEqual(tuesday["day"], "2026-11-30")
        self.assertEqual(tuesday["missing"], [])
        self.assertIn("Late: Rep Wang", tuesday["note"])
        self.assertEqual([entry["id"] for entry in tuesday["records"]], self.wang_monday.ids)

    def test_a_rep_and_the_leader_of_another_team_get_no_section_of_this_team(self):
        with freeze_time("2026-11-30 00:00:00"):
            self.assertIsNone(self.section(self.day_of(self.rep), "team_reports"))
            other = self.section(self.day_of(self.other_leader), "team_reports")
        self.assertEqual(other["missing"], ["Rep Sun"])
        self.assertNotIn("Suzhou", str(other))

    def test_the_morning_digest_opens_with_the_team_reports(self):
        with freeze_time("2026-11-30 00:00:00"):
            data = self.env["sales.assistant.day"]._my_day_data(self.leader)
        self.assertEqual(data["sections"][0]["name"], "team_reports")

    def test_the_rep_sees_todays_report_to_submit_with_its_deadline(self):
        tuesday = MONDAY + timedelta(days=1)
        today = self.make_report(self.rep, tuesday)
        today._flow_write({"date_deadline": datetime(2026, 12, 1, 12, 0)})  # 20:00 in Shanghai
        with freeze_time("2026-12-01 01:00:00"):
            section = self.section(self.day_of(self.rep), "work_report")
        entry = section["records"][0]
        self.assertEqual(entry["id"], today.id)
        self.assertRegex(entry["detail"], "8:00 PM|20:00")  # Shanghai time

    def test_the_rep_sees_the_leaders_comments_of_the_last_seven_days(self):
        self.wang_friday._flow_write(
            {
                "state": "reviewed",
                "reviewer_id": self.leader.id,
                "review_comment": "Good work on Suzhou, call Ningbo before Wednesday",
            }
        )
        old = self.make_report(
            self.rep,
            FRIDAY - timedelta(days=7),
            state="reviewed",
            reviewer_id=self.leader.id,
            review_comment="An old comment",
        )
        with freeze_time("2026-11-30 01:00:00"):
            section = self.section(self.day_of(self.rep), "work_report")
            leader_day = self.day_of(self.leader)
        details = {entry["id"]: entry["detail"] for entry in section["records"]}
        self.assertIn("Leader Li: Good work on Suzhou", details[self.wang_friday.id])
        self.assertNotIn(old.id, details)
        self.assertNotIn("Good work", str(self.section(leader_day, "work_report")))

    def test_a_rep_with_nothing_to_submit_and_no_comment_has_no_report_section(self):
        with freeze_time(datetime.combine(date(2026, 12, 5), datetime.min.time())):
            self.assertIsNone(self.section(self.day_of(self.rep_2), "work_report"))

    def test_the_morning_section_reads_as_many_queries_for_a_bigger_team(self):
        Day = self.env["sales.assistant.day"].with_user(self.leader)

        def count_queries():
            Day._my_day_section_team_reports(self.leader._sales_self_and_team_members(), MONDAY)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            section = Day._my_day_section_team_reports(
                self.leader._sales_self_and_team_members(), MONDAY
            )
            return self.env.cr.sql_log_count - before, section

        small, section = count_queries()
        self.assertEqual(section["count"], 2)
        for n in range(4):
            rep = new_test_user(
                self.env, login=f"rhythm_more_{n}", groups="sales_team.group_sale_salesman"
            )
            self.team.member_ids = [Command.link(rep.id)]
            self.make_report(rep, FRIDAY, discipline="missing", help_needed=f"Problem {n}")
        big, section = count_queries()
        self.assertEqual(section["count"], 6)
        self.assertLessEqual(big, small, "no query per member or report")

    def test_the_leaders_morning_digest_names_who_did_not_report(self):
        Digest = self.env["sales.assistant.digest"]
        self.env["ir.config_parameter"].set_param("sales_assistant.digest_enabled", "True")
        self.env["ir.config_parameter"].set_param("sales_assistant.digest_hour", 7)
        original = type(Digest)._digest_due

        def _digest_due(model, now=None):  # only the leader, not the database's other users
            return [due for due in original(model, now) if due[0] == self.leader.id]

        # Monday 30 November, 08:00 in Shanghai: the leader's digest is due
        with (
            freeze_time("2026-11-30 00:00:00"),
            patch.object(type(Digest), "_digest_due", _digest_due),
        ):
            Digest._send_digests(now=datetime(2026, 11, 30, 0, 0))
        self.assertTrue(Digest.search([("user_id", "=", self.leader.id)]).sent)
        chat = self.env["discuss.channel"].search(
            [
                ("channel_type", "=", "chat"),
                ("channel_member_ids.partner_id", "=", self.leader.partner_id.id),
                ("channel_member_ids.partner_id", "=", self.env.ref("base.partner_root").id),
            ]
        )
        body = str(chat.message_ids.body)
        self.assertIn("Not reported: Rep Zhao", body)
        self.assertIn("Signed the Suzhou order", body)
