import csv
import io
from datetime import date, datetime

from psycopg2.errors import ExclusionViolation

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.sales_commission_statement import _OVERLAP_CHECKED, _OVERLAP_CHECKED_KEY
from .common import APR, FEB, JAN, MAR, Q1, CommissionCase


@tagged("post_install", "-at_install")
class TestStatementOverlap(CommissionCase):
    """January plus Q1 would pay January's sales twice."""

    def create_statement(self, user, period, **context):
        return (
            self.env["sales.commission.statement"]
            .with_user(self.manager)
            .with_context(**context)
            .create(
                {
                    "user_id": user.id,
                    "scheme_id": self.scheme.id,
                    "date_from": period[0],
                    "date_to": period[1],
                }
            )
        )

    def test_overlapping_statement_refused(self):
        self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        jan = self.of(self.statements(JAN), self.rep_a).with_user(self.manager)
        with self.assert_raises_msg(ValidationError, "would pay the same sales twice"):
            self.create_statement(self.rep_a, Q1)
        Statement = self.env["sales.commission.statement"]
        self.assertEqual(Statement.search_count([("date_to", "=", Q1[1])]), 0)
        self.of(self.statements(FEB), self.rep_a)
        with self.assert_raises_msg(ValidationError, "would pay the same sales twice"):
            jan.date_to = date(2025, 2, 10)
        self.assertEqual(jan.date_to, JAN[1])
        # another salesperson, or the same one later, is fine
        self.assertTrue(self.create_statement(self.rep_c, Q1))
        self.assertTrue(self.create_statement(self.rep_a, APR))

    def test_generation_skips_people_already_covered(self):
        self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        self.make_order(self.rep_b, 10000, datetime(2025, 1, 10, 9))
        statements = self.statements(JAN)
        jan_a = self.of(statements, self.rep_a)
        self.of(statements, self.rep_b).unlink()
        quarter = self.statements(Q1)
        self.assertEqual(quarter.user_id, self.rep_b, "rep A is paid January already")
        self.assertAlmostEqual(quarter.base_amount, 10000)
        self.assertEqual((jan_a.date_from, jan_a.date_to), JAN)
        self.assertAlmostEqual(jan_a.commission_amount, 250)

    @mute_logger("odoo.sql_db")
    def test_database_refuses_overlap_under_concurrency(self):
        """Two transactions each checking in Python would both pass: the exclusion constraint,
        checked at commit, does not; shown by creating with the Python check skipped and
        checking the constraint as a commit would."""
        self.statements(JAN)
        with self.assertRaises(ExclusionViolation), self.env.cr.savepoint():
            self.create_statement(self.rep_a, Q1, **{_OVERLAP_CHECKED_KEY: _OVERLAP_CHECKED})
            self.env.cr.execute("SET CONSTRAINTS sales_commission_statement_no_overlap IMMEDIATE")
        self.env.cr.execute("SET CONSTRAINTS sales_commission_statement_no_overlap DEFERRED")


