from odoo.tests import tagged

from .test_closing import ClosingCase


@tagged("post_install", "-at_install")
class TestSharedHomesReactivation(ClosingCase):
    """The assistant uses the one home of what the addons share (issue 18)."""

    def test_reactivation_violations_are_kept_under_stage_when_the_trigger_goes_away(self):
        self.env["res.config.settings"].create({"sales_reactivation_approval": True}).execute()
        self.rep.sale_team_id = self.team
        lead = self._lead(team_id=self.team.id)
        self._suspend(lead)
        lead.action_sales_reactivate()
        Violation = self.env["sales.compliance.violation"]
        violations = Violation.sudo().search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(set(violations.mapped("trigger")), {"reactivate"})
        # what the registry runs when sales_assistant is uninstalled
        Violation._fields["trigger"].ondelete["reactivate"](violations)
        self.assertEqual(set(violations.mapped("trigger")), {"stage"})
        self.assertEqual(
            Violation.sudo().search([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]),
            violations,
        )
