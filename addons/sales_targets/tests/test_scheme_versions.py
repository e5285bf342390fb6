"""Versions of a commission scheme and the adoption of a scenario (issue #22), as the users
who make, submit, approve and would abuse them: reps, target managers, finance and
commission approvers, through the ORM and over JSON-RPC."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.addons.sales_compliance.tests.common import RpcError, call_kw
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import FEB, JAN, CommissionCase

FEB_1 = date(2025, 2, 1)


@tagged("post_install", "-at_install")
class VersionsCase(CommissionCase):
    """Finance, a commission approver and a director (manager and approver), with the shipped
    adoption rule; helpers to make, submit and approve scenarios."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env,
            login="tgt_finance",
            password="tgt_finance_secret",
            groups="base.group_user,account.group_account_manager",
        )
        cls.approver = new_test_user(
            cls.env,
            login="tgt_approver",
            password="tgt_approver_secret",
            groups="base.group_user,sales_targets.group_commission_approver",
        )
        # a sales director who also approves commissions: never their own submission
        cls.director = new_test_user(
            cls.env,
            login="tgt_director",
            groups="sales_team.group_sale_manager,sales_targets.group_commission_approver",
        )
        cls.rep_a.password = "tgt_rep_a_secret"
        cls.manager.password = "tgt_manager_secret"
        cls.adopt_rule = cls.env.ref("sales_targets.rule_scheme_adoption_approval")
        cls.env["sales.compliance.rule"].search(
            [("model_name", "=", "sales.commission.scheme"), ("id", "!=", cls.adopt_rule.id)]
        ).active = False
        cls.adopt_rule.active = True

    # helpers -----------------------------------------------------------
    def scenario(self, user=None, rate=8.0):
        """A scenario of the field sales scheme made by ``user`` (a manager): the 50%-100%
        band pays ``rate`` instead of 5%."""
        action = self.scheme.with_user(user or self.manager).action_new_scenario()
        scenario = self.env["sales.commission.scheme"].browse(action["res_id"])
        if rate is not None:
            band = scenario.tier_ids.filtered(lambda t: t.from_pct == 50)
            scenario.with_user(user or self.manager).write(
                {"tier_ids": [Command.update(band.id, {"rate": rate})]}
            )
        return scenario

    def submit(self, scenario, day=FEB_1, user=None):
        wizard = (
            self.env["sales.commission.adoption"]
            .with_user(user or self.manager)
            .create({"scheme_id": scenario.id, "date": day})
        )
        return wizard.action_submit()

    def request(self, scenario):
        return self.env["sales.compliance.approval"].search(
            [("res_model", "=", scenario._name), ("res_id", "=", scenario.id)]
        )

    def january_confirmed(self):
        """Rep A's January: 10,000 of 10,000 pays 250 with version 1; confirmed."""
        self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        january = self.statement(JAN)
        self.confirm(january)
        self.assertAlmostEqual(january.commission_amount, 250)
        return january


