from datetime import timedelta

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PDF_SCAN, ContractCase


@tagged("post_install", "-at_install")
class TestContractFlow(ContractCase):
    def test_a_contract_gets_the_next_number_of_its_company(self):
        first, second = self.make_contract(), self.make_contract()
        self.assertTrue(first.name.startswith("HT"))
        self.assertNotEqual(first.name, second.name)
        self.assertEqual((first.version, first.root_id, first.is_head), (1, first, True))

    def test_without_active_review_rules_a_submitted_contract_is_approved_at_once(self):
        contract = self.make_contract()
        contract.action_submit()
        self.assertEqual(contract.state, "approved")

    def test_signing_with_a_scan_puts_the_contract_in_force(self):
        contract = self.make_contract()
        contract.action_submit()
        self.sign(contract)
        self.assertEqual(contract.state, "signed")
        self.assertEqual(contract.date_signed, self.today)
        self.assertEqual(len(contract.scan_ids), 1)
        self.assertEqual(contract.scan_ids.raw, PDF_SCAN)

    def test_signing_without_a_scan_is_refused_and_changes_nothing(self):
        contract = self.make_contract()
        contract.action_submit()
        with self.assertRefused(UserError, "signed scan"):
            self.sign(contract, scan=None)
        self.assertEqual(contract.state, "approved")
        self.assertFalse(contract.date_signed)

    def test_a_scan_that_is_not_a_pdf_or_an_image_is_refused(self):
        contract = self.make_contract()
        contract.action_submit()
        with self.assertRefused(ValidationError, "photo .* or a PDF"):
            self.sign(contract, scan=b"MZ\x90\x00 an executable named signed.pdf")
        self.assertEqual(contract.state, "approved")
        self.assertFalse(contract.scan_ids)

    def test_a_scan_over_the_size_limit_is_refused(self):
        contract = self.make_contract()
        contract.action_submit()
        with self.assertRefused(ValidationError, "too large"):
            self.sign(contract, scan=PDF_SCAN + b"0" * (10 * 1024 * 1024))
        self.assertEqual(contract.state, "approved")

    def test_a_draft_cannot_be_signed_before_its_review(self):
        contract = self.make_contract()
        with self.assertRefused(UserError, "approved before"):
            self.sign(contract)
        self.assertEqual(contract.state, "draft")

    def test_an_end_date_before_the_start_date_is_refused(self):
        with self.assertRefused(ValidationError, "end date cannot be before"):
            self.make_contract(date_end=self.today - timedelta(days=1))
        self.assertFalse(self.env["sales.contract"].search([("user_id", "=", self.rep.id)]))

    def test_an_amount_of_zero_or_less_is_refused(self):
        for amount in (0.0, -5.0):
            with self.assertRefused(ValidationError, "amount must be positive"):
                self.make_contract(amount=amount)
        self.assertFalse(self.env["sales.contract"].search([("user_id", "=", self.rep.id)]))

    def test_a_payment_schedule_that_does_not_add_up_is_refused(self):
        schedule = [
            Command.create({"date_due": self.today, "kind": "percent", "value": 30}),
            Command.create(
                {"date_due": self.today + timedelta(days=60), "kind": "percent", "value": 60}
            ),
        ]
        with self.assertRefused(ValidationError, "does not add up"):
            self.make_contract(schedule_ids=schedule)
        contract = self.make_contract()
        with self.assertRefused(ValidationError, "does not add up"):
            contract.write(
                {
                    "schedule_ids": [
                        Command.create({"date_due": self.today, "kind": "amount", "value": 99999.0})
                    ]
                }
            )
        self.assertFalse(contract.schedule_ids)

    def test_a_schedule_in_percent_adds_up_to_the_amount(self):
        contract = self.make_contract(
            amount=200000.0,
            schedule_ids=[
                Command.create(
                    {"date_due": self.today, "kind": "percent", "value": 30, "is_deposit": True}
                ),
                Command.create(
                    {"date_due": self.today + timedelta(days=90), "kind": "percent", "value": 70}
                ),
            ],
        )
        self.assertEqual(contract.schedule_ids.mapped("amount"), [60000.0, 140000.0])
        self.assertEqual(contract.payment_days, 90)

    def test_the_terms_of_a_signed_version_are_never_edited_in_place(self):
        contract = self.signed_contract()
        with self.assertRefused(UserError, "never edited in place"):
            contract.write({"amount": 1.0})
        with self.assertRefused(UserError, "never edited in place"):
            contract.line_ids.with_user(self.rep).write({"price_unit": 1.0})
        with self.assertRefused(UserError, "never edited in place"):
            self.env["sales.contract.line"].with_user(self.rep).create(
                {"contract_id": contract.id, "name": "Free extra", "price_unit": 0}
            )
        with self.assertRefused(UserError, "never edited in place"):
            contract.line_ids.with_user(self.rep).unlink()
        self.assertEqual((contract.amount, contract.line_ids.price_unit), (100000.0, 1000.0))

    def test_nobody_writes_a_state_or_a_signature_by_hand(self):
        contract = self.make_contract()
        for vals in (
            {"state": "signed"},
            {"date_signed": self.today},
            {"is_head": False},
            {"version": 7},
            {"root_id": False},
        ):
            with self.assertRefused(UserError, "use the buttons"):
                contract.write(vals)
        forged = (
            self.env["sales.contract"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "amount": 10.0,
                    "date_start": self.today,
                    "state": "signed",
                    "date_signed": self.today,
                    "version": 3,
                }
            )
        )
        self.assertEqual((forged.state, forged.date_signed, forged.version), ("draft", False, 1))

    def test_a_signed_contract_cannot_be_deleted(self):
        contract = self.signed_contract()
        with self.assertRefused(UserError, "only drafts"):
            contract.unlink()
        self.assertTrue(contract.exists())

    def test_a_change_stays_pending_while_the_first_version_stays_in_force(self):
        first = self.signed_contract()
        action = first.action_new_version()
        second = self.env["sales.contract"].browse(action["res_id"])
        self.assertEqual((second.version, second.root_id, second.previous_id), (2, first, first))
        self.assertEqual(second.name, first.name)
        second.write({"amount": 120000.0})
        self.assertIn("100000", second.change_summary)
        self.assertIn("120000", second.change_summary)
        second.action_submit()
        self.assertEqual((first.state, first.is_head), ("signed", True))
        self.assertFalse(second.is_head)
        self.sign(second)
        self.assertEqual((first.state, first.is_head), ("superseded", False))
        self.assertEqual((second.state, second.is_head), ("signed", True))
        self.assertEqual(first.version_ids, first | second)

    def test_a_second_change_is_refused_while_one_is_in_progress(self):
        first = self.signed_contract()
        first.action_new_version()
        with self.assertRefused(UserError, "already has a change in progress"):
            first.action_new_version()
        self.assertEqual(len(first.version_ids), 2)

    def test_a_second_in_force_version_is_refused(self):
        first = self.signed_contract()
        second = self.env["sales.contract"].browse(first.action_new_version()["res_id"])
        with self.assertRefused(ValidationError, "already has a version in force"):
            second._flow_write({"state": "signed"})
        self.assertEqual((first.state, second.state), ("signed", "draft"))

    @mute_logger("odoo.sql_db")
    def test_the_database_keeps_one_version_in_force_whatever_writes_the_states(self):
        first = self.signed_contract()
        second = self.env["sales.contract"].browse(first.action_new_version()["res_id"])
        with self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE sales_contract SET state = 'signed' WHERE id = %s", [second.id]
            )
        self.assertEqual(first.state, "signed")

    def test_a_termination_takes_effect_when_its_version_is_signed(self):
        first = self.signed_contract()
        termination = self.env["sales.contract"].browse(first.action_terminate()["res_id"])
        self.assertEqual(termination.change_kind, "termination")
        termination.action_submit()
        self.assertEqual(first.state, "signed")
        self.sign(termination)
        self.assertEqual((first.state, termination.state), ("terminated", "terminated"))

    def test_renewing_creates_a_linked_draft_following_on(self):
        first = self.signed_contract()
        renewal = self.env["sales.contract"].browse(first.action_renew()["res_id"])
        self.assertEqual(
            (renewal.state, renewal.renewed_from_id, renewal.version), ("draft", first, 1)
        )
        self.assertNotEqual(renewal.name, first.name)
        self.assertEqual(renewal.date_start, first.date_end + timedelta(days=1))

    def test_only_the_sales_desk_marks_a_contract_completed(self):
        contract = self.signed_contract()
        with self.assertRefused(AccessError, "sales desk"):
            contract.with_user(self.rep).action_complete()
        self.assertEqual(contract.state, "signed")
        contract.with_user(self.desk).action_complete()
        self.assertEqual(contract.state, "completed")


