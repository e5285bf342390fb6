from unittest.mock import patch

from odoo import Command
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestLeadSaveCost(ComplianceCase):
    """Odoo's lead assignment writes team and salesperson lead by lead, and crm's own
    TestLeadAssignPerf counts its queries: where no lead rule applies, the compliance
    hooks on a lead's save cost no query."""

    def compliance_queries(self, func):
        """The queries on compliance tables that ``func`` and the flush after it run."""
        queries = []
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=None):
            queries.append(query.code if isinstance(query, SQL) else str(query))
            return execute(cr, query, params, log_exceptions)

        self.env.flush_all()
        with patch.object(Cursor, "execute", spy):
            func()
            self.env.flush_all()
        return [query for query in queries if "sales_compliance" in query]

    def test_assignment_without_lead_rules_costs_nothing(self):
        # an approval rule on orders does not make lead saves look for approvals
        self._rule(
            name="Big orders",
            check="amount",
            amount_limit=1000,
            outcome="approval",
            level_ids=[Command.create({"name": "Team leader", "approver_type": "team_leader"})],
        )
        Lead = self.env["crm.lead"].with_user(self.manager)
        leads = Lead.create([{"name": f"Lead {i}", "type": "lead"} for i in range(4)])
        stage = self.env["crm.stage"].search([], limit=1)
        leads[0].write({"team_id": self.team.id, "user_id": self.rep.id, "stage_id": stage.id})

        def assign():
            for lead in leads[1:]:
                lead.write({"team_id": self.team.id})
                lead.write({"user_id": self.rep.id, "stage_id": stage.id})

        self.assertEqual(self.compliance_queries(assign), [])
        self.assertEqual(leads.user_id, self.rep)
        self.assertEqual(leads.team_id, self.team)

    def test_lead_approval_still_voided_when_partner_changes(self):
        self.customer.user_id = self.rep2
        self._rule(
            name="Customer of another salesperson",
            model_name="crm.lead",
            trigger="save",
            check="ownership",
            outcome="approval",
            level_ids=[Command.create({"name": "Team leader", "approver_type": "team_leader"})],
        )
        lead = (
            self.env["crm.lead"]
            .with_user(self.rep)
            .create(
                {
                    "name": "Chen's new line",
                    "partner_id": self.customer.id,
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                }
            )
        )
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(approval.state, "pending")
        approval.with_user(self.leader).action_approve("Agreed with Zhang")
        self.assertEqual(approval.state, "approved")
        other = self.env["res.partner"].create({"name": "Customer Zhou", "is_company": True})
        lead.with_user(self.rep).partner_id = other
        self.assertEqual(approval.state, "voided")
