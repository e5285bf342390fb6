import csv
import io
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import FEB, JAN, MAR, CommissionCase


class TestCommissionScheme(CommissionCase):
    def test_progressive_bands(self):
        result = self.scheme._commission(12000, 10000)
        # 0-50%: 0; 50-100%: 5000 x 5%; 100-120%: 2000 x 10%
        self.assertAlmostEqual(result["amount"], 250 + 200)
        self.assertAlmostEqual(result["achievement"], 120)
        self.assertEqual(result["tier"].from_pct, 100)

    def test_flat_rate_applies_to_everything(self):
        self.scheme.tier_mode = "flat"
        self.assertAlmostEqual(self.scheme._commission(12000, 10000)["amount"], 1200)
        self.assertAlmostEqual(self.scheme._commission(8000, 10000)["amount"], 400)
        self.assertAlmostEqual(self.scheme._commission(4000, 10000)["amount"], 0)

    def test_accelerator_cap_threshold(self):
        self.scheme.accelerator = 2
        self.assertAlmostEqual(self.scheme._commission(12000, 10000)["amount"], 250 + 400)
        self.scheme.cap_amount = 500
        self.assertAlmostEqual(self.scheme._commission(12000, 10000)["amount"], 500)
        self.scheme.write({"cap_amount": 0, "threshold_pct": 80})
        self.assertAlmostEqual(self.scheme._commission(7000, 10000)["amount"], 0)
        self.assertAlmostEqual(self.scheme._commission(8000, 10000)["amount"], 150)

    def test_next_tier(self):
        result = self.scheme._commission(7000, 10000)
        self.assertEqual(result["next_pct"], 100)
        self.assertAlmostEqual(result["next_gap"], 3000)
        self.assertAlmostEqual(result["next_amount"], 250)

    def test_achievement_bonus_plan(self):
        scheme = self.env["sales.commission.scheme"].create(
            {
                "name": "Bonus",
                "base": "achievement",
                "metric_id": self.metric_revenue.id,
                "bonus_amount": 1000,
                "tier_mode": "flat",
                "tier_ids": [
                    Command.create({"from_pct": 0, "to_pct": 80, "rate": 0}),
                    Command.create({"from_pct": 80, "to_pct": 100, "rate": 50}),
                    Command.create({"from_pct": 100, "to_pct": 0, "rate": 100}),
                ],
            }
        )
        self.assertAlmostEqual(scheme._commission(9000, 10000)["amount"], 500)
        self.assertAlmostEqual(scheme._commission(10500, 10000)["amount"], 1000)

    def test_tier_gap_rejected(self):
        with self.assert_raises_msg(ValidationError, "gap"):
            self.scheme.write(
                {"tier_ids": [Command.update(self.scheme.tier_ids[1].id, {"from_pct": 60})]}
            )
        self.assertEqual(self.scheme.tier_ids.sorted("from_pct")[1].from_pct, 50)

    def test_tier_overlap_rejected(self):
        with self.assert_raises_msg(ValidationError, "overlap"):
            self.scheme.write(
                {"tier_ids": [Command.update(self.scheme.tier_ids[1].id, {"from_pct": 40})]}
            )
        self.assertEqual(self.scheme.tier_ids.sorted("from_pct")[1].from_pct, 50)

    def test_negative_rate_rejected(self):
        with self.assert_raises_msg(ValidationError, "cannot be negative"):
            self.scheme.write(
                {"tier_ids": [Command.update(self.scheme.tier_ids[2].id, {"rate": -1})]}
            )
        self.assertEqual(self.scheme.tier_ids.sorted("from_pct")[2].rate, 10)

    def test_first_tier_must_start_at_zero(self):
        with self.assert_raises_msg(ValidationError, "start at 0"):
            self.env["sales.commission.scheme"].create(
                {"name": "Bad", "tier_ids": [Command.create({"from_pct": 10, "rate": 1})]}
            )

    def test_direct_tier_changes_checked(self):
        Tier = self.env["sales.commission.tier"].with_user(self.manager)
        tiers = self.scheme.tier_ids.sorted("from_pct").with_user(self.manager)
        with self.assert_raises_msg(ValidationError, "gap"):
            tiers[1].write({"from_pct": 60})
        with self.assert_raises_msg(ValidationError, "overlap"):
            Tier.create({"scheme_id": self.scheme.id, "from_pct": 20, "to_pct": 40, "rate": 3})
        with self.assert_raises_msg(ValidationError, "gap"):
            tiers[1].unlink()
        self.assertEqual(len(self.scheme.tier_ids), 3)
        self.assertEqual(self.scheme.tier_ids.sorted("from_pct").mapped("from_pct"), [0, 50, 100])
        # a consistent change through the plan still goes through in one save
        self.scheme.with_user(self.manager).write(
            {
                "tier_ids": [
                    Command.update(tiers[0].id, {"to_pct": 60}),
                    Command.update(tiers[1].id, {"from_pct": 60}),
                ]
            }
        )
        self.assertEqual(self.scheme.tier_ids.sorted("from_pct").mapped("from_pct"), [0, 60, 100])

    def test_only_managers_edit_commission_plans(self):
        with self.assertRaises(AccessError):
            self.scheme.with_user(self.leader).write({"accelerator": 3})
        self.assertEqual(self.scheme.accelerator, 1)
        self.scheme.with_user(self.manager).write({"accelerator": 3})
        self.assertEqual(self.scheme.accelerator, 3)

    def test_validity_dates(self):
        self.scheme.date_to = date(2024, 12, 31)
        self.assertFalse(self.statements(JAN))
        self.scheme.date_to = False
        self.scheme.assignment_ids.date_from = date(2025, 2, 1)
        self.assertFalse(self.statements(JAN))
        self.assertEqual(self.statements(FEB).user_id, self.rep_a | self.rep_b)


