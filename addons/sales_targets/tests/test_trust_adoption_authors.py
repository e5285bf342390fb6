"""Red-team round: a commission approver who wrote a scenario's terms, submitted by a
colleague, tries to approve its adoption over JSON-RPC."""

from odoo import Command
from odoo.addons.sales_compliance.tests.common import RpcError, call_kw
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .test_scheme_versions import FEB_1, VersionsCase


@tagged("post_install", "-at_install")
class TestTrustAdoptionAuthors(VersionsCase, HttpCase):
    def test_who_changed_a_scenarios_terms_cannot_approve_its_adoption(self):
        # finance copies the scheme, the director (a manager and an approver) raises a rate,
        # a manager submits it
        scenario = self.scenario(user=self.finance, rate=None)
        band = scenario.tier_ids.filtered(lambda t: t.from_pct == 50)
        self.authenticate("tgt_director", "tgt_director")
        call_kw(
            self,
            "sales.commission.scheme",
            "write",
            [scenario.ids, {"tier_ids": [Command.update(band.id, {"rate": 30})]}],
        )
        self.submit(scenario, user=self.manager)
        request = self.request(scenario)
        self.assertEqual(request.state, "pending")
        # not asked, and refused when they try
        self.assertNotIn(self.director, request.pending_approver_ids)
        with self.assertRaisesRegex(RpcError, "your own case|access"):
            call_kw(self, "sales.compliance.approval", "action_approve", [request.ids])
        self.assertEqual(request.state, "pending")
        self.assertEqual(scenario.version_kind, "scenario")
        # another approver decides
        request.with_user(self.approver).action_approve()
        self.assertEqual(scenario.adoption_state, "adopted")

    def test_who_changed_a_tier_on_its_own_cannot_adopt_the_scenario(self):
        self.adopt_rule.active = False
        scenario = self.scenario(user=self.finance, rate=None)
        self.authenticate("tgt_director", "tgt_director")
        top = scenario.tier_ids.sorted("from_pct")[-1:]
        call_kw(self, "sales.commission.tier", "write", [top.ids, {"rate": 40}])
        self.submit(scenario, user=self.finance)
        with self.assertRaisesRegex(RpcError, "your own case"):
            call_kw(self, "sales.commission.scheme", "action_adopt", [scenario.ids])
        self.assertEqual(scenario.version_kind, "scenario")

    def test_a_client_cannot_write_who_changed_the_terms(self):
        scenario = self.scenario(user=self.finance, rate=None)
        self.authenticate("tgt_director", "tgt_director")
        with self.assertRaisesRegex(RpcError, "adopted with its buttons"):
            call_kw(
                self,
                "sales.commission.scheme",
                "write",
                [scenario.ids, {"terms_author_ids": [Command.set([])]}],
            )

    def test_finances_submission_asks_the_rules_approval_and_adopt_does_not_skip_it(self):
        scenario = self.scenario(user=self.finance)
        self.authenticate("tgt_finance", "tgt_finance_secret")
        wizard_id = call_kw(
            self,
            "sales.commission.adoption",
            "create",
            [{"scheme_id": scenario.id, "date": str(FEB_1)}],
        )
        call_kw(self, "sales.commission.adoption", "action_submit", [[wizard_id]])
        request = self.request(scenario)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.requested_by_id, self.finance)
        self.assertIn(self.approver, request.pending_approver_ids)
        # the approver decides the request, not around it
        self.authenticate("tgt_approver", "tgt_approver_secret")
        with self.assertRaisesRegex(RpcError, "without the approval"):
            call_kw(self, "sales.commission.scheme", "action_adopt", [scenario.ids])
        self.assertEqual(scenario.version_kind, "scenario")

    def test_a_submission_nobody_else_may_approve_says_so_and_waits(self):
        # the director is the only commission approver left, and wrote and submitted it; no
        # compliance officer may stand in
        self.env.ref("sales_targets.group_commission_approver").sudo().users = self.director
        self.env.ref("sales_compliance.group_compliance_officer").sudo().users = [Command.clear()]
        scenario = self.scenario(user=self.director)
        self.submit(scenario, user=self.director)
        self.assertFalse(self.request(scenario))
        self.assertEqual(scenario.adoption_state, "submitted")
        notes = "".join(scenario.message_ids.mapped("body"))
        self.assertIn("nobody but the scenario's own parties", notes)
        self.assertNotIn("No rule asks for an approval", notes)
        with self.assert_raises_msg(UserError, "without the approval"):
            scenario.with_user(self.director).action_adopt()
        self.assertEqual(scenario.version_kind, "scenario")