@tagged("post_install", "-at_install")
class TestClawbacks(CommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 10% of the base, without target (rep C is not on the field sales plan)
        cls.flat = {
            "tier_mode": "flat",
            "tier_ids": [Command.create({"from_pct": 0, "to_pct": 0, "rate": 10})],
            "assignment_ids": [Command.create({"user_id": cls.rep_c.id})],
        }

    def test_cancelled_order(self):
        order = self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        jan = self.statement(JAN)
        self.confirm(jan)
        self.assertAlmostEqual(jan.commission_amount, 250)
        order.with_context(disable_cancel_warning=True).action_cancel()
        # February and March computed together: February takes it, once
        feb, mar = self.statement(FEB), self.statement(MAR)
        clawback = self.clawbacks(feb)
        self.assertAlmostEqual(clawback.amount, -250)
        self.assertEqual((clawback.res_model, clawback.res_id), ("sale.order", order.id))
        self.assertEqual(clawback.clawback_kind, "order_cancelled")
        self.assertAlmostEqual(feb.total_amount, -250)
        self.assertFalse(self.clawbacks(mar))
        # the reason in the reader's language
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_targets"], ["zh_CN"], overwrite=True
        )
        export = feb.with_user(self.rep_a).with_context(lang="zh_CN")._export_csv()
        rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))
        self.assertEqual([row[11] for row in rows[1:]], ["订单已取消"])
        self.confirm(feb)
        self.assertFalse(self.clawbacks(self.statement(MAR)), "taken back once")

    def test_refund_in_the_commissioned_month(self):
        order = self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        invoice = self.invoice(order, date(2025, 1, 15))
        refund = invoice._reverse_moves([{"invoice_date": date(2025, 1, 25)}])
        refund.invoice_line_ids.price_unit = 4000
        refund.action_post()
        jan = self.statement(JAN)
        self.assertAlmostEqual(jan.commission_amount, 250, "paid on the confirmed order")
        self.confirm(jan)
        feb = self.statement(FEB)
        clawback = self.clawbacks(feb)
        self.assertAlmostEqual(clawback.amount, -100, msg="40% of the order refunded")
        self.assertEqual(clawback.doc_name, refund.name)
        self.assertEqual(clawback.clawback_kind, "refund")
        self.confirm(feb)
        self.assertFalse(self.clawbacks(self.statement(MAR)))

    def test_cancelled_after_a_refund_takes_back_the_rest(self):
        order, _refund = self.clawed_back_refund()
        order.with_context(disable_cancel_warning=True).action_cancel()
        mar = self.statement(MAR)
        self.assertAlmostEqual(mar.clawback_amount, -150, msg="250 paid, 100 taken back")
        self.confirm(mar)
        self.assertFalse(self.clawbacks(self.statement(APR)))

    def invoiced_plan(self):
        scheme = self.env["sales.commission.scheme"].create(
            {
                "name": "Invoices",
                "base": "revenue",
                "metric_id": self.metric_invoiced.id,
                **self.flat,
            }
        )
        order = self.make_order(self.rep_c, 1000, datetime(2025, 1, 10, 9))
        invoice = self.invoice(order, date(2025, 1, 20))
        jan = self.statement(JAN, self.rep_c, scheme)
        self.assertAlmostEqual(jan.commission_amount, 100)
        self.confirm(jan)
        return scheme, invoice

    def test_invoice_reset_to_draft(self):
        scheme, invoice = self.invoiced_plan()
        invoice.button_draft()
        feb = self.statement(FEB, self.rep_c, scheme)
        self.assertAlmostEqual(self.clawbacks(feb).amount, -100)
        self.assertEqual(self.clawbacks(feb).clawback_kind, "invoice_cancelled")

    def test_invoice_cancelled(self):
        scheme, invoice = self.invoiced_plan()
        invoice.button_draft()
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        feb = self.statement(FEB, self.rep_c, scheme)
        self.assertAlmostEqual(self.clawbacks(feb).amount, -100)

    def cash_plan(self):
        scheme = self.env["sales.commission.scheme"].create(
            {"name": "Cash", "base": "collected", **self.flat}
        )
        order = self.make_order(self.rep_c, 1000, datetime(2025, 1, 5, 9))
        invoice = self.invoice(order, date(2025, 1, 6))
        payment = self.pay(invoice, date(2025, 1, 20))
        jan = self.statement(JAN, self.rep_c, scheme)
        self.assertAlmostEqual(jan.commission_amount, 100)
        self.confirm(jan)
        return scheme, invoice, payment

    def assert_cash_clawed_back(self, scheme, invoice):
        self.assertNotEqual(invoice.payment_state, "paid")
        feb = self.statement(FEB, self.rep_c, scheme)
        clawback = self.clawbacks(feb)
        self.assertAlmostEqual(clawback.amount, -100)
        self.assertEqual(clawback.doc_name, invoice.name)
        self.assertEqual(clawback.clawback_kind, "unreconciled")
        self.confirm(feb)
        self.assertFalse(self.clawbacks(self.statement(MAR, self.rep_c, scheme)))

    def test_payment_unreconciled(self):
        scheme, invoice, __ = self.cash_plan()
        invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).remove_move_reconcile()
        self.assert_cash_clawed_back(scheme, invoice)

    def test_payment_reversed(self):
        scheme, invoice, payment = self.cash_plan()
        payment.move_id._reverse_moves([{"date": date(2025, 2, 3)}], cancel=True)
        self.assert_cash_clawed_back(scheme, invoice)

    def test_payment_cancelled(self):
        scheme, invoice, payment = self.cash_plan()
        payment.action_draft()
        payment.action_cancel()
        self.assert_cash_clawed_back(scheme, invoice)

    def test_paid_invoice_reset_to_draft(self):
        scheme, invoice, __ = self.cash_plan()
        invoice.button_draft()
        self.assert_cash_clawed_back(scheme, invoice)

    def test_achievement_bonus(self):
        scheme = self.bonus_scheme()
        self.make_order(self.rep_a, 7000, datetime(2025, 1, 10, 9))
        late = self.make_order(self.rep_a, 2000, datetime(2025, 1, 20, 9))
        jan = self.statement(JAN, scheme=scheme)
        self.assertAlmostEqual(jan.achievement_pct, 90)
        self.assertAlmostEqual(jan.commission_amount, 1000)
        self.confirm(jan)
        self.assertFalse(self.clawbacks(self.statement(FEB, scheme=scheme)))
        late.with_context(disable_cancel_warning=True).action_cancel()
        feb = self.statement(FEB, scheme=scheme)
        clawback = self.clawbacks(feb)
        self.assertAlmostEqual(clawback.amount, -1000, msg="70% of the target: no bonus")
        self.assertEqual(clawback.clawback_kind, "bonus")
        self.assertEqual((clawback.res_model, clawback.res_id), (jan._name, jan.id))
        self.confirm(feb)
        self.assertFalse(self.clawbacks(self.statement(MAR, scheme=scheme)))

    def test_query_count_does_not_grow_with_clawbacks(self):
        def clawback_queries(period, next_period, count):
            orders = [
                self.make_order(self.rep_a, 10000, datetime(2025, period[0].month, day, 9))
                for day in range(1, count + 1)
            ]
            self.confirm(self.statement(period))
            for order in orders:
                order.with_context(disable_cancel_warning=True).action_cancel()
            self.statements(next_period)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            statement = self.of(self.statements(next_period), self.rep_a)
            queries = self.env.cr.sql_log_count - before
            self.assertEqual(len(self.clawbacks(statement)), count)
            return queries

        small = clawback_queries(JAN, FEB, 1)
        big = clawback_queries(MAR, APR, 20)
        self.assertEqual(big, small, f"{small} queries for 1 clawback, {big} for 20")
