"""Hostile users on the day's reports and the call and visitor registers, over JSON-RPC as
the web client sends it: what a plain ``create`` or ``write`` of a field nobody named would
let them do."""

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RpcError, call_kw
from .common_register import RegisterCase
from .common_work_report import WorkReportCase


@tagged("post_install", "-at_install")
class TestTrustWorkReports(WorkReportCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._sales_today()

    def setUp(self):
        super().setUp()
        self.report = self.Report.sudo().create({"user_id": self.rep.id, "date_from": self.today})
        self.authenticate(self.rep.login, self.rep.login)

    def rpc(self, method, args, context=None, **kwargs):
        return call_kw(self, "sales.work.report", method, args, context=context, kwargs=kwargs)

    def test_a_rep_cannot_move_their_report_to_a_friendly_leaders_team_to_have_it_reviewed(self):
        with self.assertRaisesRegex(RpcError, "own team"):
            self.rpc("write", [self.report.ids, {"team_id": self.other_team.id}])
        self.assertEqual(self.report.team_id, self.team)
        # so the friend leader neither reads it nor comments on it, and the own leader does
        self.rpc("action_submit", [self.report.ids])
        self.assertFalse(self.report.with_user(self.other_leader)._can_review(self.other_leader))
        self.assertTrue(self.report.with_user(self.leader).can_review)

    def test_a_rep_cannot_hide_their_report_from_their_leader_by_clearing_its_team(self):
        with self.assertRaisesRegex(RpcError, "own team"):
            self.rpc("write", [self.report.ids, {"team_id": False}])
        self.assertIn(self.report, self.Report.with_user(self.leader).search([]))

    def test_a_rep_cannot_create_a_weekly_report_in_another_team(self):
        monday = self.Report._period_start("week", self.today)
        before = self.Report.search_count([("user_id", "=", self.rep.id)])
        with self.assertRaisesRegex(RpcError, "own team"):
            self.rpc(
                "create",
                [
                    {
                        "period": "week",
                        "date_from": fields.Date.to_string(monday),
                        "team_id": self.other_team.id,
                    }
                ],
            )
        self.assertEqual(self.Report.search_count([("user_id", "=", self.rep.id)]), before)

    def test_a_rep_creating_their_week_in_the_form_with_no_team_gets_their_own(self):
        monday = self.Report._period_start("week", self.today)
        week_id = self.rpc(
            "create",
            [{"period": "week", "date_from": fields.Date.to_string(monday), "team_id": False}],
        )
        self.assertEqual(self.Report.browse(week_id).team_id, self.team)

    def test_a_rep_cannot_forge_the_discipline_counts_their_leader_sees(self):
        self.report._flow_write({"discipline": "missing"})
        with self.assertRaisesRegex(RpcError, "not written"):
            self.rpc("write", [self.report.ids, {"report_missing": 0, "report_on_time": 1}])
        self.assertEqual((self.report.report_missing, self.report.report_on_time), (1, 0))

    def test_a_rep_cannot_forge_the_discipline_counts_of_a_reviewed_report(self):
        self.rpc("action_submit", [self.report.ids])
        self.report.with_user(self.leader)._review("Good")
        with self.assertRaisesRegex(RpcError, "not written"):
            self.rpc("write", [self.report.ids, {"report_reviewed": 0}])
        self.assertEqual(self.report.report_reviewed, 1)

    def test_a_rep_cannot_create_a_report_whose_deadline_never_comes(self):
        monday = self.Report._period_start("week", self.today)
        with self.assertRaisesRegex(RpcError, "deadline follows"):
            self.rpc(
                "create",
                [
                    {
                        "period": "week",
                        "date_from": fields.Date.to_string(monday),
                        "date_deadline": "2099-12-31 10:00:00",
                    }
                ],
            )
        self.assertFalse(
            self.Report.search([("user_id", "=", self.rep.id), ("period", "=", "week")])
        )

    def test_a_rep_cannot_copy_their_report_with_a_deadline_never_to_come(self):
        with self.assertRaisesRegex(RpcError, "deadline follows"):
            self.rpc(
                "copy",
                [self.report.ids],
                default={
                    "date_from": fields.Date.to_string(self.today.replace(day=1)),
                    "date_deadline": "2099-12-31 10:00:00",
                },
            )

    def test_a_rep_cannot_stretch_a_weekly_report_over_a_year(self):
        monday = self.Report._period_start("week", self.today)
        with self.assertRaisesRegex(RpcError, "last day"):
            self.rpc(
                "create",
                [
                    {
                        "period": "week",
                        "date_from": fields.Date.to_string(monday),
                        "date_to": "2099-12-31",
                    }
                ],
            )

    def test_a_rep_cannot_create_a_week_already_reviewed_by_their_leader_through_the_context(
        self,
    ):
        monday = self.Report._period_start("week", self.today)
        self.rpc(
            "create",
            [{"period": "week", "date_from": fields.Date.to_string(monday)}],
            context={
                "default_state": "reviewed",
                "default_discipline": "on_time",
                "default_submitted_at": "2026-01-01 00:00:00",
                "default_reviewer_id": self.leader.id,
                "default_review_comment": "Excellent week, well done",
                "default_date_deadline": "2099-12-31 10:00:00",
                "default_report_on_time": 7,
            },
        )
        week = self.Report.search([("user_id", "=", self.rep.id), ("period", "=", "week")])
        self.assertEqual((week.state, week.discipline), ("draft", "pending"))
        self.assertFalse(week.reviewer_id or week.review_comment or week.submitted_at)
        self.assertEqual(week.report_on_time, 0)
        self.assertLess(week.date_deadline.year, 2099)

    def test_a_sales_manager_cannot_review_a_report_of_a_company_they_do_not_work_in(self):
        company_b = self.env["res.company"].create({"name": "Xi'an Branch"})
        rep_b = new_test_user(
            self.env,
            login="wr_rep_b",
            groups="sales_team.group_sale_salesman",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        report_b = self.Report.sudo().create(
            {
                "user_id": rep_b.id,
                "company_id": company_b.id,
                "date_from": company_b._sales_today(),
            }
        )
        report_b._flow_write({"state": "submitted"})
        self.authenticate(self.manager.login, self.manager.login)
        with self.assertRaisesRegex(RpcError, "Access|access|company"):
            wizard_id = call_kw(
                self,
                "sales.work.report.review",
                "create",
                [{"report_id": report_b.id, "comment": "Not my company, but well done"}],
            )
            call_kw(self, "sales.work.report.review", "action_review", [[wizard_id]])
        self.assertEqual(report_b.state, "submitted")
        self.assertFalse(report_b.review_comment)

    def test_a_rep_still_writes_their_text_and_opens_their_week(self):
        self.rpc("write", [self.report.ids, {"plan_next": "Visit Suzhou"}])
        self.assertEqual(self.report.plan_next, "Visit Suzhou")
        action = self.rpc("action_new_weekly_report", [])
        week = self.Report.browse(action["res_id"])
        self.assertEqual((week.team_id, week.user_id), (self.team, self.rep))


@tagged("post_install", "-at_install")
class TestTrustRegisters(RegisterCase, HttpCase):
    # RegisterCase already serves the HTTP requests with the test's cursor
    registry_test_mode = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.friend = new_test_user(
            cls.env, login="reg_friend", groups="sales_team.group_sale_salesman", name="Friend"
        )
        cls.other_team.user_id = cls.friend

    def test_a_rep_cannot_file_a_call_under_a_friends_team_to_hide_it_from_their_leader(self):
        self.authenticate(self.rep.login, self.rep.login)
        Entry = self.env["sales.register.entry"]
        before = Entry.search_count([])
        with self.assertRaisesRegex(RpcError, "team follows"):
            call_kw(
                self,
                "sales.register.entry",
                "create",
                [
                    {
                        "contact_name": "Mr Zhang",
                        "subject": "Complains about the price",
                        "user_id": self.rep.id,
                        "team_id": self.other_team.id,
                    }
                ],
            )
        self.assertEqual(Entry.search_count([]), before)

    def test_a_rep_cannot_file_a_call_under_a_friends_team_through_the_context(self):
        self.authenticate(self.rep.login, self.rep.login)
        entry_id = call_kw(
            self,
            "sales.register.entry",
            "create",
            [{"contact_name": "Mr Zhang", "subject": "Price"}],
            context={"default_team_id": self.other_team.id, "default_logged_by_id": self.mate.id},
        )
        entry = self.env["sales.register.entry"].browse(entry_id)
        self.assertEqual(entry.logged_by_id, self.rep)
        self.assertNotEqual(entry.team_id, self.other_team)
        self.assertFalse(entry.with_user(self.friend).search([("id", "=", entry.id)]))

    def test_a_rep_cannot_move_a_logged_call_to_another_team(self):
        entry = self.log(self.rep, user_id=self.rep.id)
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(RpcError, "team follows"):
            call_kw(
                self,
                "sales.register.entry",
                "write",
                [entry.ids, {"team_id": self.other_team.id}],
            )
        self.assertEqual(entry.team_id, self.team)
        self.assertIn(entry, entry.with_user(self.leader).search([("id", "=", entry.id)]))
        self.assertFalse(entry.with_user(self.friend).search([("id", "=", entry.id)]))

    def test_a_rep_cannot_forward_a_call_onto_a_lead_that_was_taken_from_them(self):
        lead = self.env["crm.lead"].create(
            {"name": "Wang's deal", "type": "opportunity", "user_id": self.rep.id}
        )
        entry = self.log(self.rep, lead_id=lead.id)
        lead.user_id = self.other_rep  # the lead goes to Sun: Wang no longer reads it
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(RpcError, "Lead|crm.lead"):
            call_kw(self, "sales.register.entry", "action_forward", [entry.ids])
        self.assertFalse(lead.activity_ids)
        self.assertNotEqual(entry.outcome, "forwarded")
