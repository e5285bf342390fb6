from datetime import date, datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form
from odoo.tools import mute_logger

from .common_work_report import (
    AFTER_MIDNIGHT,
    BEFORE_MIDNIGHT,
    MONDAY,
    MONDAY_EVENING,
    MONDAY_MORNING,
    WorkReportCase,
)


class TestWorkReportPeriod(WorkReportCase):
    def test_a_report_covers_its_day_week_or_month(self):
        with freeze_time(MONDAY_EVENING):
            day = self.Report.with_user(self.rep).create({"date_from": MONDAY})
            week = self.Report.with_user(self.rep).create({"period": "week", "date_from": MONDAY})
            month = self.Report.with_user(self.rep).create(
                {"period": "month", "date_from": date(2026, 3, 1)}
            )
        self.assertEqual(day.date_to, MONDAY)
        self.assertEqual(week.date_to, date(2026, 3, 8))
        self.assertEqual(month.date_to, date(2026, 3, 31))

    def test_a_week_starts_on_monday(self):
        with freeze_time(MONDAY_EVENING), self.assertRefused(ValidationError, "Monday"):
            self.Report.with_user(self.rep).create(
                {"period": "week", "date_from": date(2026, 3, 1)}
            )
        self.assertFalse(self.Report.search([("user_id", "=", self.rep.id)]))

    def test_the_form_moves_a_weekly_report_to_its_monday(self):
        with freeze_time(datetime(2026, 3, 4, 2, 0)):  # Wednesday morning in Shanghai
            form = Form(self.Report.with_user(self.rep))
            self.assertEqual(form.date_from, date(2026, 3, 4), "today by default")
            form.period = "week"
            report = form.save()
        self.assertEqual((report.date_from, report.date_to), (MONDAY, date(2026, 3, 8)))

    def test_the_report_takes_the_reps_team_and_company_by_default(self):
        report = self.make_report()
        self.assertEqual(report.team_id, self.team)
        self.assertEqual(report.company_id, self.company)
        self.assertEqual(report.user_id, self.rep)

    def test_the_report_is_due_at_the_configured_hour_in_shanghai(self):
        self.company.work_report_hour = 18.5
        report = self.make_report()
        # 18:30 in Shanghai is 10:30 UTC
        self.assertEqual(report.date_deadline, datetime(2026, 3, 2, 10, 30))

    def test_a_report_for_tomorrow_is_refused_until_midnight_in_shanghai(self):
        tuesday = MONDAY + timedelta(days=1)
        with freeze_time(BEFORE_MIDNIGHT), self.assertRefused(ValidationError, "not begun"):
            self.Report.with_user(self.rep).create({"date_from": tuesday})
        self.assertFalse(self.Report.search([("user_id", "=", self.rep.id)]))
        with freeze_time(AFTER_MIDNIGHT):
            report = self.Report.with_user(self.rep).create({})
        self.assertEqual(report.date_from, tuesday, "after midnight in Shanghai it is Tuesday")

    def test_a_second_report_of_the_same_day_is_refused(self):
        self.make_report()
        with freeze_time(MONDAY_EVENING), self.assertRefused(ValidationError, "already has"):
            self.Report.with_user(self.rep).create({"date_from": MONDAY})
        self.assertEqual(self.Report.search_count([("user_id", "=", self.rep.id)]), 1)

    def test_the_unique_index_is_the_last_guard(self):
        report = self.make_report()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env.cr.execute(
                """INSERT INTO sales_work_report
                       (user_id, company_id, period, scope, date_from, date_to, state,
                        discipline)
                   VALUES (%s, %s, 'day', 'person', %s, %s, 'draft', 'pending')""",
                [self.rep.id, self.company.id, report.date_from, report.date_to],
            )

    def test_a_rep_cannot_create_a_report_for_a_mate_but_the_manager_can(self):
        with freeze_time(MONDAY_EVENING):
            with self.assertRefused(AccessError, "sales manager"):
                self.Report.with_user(self.rep).create({"user_id": self.mate.id})
            self.assertFalse(self.Report.search([("user_id", "=", self.mate.id)]))
            report = self.Report.with_user(self.manager).create({"user_id": self.mate.id})
        self.assertEqual(report.user_id, self.mate)
        self.assertEqual(report.team_id, self.team)

    def test_the_salesperson_and_days_of_a_report_cannot_change(self):
        report = self.make_report()
        with self.assertRefused(UserError, "keeps its salesperson"):
            report.with_user(self.rep).write({"date_from": MONDAY - timedelta(days=1)})
        with self.assertRefused(UserError, "keeps its salesperson"):
            report.with_user(self.manager).write({"user_id": self.mate.id})
        self.assertEqual((report.user_id, report.date_from), (self.rep, MONDAY))

    def test_a_rep_cannot_forge_a_state_or_a_fact(self):
        report = self.make_report()
        for vals in ({"state": "reviewed"}, {"order_count": 99}, {"discipline": "on_time"}):
            with self.subTest(vals=vals), self.assertRefused(UserError, "set by the report"):
                report.with_user(self.rep).write(vals)
        with freeze_time(MONDAY_EVENING), self.assertRefused(UserError, "set by the report"):
            self.Report.with_user(self.mate).create({"state": "submitted"})
        self.assertEqual((report.state, report.discipline), ("draft", "pending"))


