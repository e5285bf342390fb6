"""Red-team of commission scheme versions, scenarios, adoption and what-ifs: what a rep, a
team leader, finance, a manager and a commission approver would try over JSON-RPC to read a
scenario, change approved terms, or adopt without somebody else's approval."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.addons.sales_compliance.tests.common import RpcError, call_kw
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import FEB, JAN
from .test_scheme_versions import FEB_1, VersionsCase


@tagged("post_install", "-at_install")
class TestTrustCommissionVersions(VersionsCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader.password = "tgt_leader_secret"
        cls.approver.password = "tgt_approver_secret"

    def adopted(self):
        """A scenario paying 8% on the 50%-100% band, adopted from 1 February."""
        scenario = self.scenario()
        self.submit(scenario)
        self.request(scenario).with_user(self.approver).action_approve()
        self.assertEqual(scenario.adoption_state, "adopted")
        return scenario

    # reading -----------------------------------------------------------
    def test_reps_and_leaders_find_no_scenario_or_its_tiers_by_any_read(self):
        scenario = self.scenario()
        for login in ("tgt_rep_a", "tgt_leader"):
            self.authenticate(login, f"{login}_secret")
            found = call_kw(
                self, "sales.commission.scheme", "name_search", [], kwargs={"name": "scenario"}
            )
            self.assertFalse(found, login)
            groups = call_kw(
                self,
                "sales.commission.scheme",
                "read_group",
                [[], ["version_kind"], ["version_kind"]],
            )
            self.assertEqual([g["version_kind"] for g in groups], ["version"], login)
            tiers = call_kw(
                self,
                "sales.commission.tier",
                "search_read",
                [[("scheme_id", "=", scenario.id)], ["rate"]],
            )
            self.assertFalse(tiers, login)
            with self.assertRaises(RpcError, msg=login):
                call_kw(self, "sales.commission.tier", "read", [scenario.tier_ids.ids, ["rate"]])
            for model in ("sales.commission.whatif.line", "sales.commission.whatif.curve"):
                with self.assertRaises(RpcError, msg=f"{login} {model}"):
                    call_kw(self, model, "search_read", [[], ["column_label"]])
            with self.assertRaises(RpcError, msg=login):
                call_kw(
                    self,
                    "sales.commission.scheme",
                    "export_data",
                    [scenario.ids, ["name", "tier_ids/rate"]],
                )

    def test_a_rep_cannot_make_a_statement_pay_on_a_scenario(self):
        scenario = self.scenario()
        self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        january = self.statement(JAN)
        self.authenticate("tgt_rep_a", "tgt_rep_a_secret")
        with self.assertRaises(RpcError):
            call_kw(
                self,
                "sales.commission.statement",
                "write",
                [january.ids, {"version_id": scenario.id}],
            )
        with self.assertRaises(RpcError):
            call_kw(
                self,
                "sales.commission.statement",
                "create",
                [
                    {
                        "user_id": self.rep_a.id,
                        "scheme_id": scenario.id,
                        "date_from": "2025-03-01",
                        "date_to": "2025-03-31",
                    }
                ],
            )
        january.invalidate_recordset()
        self.assertEqual(january.version_id, self.scheme)

    # approved terms never change -----------------------------------------
    def test_the_terms_of_an_adopted_version_never_change(self):
        version = self.adopted()
        band = version.tier_ids.filtered(lambda t: t.from_pct == 50)
        self.authenticate("tgt_manager", "tgt_manager_secret")
        for model, method, args in (
            ("sales.commission.scheme", "write", [version.ids, {"cap_amount": 1}]),
            ("sales.commission.scheme", "write", [version.ids, {"accelerator": 3}]),
            (
                "sales.commission.scheme",
                "write",
                [version.ids, {"tier_ids": [Command.update(band.id, {"rate": 50})]}],
            ),
            ("sales.commission.scheme", "write", [version.ids, {"active": False}]),
            ("sales.commission.scheme", "unlink", [version.ids]),
            (
                "sales.commission.scheme",
                "write",
                [self.scheme.ids, {"version_ids": [Command.delete(version.id)]}],
            ),
            (
                "sales.commission.scheme",
                "write",
                [self.scheme.ids, {"version_ids": [Command.unlink(version.id)]}],
            ),
            ("sales.commission.tier", "write", [band.ids, {"rate": 50}]),
            ("sales.commission.tier", "unlink", [version.tier_ids[-1:].ids]),
            (
                "sales.commission.tier",
                "create",
                [{"scheme_id": version.id, "from_pct": 200, "rate": 90}],
            ),
        ):
            with self.assertRaises(RpcError, msg=f"{model}.{method}{args[1:]}"):
                call_kw(self, model, method, args)
        version.invalidate_recordset()
        self.assertTrue(version.active)
        self.assertEqual(band.rate, 8.0)
        self.assertEqual(len(version.tier_ids), 3)
        self.assertFalse(version.cap_amount)

    def test_a_tier_never_moves_into_another_scheme(self):
        version = self.adopted()
        scenario = self.scenario(user=self.finance, rate=9.0)
        top = scenario.tier_ids.filtered(lambda t: t.from_pct == 100)
        self.authenticate("tgt_finance", "tgt_finance_secret")
        with self.assertRaises(RpcError):
            call_kw(self, "sales.commission.tier", "write", [top.ids, {"scheme_id": version.id}])
        self.authenticate("tgt_manager", "tgt_manager_secret")
        with self.assertRaises(RpcError):
            call_kw(self, "sales.commission.tier", "write", [top.ids, {"scheme_id": version.id}])
        self.assertEqual(top.scheme_id, scenario)
        self.assertEqual(len(version.tier_ids), 3)

    def test_a_version_that_paid_confirmed_statements_keeps_its_terms(self):
        """A bonus clawback measures a confirmed statement again with its version's terms:
        edited terms would take back what was rightly paid."""
        january = self.january_confirmed()
        self.assertEqual(january.version_id, self.scheme)
        band = self.scheme.tier_ids.filtered(lambda t: t.from_pct == 50)
        with self.assert_raises_msg(UserError, "paid confirmed statements"):
            self.scheme.with_user(self.manager).write({"cap_amount": 100})
        with self.assert_raises_msg(UserError, "paid confirmed statements"):
            band.with_user(self.manager).rate = 1
        self.assertEqual(band.rate, 5)
        self.assertFalse(self.scheme.cap_amount)
        # its name and assignments are not terms; and a scenario of it still adopts
        self.scheme.with_user(self.manager).name = "Field sales 2025"
        self.assertEqual(self.adopted().version_number, 2)

    def test_an_achievement_bonus_is_not_clawed_back_by_edited_terms(self):
        bonus = self.bonus_scheme()
        self.make_order(self.rep_a, 9000, datetime(2025, 1, 10, 9))
        january = self.statement(JAN, scheme=bonus)
        self.assertAlmostEqual(january.commission_amount, 1000)
        self.confirm(january)
        with self.assertRaises(UserError):
            bonus.with_user(self.manager).bonus_amount = 500
        february = self.statement(FEB, scheme=bonus)
        self.assertFalse(self.clawbacks(february))

    # submitted terms ----------------------------------------------------
    def test_a_tier_changed_on_its_own_voids_the_submitted_request(self):
        scenario = self.scenario()
        self.submit(scenario)
        request = self.request(scenario)
        band = scenario.tier_ids.filtered(lambda t: t.from_pct == 50)
        self.authenticate("tgt_manager", "tgt_manager_secret")
        call_kw(self, "sales.commission.tier", "write", [band.ids, {"rate": 30}])
        self.assertEqual(request.state, "voided")
        self.assertEqual(scenario.adoption_state, "draft")
        with self.assertRaises(UserError):
            request.with_user(self.approver).action_approve()
        self.assertEqual(scenario.version_kind, "scenario")

    def test_an_approver_cannot_adopt_terms_changed_after_the_request(self):
        scenario = self.scenario()
        self.submit(scenario)
        # the top rate raised on the tier itself, after the submission
        scenario.tier_ids[-1:].with_user(self.manager).rate = 99
        self.assertEqual(scenario.adoption_state, "draft")
        with self.assertRaises(UserError):
            scenario.with_user(self.approver).action_adopt()
        self.assertEqual(scenario.version_kind, "scenario")

    def test_the_author_of_a_scenario_cannot_adopt_it_through_a_colleague(self):
        """The director writes the scenario, a manager submits it: the director does not
        decide it, by the request or by the Adopt button."""
        self.adopt_rule.active = False
        scenario = self.scenario(user=self.director)
        self.submit(scenario, user=self.manager)
        with self.assert_raises_msg(UserError, "your own case"):
            scenario.with_user(self.director).action_adopt()
        self.assertEqual(scenario.version_kind, "scenario")
        scenario.with_user(self.approver).action_adopt()
        self.assertEqual(scenario.adoption_state, "adopted")

    def test_a_scenario_stays_in_its_schemes_company(self):
        other = self.env["res.company"].create({"name": "Tgt Other Co"})
        scenario = self.scenario()
        self.manager.company_ids |= other
        with self.assertRaises(ValidationError):
            scenario.with_user(self.manager).company_id = other
        self.assertEqual(scenario.company_id, self.company)

    # the adoption date ----------------------------------------------------
    def test_the_default_adoption_day_is_next_month_in_the_companys_calendar(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        scenario = self.scenario()
        # 31 January 23:30 in Shanghai is 15:30 UTC: still January there
        for utc, expected in (
            ("2025-01-31 15:59:00", FEB_1),
            ("2025-01-31 16:00:00", date(2025, 3, 1)),
        ):
            with freeze_time(utc):
                action = scenario.with_user(self.manager).action_submit_adoption()
                wizard = (
                    self.env["sales.commission.adoption"]
                    .with_user(self.manager)
                    .with_context(**action["context"])
                    .create({})
                )
                self.assertEqual(wizard.date, expected, utc)
