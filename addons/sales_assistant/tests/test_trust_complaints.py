"""Abuse of the complaints and their follow-up (return visits), tried as the user who would
try it, along the path they would take: JSON-RPC as the web client sends it."""

import re

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import RpcError, call_kw
from .common_complaint import ComplaintCase
from .common_complaint_portal import EXE, PNG, ComplaintPortalCase


@tagged("post_install", "-at_install")
class TestTrustComplaints(ComplaintCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.return_visit_type = cls.env.ref("sales_assistant.mail_activity_type_return_visit")

    def complaints(self, subject):
        return self.env["sales.complaint"].search([("subject", "=", subject)])

    def return_visits(self, record):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("activity_type_id", "=", self.return_visit_type.id),
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                ]
            )
        )

    def rep_files(self, context, subject="Valve leaks again", **values):
        return call_kw(
            self,
            "sales.complaint",
            "create",
            [{"subject": subject, "order_id": self.order.id, **values}],
            context=context,
        )

    # ------------------------------------------------------------------
    # The context's defaults of the flow fields
    # ------------------------------------------------------------------
    def test_a_rep_cannot_file_a_critical_complaint_marked_as_already_alerted_by_the_context(
        self,
    ):
        self.authenticate(self.rep.login, self.rep.login)
        for key in ("default_leader_alerted_at", "default_escalated_at"):
            with self.subTest(key=key), self.assertRaisesRegex(RpcError, "follow its flow"):
                self.rep_files({key: "2026-01-01 00:00:00"}, severity="critical")
        self.assertFalse(self.complaints("Valve leaks again"))

    def test_a_rep_cannot_file_a_complaint_already_closed_or_from_the_portal_by_the_context(
        self,
    ):
        self.authenticate(self.rep.login, self.rep.login)
        for key, value in (
            ("default_state", "closed"),
            ("default_source", "portal"),
            ("default_date_closed", "2026-01-01 00:00:00"),
            ("default_date_filed", "2020-01-01 00:00:00"),
        ):
            with self.subTest(key=key), self.assertRaisesRegex(RpcError, "follow its flow"):
                self.rep_files({key: value})
        self.assertFalse(self.complaints("Valve leaks again"))

    def test_a_rep_files_a_complaint_with_the_ordinary_defaults_of_the_form(self):
        self.authenticate(self.rep.login, self.rep.login)
        complaint_id = self.rep_files({"default_order_id": self.order.id, "default_state": "new"})
        complaint = self.env["sales.complaint"].browse(complaint_id)
        self.assertEqual((complaint.state, complaint.source), ("new", "staff"))

    # ------------------------------------------------------------------
    # The return visits a rep would rather skip
    # ------------------------------------------------------------------
    def test_a_rep_cannot_mark_the_return_visit_of_their_complaint_as_already_scheduled(self):
        complaint = self.file()
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(RpcError, "follow its flow"):
            call_kw(
                self, "sales.complaint", "write", [complaint.ids, {"return_visit_scheduled": True}]
            )
        with self.assertRaisesRegex(RpcError, "follow its flow"):
            self.rep_files({"default_return_visit_scheduled": True})
        self.assertFalse(complaint.return_visit_scheduled)
        complaint.with_user(self.desk)._close("Replaced the valve.", "replacement", "4")
        self.assertEqual(self.return_visits(complaint).user_id, self.rep)

    def test_a_rep_cannot_spare_themselves_the_return_visit_of_a_new_customers_first_order(
        self,
    ):
        newcomer = self.env["res.partner"].create(
            {"name": "常州新客户有限公司", "is_company": True, "user_id": self.rep.id}
        )
        order = (
            self.env["sale.order"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": newcomer.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(RpcError, "return visit"):
            call_kw(self, "sale.order", "write", [order.ids, {"return_visit_scheduled": True}])
        with self.assertRaisesRegex(RpcError, "return visit"):
            call_kw(
                self,
                "sale.order",
                "create",
                [{"partner_id": newcomer.id}],
                context={"default_return_visit_scheduled": True},
            )
        call_kw(self, "sale.order", "action_confirm", [order.ids])
        self.assertEqual(self.return_visits(order).user_id, self.rep)

    # ------------------------------------------------------------------
    # Nobody decides their own case
    # ------------------------------------------------------------------
    def test_a_rep_cannot_lower_the_severity_of_a_complaint_against_themselves(self):
        complaint = self.file(severity="high")
        deadline = complaint.date_deadline
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(RpcError, "severity"):
            call_kw(self, "sales.complaint", "write", [complaint.ids, {"severity": "low"}])
        complaint.invalidate_recordset()
        self.assertEqual((complaint.severity, complaint.date_deadline), ("high", deadline))

    def test_a_rep_cannot_move_a_complaint_to_another_customer_who_would_read_it_on_the_portal(
        self,
    ):
        complaint = self.file()
        stranger = self.env["res.partner"].create({"name": "A stranger with a portal login"})
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(RpcError, "Only the sales desk moves a complaint"):
            call_kw(self, "sales.complaint", "write", [complaint.ids, {"partner_id": stranger.id}])
        complaint.invalidate_recordset()
        self.assertEqual(complaint.partner_id, self.customer)

    def test_a_rep_made_owner_cannot_close_the_complaint_against_themselves_as_very_satisfied(
        self,
    ):
        self.team.complaint_owner_id = self.rep  # a small team: its rep is its sales desk
        complaint = self.file()
        self.assertEqual((complaint.owner_id, complaint.user_id), (self.rep, self.rep))
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(RpcError, "salesperson"):
            call_kw(self, "sales.complaint", "action_open_close", [complaint.ids])
        wizard_id = call_kw(
            self,
            "sales.complaint.close",
            "create",
            [{"complaint_id": complaint.id, "resolution": "All good.", "satisfaction": "5"}],
        )
        with self.assertRaisesRegex(RpcError, "salesperson"):
            call_kw(self, "sales.complaint.close", "action_confirm", [[wizard_id]])
        complaint.invalidate_recordset()
        self.assertEqual((complaint.state, complaint.satisfaction), ("new", False))

    def test_a_desk_member_who_sold_the_order_cannot_cancel_the_complaint_against_them(self):
        order = self.make_order(self.desk)
        complaint = self.file(user=self.desk, order=order)
        self.assertEqual(complaint.user_id, self.desk)
        self.authenticate(self.desk.login, self.desk.login)
        with self.assertRaisesRegex(RpcError, "salesperson"):
            call_kw(self, "sales.complaint", "action_cancel", [complaint.ids, "Not a real issue"])
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "new")

    def test_a_rep_cannot_assign_a_complaint_through_the_context_s_defaults(self):
        walk_in = self.env["res.partner"].create({"name": "散客 Walk-in", "is_company": True})
        self.team.complaint_owner_id = False
        self.company.complaint_owner_id = False
        self.authenticate(self.rep.login, self.rep.login)
        for key, user in (("default_owner_id", self.rep), ("default_user_id", self.mate)):
            with self.subTest(key=key), self.assertRaisesRegex(RpcError, "sales desk assigns"):
                call_kw(
                    self,
                    "sales.complaint",
                    "create",
                    [{"subject": "Walk-in complaint", "partner_id": walk_in.id}],
                    context={key: user.id, "default_owner_id": self.rep.id},
                )
        self.assertFalse(self.complaints("Walk-in complaint"))

    def test_a_rep_may_raise_the_severity_and_the_desk_may_lower_it(self):
        complaint = self.file(severity="normal")
        self.authenticate(self.rep.login, self.rep.login)
        call_kw(self, "sales.complaint", "write", [complaint.ids, {"severity": "high"}])
        self.authenticate(self.desk.login, self.desk.login)
        call_kw(self, "sales.complaint", "write", [complaint.ids, {"severity": "low"}])
        complaint.invalidate_recordset()
        self.assertEqual(complaint.severity, "low")


@tagged("post_install", "-at_install")
class TestTrustComplaintPortalChatter(ComplaintPortalCase):
    """The customer's files reach their complaint through the form and through the chatter
    of the complaint's page: both are checked on their content and size."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.make_complaint(cls.order, "Valve leaks")

    def complaint_files(self):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "sales.complaint"), ("res_id", "=", self.complaint.id)]
        )

    def upload(self, name, content, pending=False):
        """Upload ``content`` from the complaint's page, as its chatter does."""
        page = self.url_open(self.complaint.access_url)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'csrf_token: "([^"]+)"', page.text)[1]
        data = {
            "csrf_token": csrf,
            "thread_id": str(self.complaint.id),
            "thread_model": "sales.complaint",
        }
        if pending:
            data["is_pending"] = "true"
        response = self.url_open(
            "/mail/attachment/upload", data=data, files={"ufile": (name, content)}
        )
        try:
            return response.json()
        except ValueError:
            return {"error": response.status_code}

    def test_a_customer_cannot_slip_a_program_into_their_complaint_through_the_chatter(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        result = self.upload("photo.png", EXE)
        self.assertIn("error", result)
        self.assertFalse(self.complaint_files())

    def test_a_customer_cannot_post_a_program_in_the_chatter_of_their_complaint(self):
        self.env["ir.attachment"].flush_model()
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        pending = self.upload("photo.png", EXE, pending=True)
        if "error" in pending:
            return  # refused at the upload already
        attachment = pending["data"]["ir.attachment"][0]
        result = self.json_rpc(
            "/mail/message/post",
            {
                "thread_model": "sales.complaint",
                "thread_id": self.complaint.id,
                "post_data": {"body": "See the photo", "attachment_ids": [attachment["id"]]},
                "attachment_tokens": [attachment["access_token"]],
            },
        )
        self.assertIn("must be a photo", str(result.get("error")))
        self.assertFalse(self.complaint_files())

    def test_a_customer_posts_a_photo_in_the_chatter_of_their_complaint(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        result = self.upload("photo.png", PNG)
        self.assertNotIn("error", result)
        self.assertEqual(self.complaint_files().mapped("name"), ["photo.png"])

    def test_another_customer_cannot_upload_to_a_complaint_not_theirs(self):
        self.authenticate("cp_other", "cp_other_pwd")
        page = self.url_open(self.complaint.access_url)
        self.assertEqual(page.status_code, 404)
        self.assertFalse(self.complaint_files())

    def test_a_customer_cannot_post_on_their_complaint_over_rpc_as_the_rep_or_to_strangers(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        with self.assertRaises(RpcError):
            call_kw(
                self,
                "sales.complaint",
                "message_post",
                [self.complaint.ids],
                kwargs={
                    "body": "Your refund is approved, pay the fee to this account.",
                    "author_id": self.rep.partner_id.id,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            )
        with self.assertRaises(RpcError):
            call_kw(
                self,
                "sales.complaint",
                "message_post",
                [self.complaint.ids],
                kwargs={
                    "body": "Buy cheap valves at my shop",
                    "partner_ids": [self.other_customer.id],
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            )
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "sales.complaint"),
                    ("res_id", "=", self.complaint.id),
                    ("body", "ilike", "shop"),
                ]
            )
            | self.env["mail.message"].search(
                [("model", "=", "sales.complaint"), ("author_id", "=", self.rep.partner_id.id)]
            )
        )

    def test_a_customer_cannot_write_a_message_in_the_rep_s_name_on_their_complaint(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        with self.assertRaises(RpcError):
            call_kw(
                self,
                "mail.message",
                "create",
                [
                    {
                        "model": "sales.complaint",
                        "res_id": self.complaint.id,
                        "body": "Refund approved: pay the handling fee to this account.",
                        "author_id": self.rep.partner_id.id,
                        "message_type": "comment",
                        "subtype_id": self.env.ref("mail.mt_comment").id,
                    }
                ],
            )
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "sales.complaint"), ("author_id", "=", self.rep.partner_id.id)]
            )
        )
