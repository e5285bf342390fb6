from odoo.tests import tagged

from .common import ContractCase


@tagged("post_install", "-at_install")
class TestContractApprovalMail(ContractCase):
    def test_a_contract_review_sends_the_reviewer_the_request_mail_with_their_links(self):
        self.rule_legal.active = True
        self.legal.email = "legal@example.com"
        contract = self.make_contract(amount=50000.0)
        contract.action_submit()
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "sales.contract"), ("res_id", "=", contract.id)]
        )
        self.assertEqual(approval.pending_approver_ids, self.legal)
        mail = self.env["mail.message"].search(
            [
                ("model", "=", approval._name),
                ("res_id", "=", approval.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.legal.partner_id.ids),
            ]
        )
        self.assertEqual(len(mail), 1, "one request e-mail to the legal reviewer")
        link = self.env["sales.compliance.approval.link"].search(
            [("approval_id", "=", approval.id), ("user_id", "=", self.legal.id)]
        )
        self.assertEqual(len(link), 1)
        body = str(mail.body)
        self.assertIn(f"{link._url()}?decision=approve", body)
        self.assertIn(f"{link._url()}?decision=reject", body)
        self.assertIn(contract.display_name, body)
        self.assertEqual(mail.notification_ids.res_partner_id, self.legal.partner_id)
        self.assertEqual(mail.notification_ids.notification_type, "email")
        # nobody else reads the reviewer's links: not the rep who submitted the contract
        self.assertFalse(mail.with_user(self.rep).has_access("read"))