@tagged("post_install", "-at_install")
class TestContractReview(ContractCase):
    def setUp(self):
        super().setUp()
        (self.rule_legal | self.rule_general_manager | self.rule_finance).active = True

    def test_legal_then_the_general_manager_approve_a_large_contract(self):
        contract = self.make_contract(amount=800000.0)
        contract.action_submit()
        self.assertEqual(contract.state, "review")
        approvals = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "sales.contract"), ("res_id", "=", contract.id)]
        )
        self.assertEqual(approvals.rule_id, self.rule_legal | self.rule_general_manager)
        self.approve_all(contract, [self.legal])
        self.assertEqual(contract.state, "review")
        self.approve_all(contract, [self.general_manager])
        self.assertEqual(contract.state, "approved")

    def test_a_small_contract_with_a_good_deposit_needs_legal_only(self):
        contract = self.make_contract(amount=50000.0)
        contract.action_submit()
        self.approve_all(contract, [self.legal])
        self.assertEqual(contract.state, "approved")

    def test_finance_approves_a_low_deposit(self):
        contract = self.make_contract(amount=50000.0, deposit_percent=10.0)
        contract.action_submit()
        self.approve_all(contract, [self.legal])
        self.assertEqual(contract.state, "review")
        self.approve_all(contract, [self.finance])
        self.assertEqual(contract.state, "approved")

    def test_a_rejection_sends_the_contract_back_to_draft(self):
        contract = self.make_contract(amount=50000.0)
        contract.action_submit()
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "sales.contract"), ("res_id", "=", contract.id)]
        )
        approval.with_user(self.legal).action_reject("Clause 7 is missing")
        self.assertEqual(contract.state, "draft")

    def test_an_edit_after_approval_voids_it_and_returns_the_contract_to_draft(self):
        contract = self.make_contract(amount=50000.0)
        contract.action_submit()
        self.approve_all(contract, [self.legal])
        self.assertEqual(contract.state, "approved")
        contract.write({"amount": 60000.0})
        self.assertEqual(contract.state, "draft")
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "sales.contract"), ("res_id", "=", contract.id)]
        )
        self.assertEqual(approval.state, "voided")
        contract.action_submit()
        self.assertEqual(contract.state, "review", "the new terms are reviewed again")

    def test_a_version_is_not_approved_by_the_person_who_asked_for_it(self):
        self.rep.groups_id = [Command.link(self.env.ref("sales_assistant.group_contract_legal").id)]
        contract = self.make_contract(amount=50000.0)
        contract.action_submit()
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "sales.contract"), ("res_id", "=", contract.id)]
        )
        with self.assertRefused(UserError, "own case|not an approver"):
            approval.with_user(self.rep).action_approve()
        self.assertEqual((approval.state, contract.state), ("pending", "review"))

    def test_a_change_version_is_reviewed_again(self):
        self.rule_general_manager.active = False
        self.rule_finance.active = False
        first = self.make_contract(amount=50000.0)
        first.action_submit()
        self.approve_all(first, [self.legal])
        self.sign(first)
        second = self.env["sales.contract"].browse(first.action_new_version()["res_id"])
        second.write({"amount": 55000.0})
        second.action_submit()
        self.assertEqual(second.state, "review")
        self.assertEqual(first.state, "signed")