@tagged("post_install", "-at_install")
class TestSchemeVersions(VersionsCase, HttpCase):
    # dates of versions -------------------------------------------------
    def test_two_versions_cannot_start_on_the_same_day(self):
        first = self.scenario()
        self.submit(first)
        self.request(first).with_user(self.approver).action_approve()
        self.assertEqual(first.version_kind, "version")
        second = self.scenario(rate=7.0)
        with self.assert_raises_msg(ValidationError, "already valid from 2025-02-01"):
            self.submit(second)
        self.assertEqual(second.adoption_state, "draft")

    def test_a_version_cannot_start_inside_a_confirmed_period(self):
        self.january_confirmed()
        scenario = self.scenario()
        with self.assert_raises_msg(ValidationError, "confirmed statements never change"):
            self.submit(scenario, date(2025, 1, 15))
        self.assertEqual(scenario.adoption_state, "draft")
        self.assertFalse(self.request(scenario))

    def test_a_version_cannot_start_in_the_middle_of_a_draft_statement(self):
        self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        self.assertEqual(self.statement(JAN).state, "draft")
        scenario = self.scenario()
        with self.assert_raises_msg(ValidationError, "Choose the first day of a period"):
            self.submit(scenario, date(2025, 1, 15))
        self.assertEqual(scenario.adoption_state, "draft")

    # scenarios ---------------------------------------------------------
    def test_a_scenario_without_change_cannot_be_submitted(self):
        scenario = self.scenario(rate=None)
        with self.assert_raises_msg(UserError, "changes nothing"):
            self.submit(scenario)
        self.assertEqual(scenario.adoption_state, "draft")

    def test_tiers_of_a_scenario_may_neither_overlap_nor_leave_gaps(self):
        scenario = self.scenario(user=self.finance).with_user(self.finance)
        band = scenario.tier_ids.filtered(lambda t: t.from_pct == 50)
        with self.assert_raises_msg(ValidationError, "Tiers overlap"):
            scenario.write({"tier_ids": [Command.update(band.id, {"from_pct": 40})]})
        with self.assert_raises_msg(ValidationError, "Tiers leave a gap"):
            scenario.write({"tier_ids": [Command.update(band.id, {"from_pct": 60})]})
        self.assertEqual(band.from_pct, 50)

    def test_a_rep_cannot_see_scenarios_nor_make_one(self):
        scenario = self.scenario()
        Scheme = self.env["sales.commission.scheme"].with_user(self.rep_a)
        self.assertFalse(Scheme.search([("version_kind", "=", "scenario")]))
        self.assertEqual(Scheme.search([("id", "in", (self.scheme | scenario).ids)]), self.scheme)
        with self.assertRaises(AccessError):
            scenario.with_user(self.rep_a).read(["name"])
        self.authenticate("tgt_rep_a", "tgt_rep_a_secret")
        with self.assertRaisesRegex(RpcError, "Only sales target managers and finance"):
            call_kw(self, "sales.commission.scheme", "action_new_scenario", [self.scheme.ids])
        with self.assertRaises(RpcError):
            call_kw(self, "sales.commission.scheme", "read", [scenario.ids, ["name"]])
        self.assertEqual(len(self.scheme.scenario_ids), 1)

    def test_finance_makes_and_edits_a_scenario_but_not_a_version(self):
        scenario = self.scenario(user=self.finance, rate=6.0)
        self.assertEqual(scenario.create_uid, self.finance)
        self.assertEqual(scenario.tier_ids.filtered(lambda t: t.from_pct == 50).rate, 6.0)
        scenario.with_user(self.finance).cap_amount = 5000
        with self.assertRaises(AccessError):
            self.scheme.with_user(self.finance).cap_amount = 5000
        with self.assertRaises(AccessError):
            self.scheme.tier_ids[0].with_user(self.finance).rate = 1
        self.assertFalse(self.scheme.cap_amount)

    def test_the_version_and_adoption_fields_refuse_a_plain_write(self):
        scenario = self.scenario()
        self.authenticate("tgt_manager", "tgt_manager_secret")
        for vals in (
            {"version_kind": "version"},
            {"valid_from": "2025-02-01"},
            {"adoption_state": "adopted"},
            {"adoption_date": "2025-02-01"},
        ):
            with self.assertRaises(RpcError, msg=vals):
                call_kw(self, "sales.commission.scheme", "write", [scenario.ids, vals])
        with self.assertRaises(RpcError):
            call_kw(
                self,
                "sales.commission.scheme",
                "create",
                [{"name": "Forged", "adoption_state": "adopted"}],
            )
        self.assertEqual((scenario.version_kind, scenario.adoption_state), ("scenario", "draft"))
        self.assertFalse(scenario.valid_from)

    # adoption ----------------------------------------------------------
    def test_adopting_a_scenario_without_the_approval_is_refused(self):
        scenario = self.scenario()
        self.submit(scenario)
        self.assertEqual(scenario.adoption_state, "submitted")
        self.assertEqual(self.request(scenario).state, "pending")
        self.authenticate("tgt_manager", "tgt_manager_secret")
        with self.assertRaisesRegex(RpcError, "Only commission approvers"):
            call_kw(self, "sales.commission.scheme", "action_adopt", [scenario.ids])
        with self.assertRaises(RpcError):
            call_kw(self, "sales.commission.scheme", "_adopt", [scenario.ids, "2025-02-01"])
        # an approver may not go around the pending request either
        with self.assert_raises_msg(UserError, "without the approval of its adoption"):
            scenario.with_user(self.approver).action_adopt()
        with self.assert_raises_msg(UserError, "without the approval of its adoption"):
            scenario.with_user(self.manager)._adopt(FEB_1)
        scenario.invalidate_recordset()
        self.assertEqual(scenario.version_kind, "scenario")
        self.assertEqual(scenario.adoption_state, "submitted")
        self.assertFalse(scenario.valid_from)
        self.assertFalse(self.scheme.version_ids)

    def test_nobody_approves_their_own_submission(self):
        scenario = self.scenario(user=self.director)
        self.submit(scenario, user=self.director)
        request = self.request(scenario)
        self.assertNotIn(self.director, request.current_step_id.approver_ids)
        self.assertIn(self.approver, request.current_step_id.approver_ids)
        with self.assert_raises_msg(UserError, "your own case"):
            request.with_user(self.director).action_approve()
        self.assertEqual(request.state, "pending")
        self.assertEqual(scenario.version_kind, "scenario")

    def test_a_rejected_adoption_goes_back_with_the_reason(self):
        scenario = self.scenario()
        self.submit(scenario)
        self.request(scenario).with_user(self.approver).action_reject("Too generous for Q1")
        self.assertEqual(scenario.adoption_state, "rejected")
        self.assertEqual(scenario.version_kind, "scenario")
        self.assertIn("Too generous for Q1", "".join(scenario.message_ids.mapped("body")))
        # changed and submitted again
        scenario.with_user(self.manager).write(
            {"tier_ids": [Command.update(scenario.tier_ids[1].id, {"rate": 6})]}
        )
        self.submit(scenario)
        self.assertEqual(scenario.adoption_state, "submitted")

    def test_a_change_after_the_submission_voids_the_request(self):
        scenario = self.scenario()
        self.submit(scenario)
        request = self.request(scenario)
        scenario.with_user(self.manager).cap_amount = 10000
        self.assertEqual(request.state, "voided")
        self.assertEqual(scenario.adoption_state, "draft")

    def test_deleting_a_submitted_scenario_voids_its_request(self):
        scenario = self.scenario()
        self.submit(scenario)
        request = self.request(scenario)
        self.assertEqual(request.state, "pending")
        scenario.with_user(self.manager).unlink()
        self.assertEqual(request.state, "voided")
        self.assertFalse(request.sudo().activity_ids)
        queue = [("state", "=", "pending"), ("pending_approver_ids", "in", [self.approver.id])]
        self.assertFalse(request.with_user(self.approver).search(queue))

    def test_without_an_active_rule_another_approver_adopts(self):
        """Fail closed: without a rule, adoption still needs a commission approver other
        than the submitter."""
        self.adopt_rule.active = False
        scenario = self.scenario(user=self.director)
        self.submit(scenario, user=self.director)
        self.assertFalse(self.request(scenario))
        self.assertEqual(scenario.adoption_state, "submitted")
        with self.assert_raises_msg(UserError, "Only commission approvers"):
            scenario.with_user(self.manager).action_adopt()
        with self.assert_raises_msg(UserError, "your own case"):
            scenario.with_user(self.director).action_adopt()
        self.assertEqual(scenario.version_kind, "scenario")
        scenario.with_user(self.approver).action_adopt()
        self.assertEqual(scenario.version_kind, "version")
        self.assertEqual(scenario.adoption_state, "adopted")
        self.assertEqual(scenario.valid_from, FEB_1)

    def test_statements_after_the_adoption_pay_with_the_new_version_and_before_never_change(
        self,
    ):
        january = self.january_confirmed()
        lines = january.line_ids.read(["line_type", "base_amount", "amount"])
        scenario = self.scenario()
        self.submit(scenario)
        self.request(scenario).with_user(self.approver).action_approve()
        self.assertEqual((scenario.version_kind, scenario.version_number), ("version", 2))
        self.assertEqual(scenario.valid_from, FEB_1)
        self.assertEqual(self.scheme._terms_at(JAN[1]), self.scheme)
        self.assertEqual(self.scheme._terms_at(FEB_1), scenario)
        self.make_order(self.rep_a, 10000, datetime(2025, 2, 10, 9))
        february = self.statement(FEB)
        self.assertEqual(february.version_id, scenario)
        self.assertAlmostEqual(february.commission_amount, 400)  # 8% of the 50%-100% band
        with self.assertRaises(UserError):
            january.with_user(self.manager).action_recompute()
        self.statement(JAN)  # the wizard recomputes the period: not the confirmed one
        january.invalidate_recordset()
        self.assertEqual(january.version_id, self.scheme)
        self.assertAlmostEqual(january.commission_amount, 250)
        self.assertEqual(january.line_ids.read(["line_type", "base_amount", "amount"]), lines)

    def test_the_director_adopts_a_scenario_from_next_month(self):
        """The story of issue #22: the director makes a scenario on 20 January, submits it
        from next month, the approver approves, and February's statement pays with it."""
        with freeze_time("2025-01-20 10:00:00"):
            scenario = self.scenario(user=self.director, rate=10.0)
            action = scenario.with_user(self.director).action_submit_adoption()
            wizard = (
                self.env["sales.commission.adoption"]
                .with_user(self.director)
                .with_context(**action["context"])
                .create({})
            )
            self.assertEqual(wizard.date, FEB_1)
            wizard.action_submit()
            request = self.request(scenario)
            self.assertEqual(request.state, "pending")
            self.assertEqual(scenario.adoption_submitted_by_id, self.director)
            request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(scenario.adoption_state, "adopted")
        self.assertEqual(self.scheme.version_ids, scenario)
        self.make_order(self.rep_a, 10000, datetime(2025, 2, 10, 9))
        february = self.statement(FEB)
        self.assertEqual(february.version_id, scenario)
        self.assertAlmostEqual(february.commission_amount, 500)  # 10% of the 50%-100% band
