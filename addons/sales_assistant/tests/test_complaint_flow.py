from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.sales_complaint import COMPLAINT_FLOW
from .common_complaint import ComplaintCase

NOW = datetime(2026, 3, 10, 2, 0)


class TestComplaintFiling(ComplaintCase):
    def test_a_complaint_filed_on_an_order_takes_its_customer_rep_team_product_and_desk(self):
        complaint = self.file()
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.user_id, self.rep)
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.company_id, self.company)
        self.assertEqual(complaint.product_id, self.product)
        self.assertEqual(complaint.owner_id, self.desk)
        self.assertEqual(complaint.state, "new")
        self.assertEqual(complaint.source, "staff")

    def test_a_complaint_filed_on_a_delivery_finds_its_order(self):
        picking = self.order.picking_ids[:1]
        complaint = self.file(order=self.env["sale.order"], picking_id=picking.id)
        self.assertEqual(complaint.order_id, self.order)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.user_id, self.rep)
        self.assertEqual(complaint.product_id, self.product)

    def test_an_order_of_several_products_leaves_the_product_to_choose(self):
        second = self.env["product.product"].create({"name": "Gasket", "type": "consu"})
        order = self.make_order(self.rep, products=self.product | second)
        self.assertFalse(self.file(order=order).product_id)

    def test_a_team_without_a_desk_gives_its_complaints_to_the_company_default_owner(self):
        self.team.complaint_owner_id = False
        self.company.complaint_owner_id = self.leader
        self.assertEqual(self.file().owner_id, self.leader)

    def test_complaints_are_numbered_per_company(self):
        year = self.env.company._sales_today().year
        first, second = self.file(), self.file()
        self.assertRegex(first.name, rf"^KS{year}-\d{{4}}$")
        self.assertEqual(int(second.name[-4:]), int(first.name[-4:]) + 1)
        other = self.env["sales.complaint"].create(
            {
                "subject": "Late invoice",
                "partner_id": self.customer.id,
                "company_id": self.other_company.id,
            }
        )
        self.assertEqual(other.name, f"KS{year}-0001")

    def test_the_deadline_follows_the_service_level_of_the_severity(self):
        self.company.complaint_sla_critical_hours = 4
        self.company.complaint_sla_low_hours = 120
        with freeze_time(NOW):
            complaint = self.file(severity="low")
            self.assertEqual(complaint.date_deadline, NOW + timedelta(hours=120))
            complaint.with_user(self.desk).severity = "critical"
            self.assertEqual(complaint.date_deadline, NOW + timedelta(hours=4))

    def test_a_complaint_on_an_order_of_another_company_is_refused(self):
        order = self.make_order(self.env.user, company=self.other_company)
        with self.assertRefused(ValidationError, "belongs to the company"):
            self.env["sales.complaint"].create(
                {
                    "subject": "Wrong company",
                    "order_id": order.id,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                }
            )
        with self.assertRefused(AccessError, "."):
            self.file(order=order)
        self.assertFalse(self.env["sales.complaint"].search([("order_id", "=", order.id)]))

    def test_filing_a_complaint_with_its_state_or_source_is_refused(self):
        for values in ({"state": "closed"}, {"source": "portal"}, {"escalated_at": NOW}):
            with self.subTest(values=values), self.assertRefused(UserError, "follow its flow"):
                self.file(**values)

    def test_the_portal_source_is_set_through_the_flow(self):
        complaint = (
            self.env["sales.complaint"]
            .with_context(sales_complaint_flow=COMPLAINT_FLOW)
            .create({"subject": "Broken seal", "order_id": self.order.id, "source": "portal"})
        )
        self.assertEqual(complaint.source, "portal")