class TestWorkReportSubmit(WorkReportCase):
    def test_a_report_submitted_before_the_hour_is_on_time_and_frozen(self):
        report = self.make_report()
        report.with_user(self.rep).write({"market_feedback": "Steel prices up 5%"})
        with freeze_time(MONDAY_MORNING):
            report.with_user(self.rep).action_submit()
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.discipline, "on_time")
        self.assertEqual(report.submitted_at, MONDAY_MORNING)
        self.assertTrue(report.facts_date)
        with self.assertRefused(UserError, "frozen"):
            report.with_user(self.rep).write({"market_feedback": "Rewritten"})
        self.assertEqual(report.market_feedback, "Steel prices up 5%")

    def test_a_report_submitted_after_the_hour_is_late(self):
        report = self.make_report()
        with freeze_time(MONDAY_EVENING):
            report.with_user(self.rep).action_submit()
        self.assertEqual(report.discipline, "late")

    def test_only_the_rep_submits_not_their_leader(self):
        report = self.make_report()
        with self.assertRefused(AccessError, "Only Rep Wang submits"):
            report.with_user(self.leader).action_submit()
        self.assertEqual(report.state, "draft")

    def test_a_leader_does_not_write_the_reps_text(self):
        report = self.make_report()
        with self.assertRefused(AccessError, "Only Rep Wang writes"):
            report.with_user(self.leader).write({"plan_next": "Visit everyone"})
        self.assertFalse(report.plan_next)

    def test_a_missing_report_gets_one_reminder_and_may_still_be_submitted_late(self):
        report = self.make_report()
        reminder = self.env.ref("sales_assistant.mail_activity_type_work_report")
        with freeze_time(MONDAY_EVENING):
            self.Report._cron_work_report_discipline()
            self.Report._cron_work_report_discipline()
        self.assertEqual(report.discipline, "missing")
        self.assertTrue(report.reminder_sent)
        activities = report.activity_ids.filtered(lambda a: a.activity_type_id == reminder)
        self.assertEqual(len(activities), 1, "one reminder, never two")
        self.assertEqual(activities.user_id, self.rep)
        with freeze_time(MONDAY_EVENING + timedelta(hours=1)):
            report.with_user(self.rep).action_submit()
        self.assertEqual((report.state, report.discipline), ("submitted", "late"))
        self.assertFalse(report.activity_ids.filtered(lambda a: a.activity_type_id == reminder))

    def test_a_rep_without_report_after_the_hour_is_missing(self):
        with freeze_time(MONDAY_EVENING):
            self.Report._cron_work_report_discipline()
        report = self.Report.search([("user_id", "=", self.mate.id), ("date_from", "=", MONDAY)])
        self.assertEqual(report.discipline, "missing")
        self.assertEqual(report.team_id, self.team)

    def test_before_the_hour_nobody_is_missing(self):
        report = self.make_report()
        with freeze_time(MONDAY_MORNING):
            self.Report._cron_work_report_discipline()
        self.assertEqual(report.discipline, "pending")
        self.assertFalse(report.reminder_sent)


class TestWorkReportReview(WorkReportCase):
    def submitted(self):
        report = self.make_report()
        with freeze_time(MONDAY_MORNING):
            report.with_user(self.rep).action_submit()
        return report

    def test_the_leader_comments_and_the_rep_is_notified(self):
        report = self.submitted()
        with freeze_time(MONDAY_EVENING):
            report.with_user(self.leader)._review("Good day, follow up the bid on Friday")
        self.assertEqual(report.state, "reviewed")
        self.assertEqual(report.reviewer_id, self.leader)
        self.assertEqual(report.reviewed_at, MONDAY_EVENING)
        self.assertEqual(report.review_comment, "Good day, follow up the bid on Friday")
        message = report.message_ids.filtered(lambda m: "follow up the bid" in (m.body or ""))
        self.assertIn(self.rep.partner_id, message.partner_ids)
        self.assertEqual(message.author_id, self.leader.partner_id)

    def test_the_review_wizard_marks_it_reviewed(self):
        report = self.submitted()
        action = report.with_user(self.leader).action_open_review()
        wizard = (
            self.env["sales.work.report.review"]
            .with_user(self.leader)
            .with_context(**action["context"])
            .create({"comment": "Well done"})
        )
        wizard.action_review()
        self.assertEqual(report.state, "reviewed")

    def test_nobody_reviews_their_own_report_nor_a_mates(self):
        report = self.submitted()
        for user in (self.rep, self.mate, self.other_leader):
            with self.subTest(user=user.name), self.assertRefused(AccessError, "leader"):
                report.with_user(user)._review("Fine")
        self.assertEqual(report.state, "submitted")

    def test_a_review_needs_a_comment_and_a_submitted_report(self):
        report = self.submitted()
        with self.assertRefused(ValidationError, "comment"):
            report.with_user(self.leader)._review("  ")
        draft = self.make_report(self.mate)
        with self.assertRefused(UserError, "submitted"):
            draft.with_user(self.leader)._review("Fine")
        self.assertEqual((report.state, draft.state), ("submitted", "draft"))

    def test_a_sales_manager_reviews_any_report(self):
        report = self.submitted()
        report.with_user(self.manager)._review("Noted")
        self.assertEqual(report.reviewer_id, self.manager)
