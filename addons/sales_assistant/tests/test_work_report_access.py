from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import RpcError, call_kw
from .common_work_report import WorkReportCase


@tagged("post_install", "-at_install")
class TestWorkReportAccess(WorkReportCase, HttpCase):
    """What each user may do to the day's reports, tried over JSON-RPC as the web client
    sends it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._sales_today()

    def setUp(self):
        super().setUp()
        self.report = self.Report.sudo().create({"user_id": self.rep.id, "date_from": self.today})

    def login(self, user):
        self.authenticate(user.login, user.login)

    def submit(self):
        self.login(self.rep)
        call_kw(self, "sales.work.report", "action_submit", [self.report.ids])
        self.assertEqual(self.report.state, "submitted")

    def test_a_rep_files_and_submits_their_report_over_rpc(self):
        self.login(self.rep)
        call_kw(
            self,
            "sales.work.report",
            "write",
            [self.report.ids, {"plan_next": "Visit Suzhou", "market_feedback": "Prices up"}],
        )
        call_kw(self, "sales.work.report", "action_submit", [self.report.ids])
        self.assertEqual(self.report.plan_next, "Visit Suzhou")
        self.assertEqual(self.report.state, "submitted")

    def test_a_report_for_a_future_day_is_refused(self):
        self.login(self.mate)
        tomorrow = fields.Date.to_string(self.today + timedelta(days=1))
        with self.assertRaisesRegex(RpcError, "not begun"):
            call_kw(self, "sales.work.report", "create", [{"date_from": tomorrow}])
        self.assertFalse(self.Report.search([("user_id", "=", self.mate.id)]))

    def test_a_second_report_of_the_same_day_is_refused(self):
        self.login(self.rep)
        with self.assertRaisesRegex(RpcError, "already has a report"):
            call_kw(
                self,
                "sales.work.report",
                "create",
                [{"date_from": fields.Date.to_string(self.today)}],
            )
        self.assertEqual(self.Report.search_count([("user_id", "=", self.rep.id)]), 1)

    def test_editing_a_submitted_report_is_refused(self):
        self.report.sudo().write({"market_feedback": "As handed in"})
        self.submit()
        with self.assertRaisesRegex(RpcError, "frozen"):
            call_kw(
                self,
                "sales.work.report",
                "write",
                [self.report.ids, {"market_feedback": "Changed afterwards"}],
            )
        with self.assertRaisesRegex(RpcError, "set by the report"):
            call_kw(self, "sales.work.report", "write", [self.report.ids, {"state": "draft"}])
        self.assertEqual(self.report.market_feedback, "As handed in")
        self.assertEqual(self.report.state, "submitted")

    def test_a_leader_commenting_outside_their_team_is_refused(self):
        self.submit()
        self.login(self.other_leader)
        wizard_id = call_kw(
            self,
            "sales.work.report.review",
            "create",
            [{"report_id": self.report.id, "comment": "Not my team"}],
        )
        with self.assertRaisesRegex(RpcError, "Only the leader of the team"):
            call_kw(self, "sales.work.report.review", "action_review", [[wizard_id]])
        self.assertEqual(self.report.state, "submitted")
        self.assertFalse(self.report.review_comment)

    def test_the_leader_comments_over_rpc(self):
        self.submit()
        self.login(self.leader)
        wizard_id = call_kw(
            self,
            "sales.work.report.review",
            "create",
            [{"report_id": self.report.id, "comment": "Good, call the buyer again"}],
        )
        call_kw(self, "sales.work.report.review", "action_review", [[wizard_id]])
        self.assertEqual(self.report.state, "reviewed")
        self.assertEqual(self.report.reviewer_id, self.leader)

    def test_who_sees_the_report(self):
        domain = [("id", "=", self.report.id)]
        for user, seen in (
            (self.rep, True),
            (self.mate, False),
            (self.leader, True),
            (self.other_leader, False),
            (self.manager, True),
        ):
            with self.subTest(user=user.name):
                self.login(user)
                found = call_kw(self, "sales.work.report", "search", [domain])
                self.assertEqual(bool(found), seen)

    def test_a_mate_cannot_submit_the_reps_report(self):
        self.login(self.mate)
        with self.assertRaises(RpcError):
            call_kw(self, "sales.work.report", "action_submit", [self.report.ids])
        self.assertEqual(self.report.state, "draft")