class TestComplaintFlow(ComplaintCase):
    def test_the_rep_starts_and_the_desk_closes_with_a_resolution(self):
        complaint = self.file()
        complaint.with_user(self.rep).action_start()
        self.assertEqual(complaint.state, "in_progress")
        with patch.object(
            type(self.env["sales.complaint"]), "_complaint_closed", autospec=True
        ) as closed:
            complaint.with_user(self.desk)._close("New valve sent", "replacement", "4")
        closed.assert_called_once()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.action_taken, "replacement")
        self.assertEqual(complaint.satisfaction, "4")
        self.assertTrue(complaint.date_closed)
        self.assertGreaterEqual(complaint.resolve_hours, 0.0)
        self.assertFalse(complaint.deadline_breached)

    def test_what_follows_the_closing_writes_on_the_closed_complaint(self):
        complaint = self.file()

        def survey_sent(records):
            records.write({"description": "<p>Survey sent</p>"})

        with patch.object(
            type(self.env["sales.complaint"]),
            "_complaint_closed",
            autospec=True,
            side_effect=survey_sent,
        ):
            complaint.with_user(self.desk)._close("Replaced", "replacement", "5")
        self.assertIn("Survey sent", complaint.description)
        with self.assertRefused(UserError, "no longer edited"):
            complaint.with_user(self.desk).write({"description": "<p>Changed</p>"})

    def test_the_close_wizard_closes_the_complaint(self):
        complaint = self.file()
        action = complaint.with_user(self.desk).action_open_close()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.desk)
            .with_context(**action["context"])
            .create({"resolution": "Technician visit", "action_taken": "visit"})
        )
        wizard.action_confirm()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.resolution, "Technician visit")

    def test_closing_without_a_resolution_is_refused_and_writes_nothing(self):
        complaint = self.file()
        for resolution in (False, "", "   "):
            with self.assertRefused(ValidationError, "resolution"):
                complaint.with_user(self.desk)._close(resolution, "replacement", "3")
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.date_closed)
        self.assertFalse(complaint.action_taken)

    def test_the_rep_does_not_close_their_own_customers_complaint(self):
        complaint = self.file()
        with self.assertRefused(AccessError, "owner"):
            complaint.with_user(self.rep)._close("Fixed", "repair", "5")
        self.assertEqual(complaint.state, "new")

    def test_a_closed_complaint_is_no_longer_edited(self):
        complaint = self.file()
        complaint.with_user(self.desk)._close("Credit note issued", "credit_note", "3")
        with self.assertRefused(UserError, "no longer edited"):
            complaint.with_user(self.desk).write({"subject": "Something else"})
        with self.assertRefused(UserError, "already closed"):
            complaint.with_user(self.desk)._close("Again", "other", "1")
        self.assertEqual(complaint.subject, "Valve leaks")

    def test_only_the_desk_cancels_and_with_a_reason(self):
        complaint = self.file()
        with self.assertRefused(AccessError, "sales desk"):
            complaint.with_user(self.rep).action_cancel("Duplicate")
        with self.assertRefused(ValidationError, "reason"):
            complaint.with_user(self.desk).action_cancel(" ")
        complaint.with_user(self.desk).action_cancel("Filed twice")
        self.assertEqual(complaint.state, "cancelled")
        self.assertEqual(complaint.cancel_reason, "Filed twice")

    def test_a_plain_write_of_the_state_is_refused(self):
        complaint = self.file()
        for values in ({"state": "closed"}, {"escalated_at": NOW}, {"date_deadline": NOW}):
            with self.subTest(values=values), self.assertRefused(UserError, "follow its flow"):
                complaint.with_user(self.desk).write(values)
        self.assertEqual(complaint.state, "new")


class TestComplaintEscalation(ComplaintCase):
    def leader_activities(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "sales.complaint"),
                ("res_id", "=", complaint.id),
                ("user_id", "=", self.leader.id),
            ]
        )

    def test_a_critical_complaint_alerts_the_team_leader_once(self):
        complaint = self.file(severity="critical")
        self.assertTrue(complaint.leader_alerted_at)
        self.assertEqual(len(self.leader_activities(complaint)), 1)
        complaint.with_user(self.desk).severity = "high"
        complaint.with_user(self.desk).severity = "critical"
        self.assertEqual(len(self.leader_activities(complaint)), 1)

    def test_an_overdue_complaint_escalates_to_the_leader_once(self):
        with freeze_time(NOW - timedelta(days=5)):
            overdue = self.file(severity="normal")
            on_time = self.file(severity="low", subject="Scratch")
            self.assertFalse(overdue.deadline_breached)
        with freeze_time(NOW):
            self.env["sales.complaint"]._escalate_overdue()
            self.env["sales.complaint"]._escalate_overdue()
            self.assertTrue(overdue.escalated_at)
            self.assertTrue(overdue.deadline_breached)
            self.assertEqual(len(self.leader_activities(overdue)), 1)
            self.assertFalse(on_time.escalated_at)
            self.assertFalse(on_time.deadline_breached)
            self.assertFalse(self.leader_activities(on_time))

    def test_the_escalation_goes_in_batches(self):
        with freeze_time(NOW - timedelta(days=5)):
            complaints = self.file() | self.file() | self.file()
        with freeze_time(NOW):
            done, remaining = self.env["sales.complaint"]._escalate_batch(batch_size=2)
            self.assertEqual((done, remaining), (2, 1))
            self.assertEqual(self.env["sales.complaint"]._escalate_overdue(batch_size=2), 1)
        self.assertTrue(all(complaints.mapped("escalated_at")))

    def test_a_complaint_closed_after_its_deadline_is_breached(self):
        with freeze_time(NOW - timedelta(days=5)):
            late = self.file()
            early = self.file()
            early.with_user(self.desk)._close("Explained the use", "explanation", "5")
        with freeze_time(NOW):
            late.with_user(self.desk)._close("Replaced", "replacement", "2")
        self.assertTrue(late.deadline_breached)
        self.assertAlmostEqual(late.resolve_hours, 120.0, places=1)
        self.assertFalse(early.deadline_breached)