class TestStatements(CommissionCase):
    def test_statement_lines_with_split_credit(self):
        order_1 = self.make_order(self.rep_a, 8000, datetime(2025, 1, 10, 9))
        order_2 = self.make_order(
            self.rep_a,
            4000,
            datetime(2025, 1, 12, 9),
            shares=[
                Command.create({"user_id": self.rep_a.id, "share": 50}),
                Command.create({"user_id": self.rep_b.id, "share": 50}),
            ],
        )
        statements = self.statements()
        self.assertEqual(statements.user_id, self.rep_a | self.rep_b)
        st_a, st_b = self.of(statements, self.rep_a), self.of(statements, self.rep_b)
        self.assertAlmostEqual(st_a.base_amount, 10000)
        self.assertAlmostEqual(st_a.achievement_pct, 100)
        self.assertAlmostEqual(st_a.commission_amount, 250)
        self.assertAlmostEqual(st_a.total_amount, 250)
        self.assertEqual(
            sorted((line.doc_name, line.share) for line in st_a.line_ids),
            sorted([(order_1.name, 100.0), (order_2.name, 50.0)]),
        )
        self.assertAlmostEqual(sum(st_a.line_ids.mapped("amount")), 250)
        self.assertAlmostEqual(st_b.base_amount, 2000)
        self.assertAlmostEqual(st_b.commission_amount, 0, msg="below the first paid band")
        self.assertEqual(st_a.next_tier_pct, 0, "the last tier is reached")
        self.assertEqual(st_b.next_tier_pct, 50)
        self.assertAlmostEqual(st_b.next_tier_gap, 3000)
        # recomputing gives the same statements and lines
        again = self.statements()
        self.assertEqual(again, statements)
        self.assertEqual(len(st_a.line_ids), 2)

    def test_adjustment_needs_reason(self):
        statement = self.of(self.statements(), self.rep_a)
        with self.assert_raises_msg(ValidationError, "reason"):
            statement.write({"line_ids": [Command.create({"amount": 50})]})
        statement.write(
            {"line_ids": [Command.create({"amount": 50, "reason": "Trade fair bonus"})]}
        )
        self.assertAlmostEqual(statement.adjustment_amount, 50)
        self.assertAlmostEqual(statement.total_amount, 50)
        self.statements()
        self.assertAlmostEqual(statement.total_amount, 50, msg="adjustments survive recompute")

    def test_confirmed_statement_cannot_change(self):
        self.make_order(self.rep_a, 6000, datetime(2025, 1, 10, 9))
        statement = self.of(self.statements(), self.rep_a)
        statement.with_user(self.manager).action_confirm()
        total = statement.total_amount
        with self.assert_raises_msg(UserError, "confirmed"):
            statement.write({"line_ids": [Command.create({"amount": 5, "reason": "late"})]})
        with self.assert_raises_msg(UserError, "confirmed"):
            statement.line_ids[0].unlink()
        with self.assert_raises_msg(UserError, "confirmed"):
            statement.action_recompute()
        with self.assert_raises_msg(UserError, "confirmed"):
            statement.date_to = date(2025, 1, 30)
        self.make_order(self.rep_a, 6000, datetime(2025, 1, 11, 9))
        self.statements()
        self.assertEqual(statement.total_amount, total, "a confirmed statement is not recomputed")
        statement.with_user(self.manager).action_paid()
        self.assertEqual(statement.state, "paid")

    def test_statement_state_only_moves_forward(self):
        self.make_order(self.rep_a, 6000, datetime(2025, 1, 10, 9))
        statement = self.of(self.statements(), self.rep_a).with_user(self.manager)
        # the key the actions use, as a client sends it (a JSON value, not their sentinel)
        forged = statement.with_context(sales_commission_statement_state_change=True)
        with self.assert_raises_msg(UserError, "only moves forward"):
            forged.write({"state": "paid"})
        self.assertEqual(statement.state, "draft")
        statement.action_confirm()
        total = statement.total_amount
        for state in ("draft", "paid"):
            with self.assert_raises_msg(UserError, "only moves forward"):
                statement.write({"state": state})
            self.assertEqual(statement.state, "confirmed")
        statement.action_paid()
        for state in ("draft", "confirmed"):
            with self.assert_raises_msg(UserError, "only moves forward"):
                statement.write({"state": state})
            self.assertEqual(statement.state, "paid")
        with self.assert_raises_msg(UserError, "confirmed"):
            statement.unlink()
        self.assertEqual(statement.total_amount, total)
        with self.assert_raises_msg(UserError, "starts as a draft"):
            self.env["sales.commission.statement"].with_user(self.manager).create(
                {
                    "user_id": self.rep_b.id,
                    "scheme_id": self.scheme.id,
                    "date_from": FEB[0],
                    "date_to": FEB[1],
                    "state": "paid",
                }
            )

    def test_salesperson_cannot_confirm(self):
        statement = self.of(self.statements(), self.rep_a)
        with self.assert_raises_msg(UserError, "Only sales target managers"):
            statement.with_user(self.rep_a).action_confirm()
        self.assertEqual(statement.state, "draft")

    def test_statement_access(self):
        statements = self.statements()
        Statement = self.env["sales.commission.statement"]
        self.assertEqual(
            Statement.with_user(self.rep_a).search([]), self.of(statements, self.rep_a)
        )
        self.assertEqual(Statement.with_user(self.leader).search([]), statements)
        self.assertEqual(Statement.with_user(self.rep_c).search([]), Statement)

    def test_clawback_on_refund_in_next_statement(self):
        order = self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        jan = self.of(self.statements(JAN), self.rep_a)
        jan.action_confirm()
        self.assertAlmostEqual(jan.commission_amount, 250)
        invoice = self.invoice(order, date(2025, 1, 20))
        refund = invoice._reverse_moves([{"invoice_date": date(2025, 2, 5)}])
        refund.invoice_line_ids.price_unit = 4000
        refund.action_post()
        feb = self.of(self.statements(FEB), self.rep_a)
        clawback = feb.line_ids.filtered(lambda line: line.line_type == "clawback")
        self.assertEqual(len(clawback), 1)
        self.assertAlmostEqual(clawback.amount, -100, msg="40% of the order refunded")
        self.assertAlmostEqual(feb.total_amount, -100)
        self.assertEqual(clawback.doc_name, refund.name)
        self.statements(FEB)
        self.assertEqual(len(feb.line_ids.filtered(lambda line: line.line_type == "clawback")), 1)
        feb.action_confirm()
        mar = self.of(self.statements(MAR), self.rep_a)
        self.assertFalse(mar.line_ids, "a clawback is taken once")

    def test_collected_cash_base(self):
        self.scheme.write({"base": "collected"})
        self.assertEqual(self.scheme.metric_id, self.metric_collected)
        self.plan.with_context(target_revision_reason="cash plan").metric_ids = [
            Command.link(self.metric_collected.id)
        ]
        self.env["sales.target"].with_context(target_revision_reason="cash target").create(
            {
                "plan_id": self.plan.id,
                "metric_id": self.metric_collected.id,
                "assignee_type": "user",
                "user_id": self.rep_a.id,
                "date_from": FEB[0],
                "date_to": FEB[1],
                "target_value": 1000,
            }
        )
        order = self.make_order(self.rep_a, 1000, datetime(2025, 1, 10, 9))
        invoice = self.invoice(order, date(2025, 1, 20))
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": date(2025, 2, 3)})._create_payments()
        self.assertFalse(self.of(self.statements(JAN), self.rep_a).line_ids)
        feb = self.of(self.statements(FEB), self.rep_a)
        self.assertEqual(feb.line_ids.doc_name, invoice.name)
        self.assertAlmostEqual(feb.base_amount, invoice.amount_total)

    def test_earned_to_date_as_salesperson(self):
        today = date(2025, 1, 20)
        self.make_order(self.rep_a, 7000, datetime(2025, 1, 10, 9))
        Statement = self.env["sales.commission.statement"].with_user(self.rep_a)
        statement = Statement._earned_to_date(today=today)
        self.assertEqual(statement.user_id, self.rep_a)
        self.assertAlmostEqual(statement.commission_amount, 100)
        self.assertEqual(statement.next_tier_pct, 100)
        self.assertAlmostEqual(statement.next_tier_amount, 250)
        self.assertAlmostEqual(statement.next_tier_gap, 3000)
        with self.assertRaises(UserError):
            Statement._earned_to_date(user=self.rep_b, today=today)

    def test_earned_to_date_of_a_rep_only_for_their_team_leader(self):
        """The targets' team leader group grants the right; leading the rep's team makes the
        rep theirs: the leader of another team does not see the rep's commission."""
        today = date(2025, 1, 20)
        self.make_order(self.rep_a, 7000, datetime(2025, 1, 10, 9))
        other_leader = self.rep_c.copy(
            {
                "login": "tgt_other_leader",
                "groups_id": [Command.set(self.leader.groups_id.ids)],
            }
        )
        self.team_2.user_id = other_leader
        Statement = self.env["sales.commission.statement"]
        with self.assertRaises(UserError):
            Statement.with_user(other_leader)._earned_to_date(user=self.rep_a, today=today)
        mine = Statement.with_user(self.leader)._earned_to_date(user=self.rep_a, today=today)
        self.assertEqual(mine.user_id, self.rep_a)
        self.assertAlmostEqual(mine.commission_amount, 100)

    def test_query_count_does_not_grow_with_lines(self):
        def run():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.statements(JAN)
            return self.env.cr.sql_log_count - before

        self.make_order(self.rep_a, 100, datetime(2025, 1, 3, 9))
        run()
        small = run()
        for day in range(4, 24):
            self.make_order(self.rep_a, 100, datetime(2025, 1, day, 9))
            self.make_order(self.rep_b, 100, datetime(2025, 1, day, 9))
        big = run()
        statements = self.statements(JAN)
        self.assertEqual(len(statements.line_ids), 41)
        self.assertEqual(big, small, f"{small} queries for 1 line, {big} for 41")

    def test_achievement_bonus_statement(self):
        scheme = self.bonus_scheme()
        self.make_order(self.rep_a, 9000, datetime(2025, 1, 10, 9))
        statement = self.statements().filtered(lambda s: s.scheme_id == scheme)
        self.assertEqual(statement.user_id, self.rep_a)
        self.assertAlmostEqual(statement.achievement_pct, 90)
        self.assertAlmostEqual(statement.total_amount, 1000)
        self.assertAlmostEqual(sum(statement.line_ids.mapped("amount")), 1000)

    def test_my_targets_show_earned_commission(self):
        target = self.env["sales.target"].search(
            [
                ("user_id", "=", self.rep_a.id),
                ("date_from", "=", JAN[0]),
                ("metric_id", "=", self.metric_revenue.id),
            ]
        )
        self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        # earned once confirmed (issue 16)
        self.of(self.statements(JAN), self.rep_a).with_user(self.manager).action_confirm()
        self.assertAlmostEqual(target.with_user(self.rep_a).commission_earned, 250)

    def test_clawback_on_write_off(self):
        order = self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        invoice = self.invoice(order, date(2025, 1, 20))
        jan = self.of(self.statements(JAN), self.rep_a)
        jan.action_confirm()
        self.assertAlmostEqual(jan.commission_amount, 250)
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        expense = self.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", self.company.id)], limit=1
        )
        write_off = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": date(2025, 2, 10),
                "line_ids": [
                    Command.create(
                        {"account_id": expense.id, "debit": 2500, "partner_id": self.customer.id}
                    ),
                    Command.create(
                        {
                            "account_id": receivable.account_id.id,
                            "credit": 2500,
                            "partner_id": self.customer.id,
                        }
                    ),
                ],
            }
        )
        write_off.action_post()
        (receivable + write_off.line_ids.filtered(lambda line: line.credit)).reconcile()
        feb = self.of(self.statements(FEB), self.rep_a)
        clawback = feb.line_ids.filtered(lambda line: line.line_type == "clawback")
        self.assertEqual(len(clawback), 1)
        # 2,500 written off of a 10,000 order (no tax): a quarter of the commission back
        self.assertAlmostEqual(clawback.amount, -62.5)
        self.assertEqual(clawback.doc_name, invoice.name)

    def test_cron_drafts_last_month(self):
        statements = self.env["sales.commission.statement"]._cron_generate_statements()
        self.assertEqual(
            statements.filtered(lambda s: s.scheme_id == self.scheme).user_id,
            self.rep_a | self.rep_b,
        )
        self.assertEqual(set(statements.mapped("state")), {"draft"})
        again = self.env["sales.commission.statement"]._cron_generate_statements()
        self.assertEqual(again, statements, "running twice creates nothing new")

    def test_export_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_targets"], ["zh_CN"], overwrite=True
        )
        self.make_order(self.rep_a, 8000, datetime(2025, 1, 10, 9))
        statement = self.of(self.statements(), self.rep_a)
        statement.line_ids = [Command.create({"amount": 5, "reason": "late"})]
        export = statement.with_user(self.rep_a).with_context(lang="zh_CN")._export_csv()
        rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))
        self.assertEqual({row[4] for row in rows[1:]}, {"提成", "调整"})
        rows = list(csv.reader(io.StringIO(statement._export_csv().decode("utf-8-sig"))))
        self.assertEqual({row[4] for row in rows[1:]}, {"Commission", "Adjustment"})

    def test_salesperson_exports_own_statement(self):
        order = self.make_order(self.rep_a, 8000, datetime(2025, 1, 10, 9))
        statement = self.of(self.statements(), self.rep_a).with_user(self.rep_a)
        action = statement.action_export_csv()
        attachment_id = int(action["url"].split("/")[-1].split("?")[0])
        attachment = self.env["ir.attachment"].with_user(self.rep_a).browse(attachment_id)
        rows = list(csv.reader(io.StringIO(attachment.raw.decode("utf-8-sig"))))
        self.assertEqual(rows[0][0], "Statement")
        self.assertEqual(
            [(row[1], row[5], float(row[10])) for row in rows[1:]],
            [(self.rep_a.name, order.name, 150.0)],
        )

    def test_achievement_plan_needs_metric(self):
        with self.assert_raises_msg(ValidationError, "needs the target metric"):
            self.env["sales.commission.scheme"].create(
                {"name": "Bonus without metric", "base": "achievement", "metric_id": False}
            )
        self.assertFalse(
            self.env["sales.commission.scheme"].search([("name", "=", "Bonus without metric")])
        )

    def test_payment_with_write_off(self):
        """9,500 paid on a 10,000 invoice, 500 written off.

        The cash collected is 9,500; the commission earned on the order in January loses 5%
        in February, when the rest is written off.
        """
        cash_target = (
            self.env["sales.target"]
            .with_context(target_revision_reason="cash")
            .create(
                {
                    "plan_id": self.plan.id,
                    "metric_id": self.metric_collected.id,
                    "assignee_type": "user",
                    "user_id": self.rep_a.id,
                    "date_from": FEB[0],
                    "date_to": FEB[1],
                    "target_value": 1000,
                }
            )
        )
        order = self.make_order(self.rep_a, 10000, datetime(2025, 1, 5, 9))
        jan = self.of(self.statements(JAN), self.rep_a)
        jan.action_confirm()
        self.assertAlmostEqual(jan.commission_amount, 250)
        invoice = self.invoice(order, date(2025, 1, 6))
        expense = self.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", self.company.id)], limit=1
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "payment_date": date(2025, 2, 20),
                "amount": 9500,
                "payment_difference_handling": "reconcile",
                "writeoff_account_id": expense.id,
                "writeoff_label": "Discount",
            }
        )._create_payments()
        self.assertEqual(invoice.payment_state, "paid")
        self.plan._recompute_achievements(today=date(2025, 12, 31))
        self.assertAlmostEqual(cash_target.actual, 9500, msg="the write-off is not cash")
        feb = self.of(self.statements(FEB), self.rep_a)
        clawback = feb.line_ids.filtered(lambda line: line.line_type == "clawback")
        self.assertAlmostEqual(clawback.amount, -250 * 500 / 10000)


