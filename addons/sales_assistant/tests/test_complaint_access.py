from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import RpcError, call_kw
from .common_complaint import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintAccess(ComplaintCase, HttpCase):
    """Each rule of the complaints tested as the user it restricts, through the ORM and over
    JSON-RPC as the web client sends it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mate_customer = cls.env["res.partner"].create(
            {"name": "无锡华东电气有限公司", "is_company": True, "user_id": cls.mate.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "西安机电有限公司", "is_company": True, "user_id": cls.other_rep.id}
        )
        Complaint = cls.env["sales.complaint"]
        cls.own = Complaint.create({"subject": "Own", "order_id": cls.order.id})
        cls.mates = Complaint.create(
            {
                "subject": "Mate's",
                "order_id": cls.make_order(cls.mate, customer=cls.mate_customer).id,
            }
        )
        cls.others = Complaint.create(
            {
                "subject": "Other team's",
                "order_id": cls.make_order(cls.other_rep, customer=cls.other_customer).id,
            }
        )
        cls.other_company_complaint = Complaint.create(
            {
                "subject": "Other company",
                "partner_id": cls.other_customer.id,
                "company_id": cls.other_company.id,
            }
        )
        cls.everything = cls.own | cls.mates | cls.others | cls.other_company_complaint

    def visible(self, user):
        return (
            self.env["sales.complaint"].with_user(user).search([("id", "in", self.everything.ids)])
        )

    def test_a_rep_sees_the_complaints_of_their_customers_only(self):
        self.assertEqual(self.visible(self.rep), self.own)
        with self.assertRaises(AccessError):
            self.mates.with_user(self.rep).read(["subject"])

    def test_a_leader_sees_the_complaints_of_the_team(self):
        self.assertEqual(self.visible(self.leader), self.own | self.mates)

    def test_the_desk_sees_every_complaint_of_its_companies_and_nothing_else(self):
        self.assertEqual(self.visible(self.desk), self.own | self.mates | self.others)
        self.assertEqual(self.visible(self.other_desk), self.other_company_complaint)

    def test_a_rep_over_rpc_finds_only_their_customers_complaints(self):
        self.authenticate(self.rep.login, self.rep.login)
        found = call_kw(
            self,
            "sales.complaint",
            "search_read",
            [[("id", "in", self.everything.ids)], ["subject"]],
        )
        self.assertEqual([row["id"] for row in found], self.own.ids)
        with self.assertRaises(RpcError):
            call_kw(self, "sales.complaint", "read", [self.others.ids, ["subject"]])

    def test_a_rep_writing_the_state_or_the_escalation_over_rpc_is_refused(self):
        self.authenticate(self.rep.login, self.rep.login)
        for vals in (
            {"state": "closed"},
            {"escalated_at": "2026-01-01 00:00:00"},
            {"source": "portal"},
            {"date_deadline": "2030-01-01 00:00:00"},
            {"deadline_breached": False},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(RpcError, "follow its flow"):
                call_kw(self, "sales.complaint", "write", [self.own.ids, vals])
        with self.assertRaisesRegex(RpcError, "follow its flow"):
            call_kw(
                self,
                "sales.complaint",
                "create",
                [{"subject": "Forged", "order_id": self.order.id, "state": "closed"}],
            )
        self.assertEqual(self.own.state, "new")
        self.assertFalse(self.own.escalated_at)

    def test_a_rep_closing_or_cancelling_over_rpc_is_refused(self):
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(RpcError, "sales desk"):
            call_kw(self, "sales.complaint", "action_cancel", [self.own.ids, "No reason"])
        with self.assertRaisesRegex(RpcError, "owner"):
            call_kw(self, "sales.complaint", "action_open_close", [self.own.ids])
        with self.assertRaises(RpcError):
            call_kw(self, "sales.complaint", "action_start", [self.others.ids])
        self.assertEqual((self.own | self.others).mapped("state"), ["new", "new"])

    def test_the_desk_closes_over_rpc_through_the_wizard(self):
        self.authenticate(self.desk.login, self.desk.login)
        call_kw(self, "sales.complaint", "action_start", [self.own.ids])
        wizard_id = call_kw(
            self,
            "sales.complaint.close",
            "create",
            [{"complaint_id": self.own.id, "resolution": "Replaced the valve"}],
        )
        call_kw(self, "sales.complaint.close", "action_confirm", [[wizard_id]])
        self.assertEqual(self.own.state, "closed")

    def test_a_desk_of_another_company_cannot_close_through_the_wizard(self):
        self.authenticate(self.other_desk.login, self.other_desk.login)
        with self.assertRaises(RpcError):
            wizard_id = call_kw(
                self,
                "sales.complaint.close",
                "create",
                [{"complaint_id": self.own.id, "resolution": "Not mine"}],
            )
            call_kw(self, "sales.complaint.close", "action_confirm", [[wizard_id]])
        self.assertEqual(self.own.state, "new")