class TestComplaintDocuments(ComplaintCase):
    def test_the_order_customer_and_delivery_count_their_complaints(self):
        picking = self.order.picking_ids[:1]
        self.file()
        self.file(picking_id=picking.id)
        contact = self.env["res.partner"].create(
            {"name": "Buyer Liu", "parent_id": self.customer.id}
        )
        self.assertEqual(self.order.with_user(self.rep).complaint_count, 2)
        self.assertEqual(self.customer.with_user(self.rep).complaint_count, 2)
        self.assertEqual(contact.with_user(self.rep).complaint_count, 2)
        self.assertEqual(picking.with_user(self.desk).complaint_count, 1)
        action = self.order.with_user(self.rep).action_view_complaints()
        found = self.env["sales.complaint"].with_user(self.rep).search(action["domain"])
        self.assertEqual(len(found), 2)

    def test_new_complaint_from_the_order_opens_a_form_filled_from_it(self):
        action = self.order.with_user(self.rep).action_new_complaint()
        self.assertEqual(action["context"], {"default_order_id": self.order.id})
        complaint = (
            self.env["sales.complaint"]
            .with_user(self.rep)
            .with_context(**action["context"])
            .create({"subject": "Scratched housing"})
        )
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.owner_id, self.desk)


class TestComplaintAssignment(ComplaintCase):
    def test_a_rep_cannot_make_themselves_the_owner_and_close_their_customers_case(self):
        complaint = self.file()
        with self.assertRefused(AccessError, "Only the sales desk assigns"):
            complaint.with_user(self.rep).write({"owner_id": self.rep.id})
        with self.assertRefused(AccessError, "Only the sales desk assigns"):
            complaint.with_user(self.rep).write({"user_id": self.mate.id})
        self.assertEqual(complaint.owner_id, self.desk)
        with self.assertRefused(AccessError, "owner"):
            complaint.with_user(self.rep)._close("Done", "other", "5")

    def test_the_rep_edits_the_description_and_the_desk_reassigns(self):
        complaint = self.file()
        complaint.with_user(self.rep).write({"description": "<p>Leaks at 6 bar</p>"})
        complaint.with_user(self.desk).write({"owner_id": self.leader.id})
        self.assertEqual(complaint.owner_id, self.leader)
        complaint.with_user(self.leader)._close("Seal changed", "repair", "4")
        self.assertEqual(complaint.state, "closed")

    def test_a_rep_cannot_file_a_complaint_owned_by_themselves(self):
        with self.assertRefused(AccessError, "Only the sales desk assigns"):
            self.file(owner_id=self.rep.id)
        complaint = self.file(owner_id=self.desk.id, user_id=self.rep.id)
        self.assertEqual(complaint.owner_id, self.desk)


class TestComplaintCron(ComplaintCase):
    def test_the_scheduled_escalation_runs_as_the_cron_and_reports_its_progress(self):
        with freeze_time(NOW - timedelta(days=5)):
            complaint = self.file()
        cron = self.env.ref("sales_assistant.ir_cron_complaint_escalation")
        self.assertEqual(cron.code, "model._cron_escalate_complaints()")
        with freeze_time(NOW):
            self.env["sales.complaint"]._cron_escalate_complaints()
            self.assertTrue(complaint.escalated_at)
            self.assertTrue(complaint.deadline_breached)