@tagged("post_install", "-at_install")
class TestTwoCompanies(CommissionCase):
    """A salesperson of two companies: each document's company decides, not the companies
    active in the user's session."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Tgt Company B"})
        cls.rep_a.write({"company_ids": [Command.link(cls.company_b.id)]})
        cls.plan_b = cls.env["sales.target.plan"].create(
            {
                "name": "Plan 2025 B",
                "company_id": cls.company_b.id,
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
                "metric_ids": [Command.set(cls.metric_revenue.ids)],
            }
        )
        cls.make_target(cls.rep_a, value=50000, start=JAN[0], end=JAN[1], plan=cls.plan_b)
        cls.plan_b.action_approve()

    def test_commission_target_of_the_plans_company(self):
        self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9))
        statement = self.of(self.statements(JAN), self.rep_a)
        self.assertEqual(statement.company_id, self.company)
        self.assertEqual(statement.target_value, 10000, "company B's target is not company A's")
        self.assertAlmostEqual(statement.achievement_pct, 100)
        # the same when the salesperson, working in both companies, looks at their month
        mine = (
            self.env["sales.commission.statement"]
            .with_user(self.rep_a)
            .with_context(allowed_company_ids=[self.company_b.id, self.company.id])
            ._earned_to_date(today=date(2025, 1, 20))
        )
        self.assertEqual(mine, statement)
        self.assertEqual(mine.target_value, 10000)
        self.assertAlmostEqual(mine.commission_amount, 250)

    def test_decomposition_rounds_in_the_targets_currency(self):
        self.company_b.currency_id = self.env.ref("base.JPY")
        self.company_b.currency_id.active = True
        parent = self.plan_b.target_ids
        values = parent.with_company(self.company)._split_amount(100.0, [1, 1, 1])
        self.assertEqual(values, [33.0, 33.0, 34.0], "yen have no cents")

    def test_team_of_the_plans_company(self):
        """A salesperson who sells for two companies counts in their team of each company:
        their target, split credit and forecast in company B go to their team there, and that
        team's leader is the one who sees and adjusts them."""
        self.env["ir.config_parameter"].set_param("sales_team.membership_multi", True)
        leader_b = self.leader.copy(
            {
                "login": "tgt_leader_b",
                "company_id": self.company_b.id,
                "company_ids": [Command.set(self.company_b.ids)],
            }
        )
        # Odoo keeps a member's teams in their main company or in none: a team of all companies
        team_b = self.env["crm.team"].create(
            {"name": "Team B", "company_id": False, "user_id": leader_b.id}
        )
        self.env["crm.team.member"].create({"crm_team_id": team_b.id, "user_id": self.rep_a.id})
        target = (
            self.env["sales.target"]
            .with_context(target_revision_reason="New month")
            .create(
                {
                    "plan_id": self.plan_b.id,
                    "metric_id": self.metric_revenue.id,
                    "assignee_type": "user",
                    "user_id": self.rep_a.id,
                    "date_from": FEB[0],
                    "date_to": FEB[1],
                    "target_value": 9000,
                }
            )
        )
        self.assertEqual(target.team_id, team_b)
        forecast = (
            self.env["sales.forecast.commit"]
            .with_user(self.rep_a)
            .with_company(self.company_b)
            .create({"company_id": self.company_b.id, "commit_amount": 5000})
        )
        self.assertEqual(forecast.team_id, team_b)
        # the leader of team B adjusts it; the leader of rep A's team in company A does not
        forecast.with_user(leader_b).with_company(self.company_b).write(
            {"adjusted_commit": 4000, "adjustment_reason": "Slipping"}
        )
        self.assertEqual(forecast.final_commit, 4000)
        with self.assertRaises(UserError):
            forecast.with_user(self.leader).with_company(self.company_b).write(
                {"adjusted_commit": 9000, "adjustment_reason": "Mine"}
            )
