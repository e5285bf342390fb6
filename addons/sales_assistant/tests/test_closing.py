from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ClosingCase


@tagged("post_install", "-at_install")
class TestClosing(ClosingCase):
    # ------------------------------------------------------------------
    # Summary
    # ------------------------------------------------------------------
    def test_lost_with_summary(self):
        self._require_summary()
        lead = self._lead()
        self._lose(
            lead,
            lost_reason_id=self.to_competitor.id,
            lost_competitor_id=self.competitor.id,
            closing_lesson="Start the technical exchange earlier.",
        )
        self.assertFalse(lead.active)
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.lost_competitor_id, self.competitor)
        self.assertEqual(lead.closing_stage_id, self.stages[1])

    def test_won_with_summary(self):
        self._require_summary()
        lead = self._lead()
        self._win(
            lead, won_reason_id=self.won_reason.id, closing_lesson="Site visit convinced them."
        )
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.won_reason_id, self.won_reason)
        self.assertEqual(lead.closing_stage_id, self.stages[1])

    def test_closing_without_required_summary_is_refused(self):
        self._require_summary()
        lead = self._lead()
        with self.assertRaisesRegex(UserError, "the lesson learned"):
            self._lose(lead, lost_reason_id=self.price.id)
        with self.assertRaisesRegex(UserError, "the competitor that won"):
            self._lose(lead, lost_reason_id=self.to_competitor.id, closing_lesson="Too late.")
        with self.assertRaisesRegex(UserError, "the reason"):
            self._win(lead, closing_lesson="Good.")
        # nor around the dialogs: Odoo's own won/lost methods, a drag to the won stage
        with self.assertRaisesRegex(UserError, "Summarise"):
            lead.action_set_won()
        with self.assertRaisesRegex(UserError, "Summarise"):
            lead.action_set_lost(lost_reason_id=self.price.id)
        with self.assertRaisesRegex(UserError, "Summarise"):
            lead.action_archive()
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        with self.assertRaisesRegex(UserError, "Summarise"):
            lead.write({"stage_id": won_stage.id})
        self.assertTrue(lead.active)
        self.assertEqual(lead.stage_id, self.stages[1])
        self.assertFalse(lead.lost_reason_id)

    def test_odoo_won_button_asks_for_the_required_summary(self):
        """Odoo's Won button stays (its flow and tours unchanged): with the summary
        required and missing it opens the summary dialog, and nothing is won yet."""
        lead = self._lead()
        lead.with_user(lead.user_id).action_set_won_rainbowman()  # not required yet
        self.assertTrue(lead.stage_id.is_won)
        self._require_summary()
        other = self._lead()
        result = other.with_user(other.user_id).action_set_won_rainbowman()
        self.assertEqual(result["res_model"], "sales.lead.won")
        self.assertEqual(result["context"]["default_lead_ids"], other.ids)
        self.assertFalse(other.stage_id.is_won)

    def test_summary_optional_unless_configured(self):
        lead = self._lead()
        lead.action_set_lost()
        self.assertFalse(lead.active)

    # ------------------------------------------------------------------
    # Suspended (中止) / terminated (终止)
    # ------------------------------------------------------------------
    def test_suspend_and_reactivate(self):
        lead = self._lead(probability=40)
        self._suspend(lead, reason="Budget frozen")
        self.assertFalse(lead.active)
        self.assertEqual(lead.closing_state, "suspended")
        self.assertEqual(lead.probability, 40)  # not a loss
        pipeline = self.env["crm.lead"].with_user(self.rep).search([("type", "=", "opportunity")])
        self.assertNotIn(lead, pipeline)
        reminder = lead.with_context(active_test=False).activity_ids
        self.assertEqual(reminder.date_deadline, lead.resume_date)
        # a plain unarchive cannot skip the reactivation
        with self.assertRaisesRegex(UserError, "use Reactivate"):
            lead.toggle_active()
        self.assertTrue(lead.action_sales_reactivate())
        self.assertTrue(lead.active)
        self.assertFalse(lead.closing_state)
        self.assertEqual(lead.probability, 40)

    def test_suspension_without_resume_date_is_refused(self):
        lead = self._lead()
        with self.assertRaisesRegex(UserError, "resume"):
            lead._sales_suspend(False)
        with self.assertRaisesRegex(UserError, "after today"):
            lead._sales_suspend(self.env.company._sales_today())
        # nor written directly over RPC
        with self.assertRaisesRegex(UserError, "through Suspend"):
            lead.write({"closing_state": "suspended", "active": False})
        self.assertTrue(lead.active)
        self.assertFalse(lead.closing_state)

    def test_terminated_cannot_come_back(self):
        lead = self._lead()
        self._lose(lead, lost_reason_id=self.price.id, terminate=True)
        self.assertEqual(lead.closing_state, "terminated")
        with self.assertRaisesRegex(UserError, "terminated"):
            lead.action_sales_reactivate()
        with self.assertRaisesRegex(UserError, "terminated"):
            lead.toggle_active()
        with self.assertRaisesRegex(UserError, "terminated"):
            lead.action_set_won()
        with self.assertRaisesRegex(UserError, "terminated"):
            lead.write({"active": True})
        with self.assertRaisesRegex(UserError, "terminated"):
            lead.write({"closing_state": False})
        self.assertFalse(lead.active)
        self.assertEqual(lead.closing_state, "terminated")

    def test_suspended_can_be_terminated(self):
        lead = self._lead(probability=30)
        self._suspend(lead)
        self._lose(lead, lost_reason_id=self.price.id, terminate=True)
        self.assertEqual(lead.closing_state, "terminated")
        self.assertEqual(lead.probability, 0)

    def test_reactivation_with_approval(self):
        self.env["res.config.settings"].create({"sales_reactivation_approval": True}).execute()
        self.rep.sale_team_id = self.team
        lead = self._lead(team_id=self.team.id)
        self._suspend(lead)
        result = lead.action_sales_reactivate()
        self.assertEqual(result["tag"], "display_notification")
        self.assertFalse(lead.active)
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.pending_approver_ids, self.leader)
        # asking again keeps the one request
        lead.action_sales_reactivate()
        self.assertEqual(
            self.env["sales.compliance.approval"].search_count(
                [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
            ),
            1,
        )
        approval.with_user(self.leader).action_approve()
        self.assertTrue(lead.action_sales_reactivate())
        self.assertTrue(lead.active)
        # a new suspension needs a new approval
        self._suspend(lead, days=60)
        lead.action_sales_reactivate()
        self.assertFalse(lead.active)

    def test_rep_cannot_reactivate_others(self):
        lead = self._lead(user=self.other_rep)
        self._suspend(lead)
        with self.assertRaises(AccessError):
            lead.with_user(self.rep).action_sales_reactivate()
        self.assertFalse(lead.active)


@tagged("post_install", "-at_install")
class TestWinLossReport(ClosingCase):
    def test_analysis_by_reason_competitor_and_access(self):
        self.rep.sale_team_id = self.team
        won = self._lead(team_id=self.team.id)
        self._win(won, won_reason_id=self.won_reason.id)
        lost = self._lead(team_id=self.team.id)
        self._lose(
            lost, lost_reason_id=self.to_competitor.id, lost_competitor_id=self.competitor.id
        )
        theirs = self._lead(user=self.other_rep, team_id=self.other_team.id)
        self._lose(theirs, lost_reason_id=self.price.id)
        suspended = self._lead(team_id=self.team.id)
        self._suspend(suspended)
        Report = self.env["sales.win.loss.report"]
        mine = Report.with_user(self.rep).search([])
        self.assertEqual(mine.lead_id, won | lost | suspended)
        self.assertEqual(Report.with_user(self.leader).search([]).lead_id, won | lost | suspended)
        everything = Report.with_user(self.manager).search([]).lead_id
        self.assertTrue((won | lost | theirs | suspended) <= everything)
        groups = Report.with_user(self.manager)._read_group(
            [("lead_id", "in", (won | lost | theirs).ids)],
            ["competitor_id", "outcome"],
            ["__count", "expected_revenue:sum"],
        )
        self.assertIn((self.competitor, "lost", 1, 50000.0), groups)
        by_reason = dict(
            Report.with_user(self.manager)._read_group(
                [("lead_id", "in", (won | lost | theirs).ids)], ["reason_id"], ["__count"]
            )
        )
        self.assertEqual(by_reason, {self.won_reason: 1, self.to_competitor: 1, self.price: 1})
        stage = Report.with_user(self.rep).search([("lead_id", "=", lost.id)]).stage_id
        self.assertEqual(stage, self.stages[1])
