import base64
from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import PDF_SCAN, ContractCase, RpcError, call_kw
from .common_complaint_portal import ComplaintPortalCase


@tagged("post_install", "-at_install")
class TestTrustContracts(ContractCase, HttpCase):
    """Red-team round: contracts (and the complaints' chatter, below) attacked over JSON-RPC
    by the users who would try."""

    # ContractCase already serves the HTTP requests with the test's cursor
    registry_test_mode = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signed = cls.signed_contract(cls.rep, title="Signed by the rep")

    def test_a_team_leader_cannot_take_a_reps_signed_contract_for_themselves(self):
        # the signed value counts for the version's salesperson (contract value metric)
        self.authenticate(self.leader.login, self.leader.login)
        with self.assertRaisesRegex(RpcError, "only the sales desk"):
            call_kw(self, "sales.contract", "write", [self.signed.ids, {"user_id": self.leader.id}])
        self.assertEqual(self.signed.user_id, self.rep)

    def test_a_rep_cannot_move_their_signed_contract_to_another_team(self):
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(RpcError, "only the sales desk"):
            call_kw(
                self, "sales.contract", "write", [self.signed.ids, {"team_id": self.other_team.id}]
            )
        self.assertEqual(self.signed.team_id, self.team)

    def test_the_sales_desk_reassigns_a_signed_contract_and_a_rep_a_draft(self):
        self.signed.with_user(self.desk).write({"user_id": self.mate.id})
        self.assertEqual(self.signed.user_id, self.mate)
        draft = self.make_contract(self.rep)
        draft.with_user(self.leader).write({"user_id": self.mate.id})
        self.assertEqual(draft.user_id, self.mate)

    def test_a_rep_cannot_file_their_contract_in_another_team_over_rpc(self):
        # the other team's leader would read it, and the team be credited with its value
        self.authenticate(self.rep.login, self.rep.login)
        vals = {
            "partner_id": self.customer.id,
            "title": "Filed elsewhere",
            "amount": 5000.0,
            "date_start": str(self.today),
            "team_id": self.other_team.id,
        }
        with self.assertRaisesRegex(RpcError, "sales team of its salesperson"):
            call_kw(self, "sales.contract", "create", [vals])
        self.assertFalse(self.env["sales.contract"].search([("title", "=", "Filed elsewhere")]))
        draft = self.make_contract(self.rep)
        with self.assertRaisesRegex(RpcError, "sales team of its salesperson"):
            call_kw(self, "sales.contract", "write", [draft.ids, {"team_id": self.other_team.id}])
        self.assertEqual(draft.team_id, self.team)

    def test_a_rep_cannot_sign_a_contract_on_a_day_to_come_to_move_its_value(self):
        # the signed value counts in the month of the signed date (contract value metric)
        contract = self.make_contract(self.rep)
        contract.action_submit()
        self.authenticate(self.rep.login, self.rep.login)
        wizard = call_kw(
            self,
            "sales.contract.sign",
            "create",
            [
                {
                    "contract_id": contract.id,
                    "date_signed": str(self.today + timedelta(days=35)),
                    "scan": base64.b64encode(PDF_SCAN).decode(),
                    "scan_name": "signed.pdf",
                }
            ],
        )
        with self.assertRaisesRegex(RpcError, "has not come yet"):
            call_kw(self, "sales.contract.sign", "action_sign", [[wizard]])
        self.assertEqual((contract.state, contract.date_signed), ("approved", False))
        self.assertFalse(contract.scan_ids)

    def test_a_contract_nobody_else_may_approve_waits_in_review_not_approved(self):
        # the legal review asks the rep themselves, and no compliance officer may stand in
        self.rule_legal.write(
            {
                "active": True,
                "level_ids": [
                    Command.update(
                        self.rule_legal.level_ids[:1].id,
                        {"approver_type": "user", "user_id": self.rep.id},
                    )
                ],
            }
        )
        self.env.ref("sales_compliance.group_compliance_officer").sudo().users = [Command.clear()]
        contract = self.make_contract(self.rep)
        self.authenticate(self.rep.login, self.rep.login)
        call_kw(self, "sales.contract", "action_submit", [contract.ids])
        self.assertEqual(contract.state, "review")
        with self.assertRaisesRegex(UserError, "must be approved"):
            self.sign(contract)
        self.assertFalse(contract.date_signed)


@tagged("post_install", "-at_install")
class TestTrustComplaintChatterEvents(ComplaintPortalCase):
    """The customer writes comments on their complaint: never an event of its flow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.make_complaint(cls.order, "Valve leaks")

    def posted(self, text):
        return self.env["mail.message"].search(
            [
                ("model", "=", "sales.complaint"),
                ("res_id", "=", self.complaint.id),
                ("body", "ilike", text),
            ]
        )

    def test_a_customer_cannot_post_a_closing_or_a_system_event_on_their_complaint(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        # through the chatter of the portal page (Odoo posts it as superuser)
        result = self.json_rpc(
            "/mail/message/post",
            {
                "thread_model": "sales.complaint",
                "thread_id": self.complaint.id,
                "post_data": {
                    "body": "Closed: refund approved, pay the handling fee first",
                    "message_type": "comment",
                    "subtype_xmlid": "sales_assistant.mt_complaint_closed",
                },
            },
        )
        self.assertIn("comments", str(result.get("error")))
        # and straight over RPC, as a system notification
        with self.assertRaisesRegex(RpcError, "comments"):
            call_kw(
                self,
                "sales.complaint",
                "message_post",
                [self.complaint.ids],
                kwargs={"body": "Escalated: handling fee due", "message_type": "notification"},
            )
        self.assertFalse(self.posted("handling fee"))
        self.assertEqual(self.complaint.state, "new")

    def test_a_customer_still_comments_on_their_complaint_from_its_page(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        result = self.json_rpc(
            "/mail/message/post",
            {
                "thread_model": "sales.complaint",
                "thread_id": self.complaint.id,
                "post_data": {
                    "body": "Still leaking this morning",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        self.assertNotIn("error", result)
        message = self.posted("Still leaking")
        self.assertEqual(message.author_id, self.portal_user.partner_id)
