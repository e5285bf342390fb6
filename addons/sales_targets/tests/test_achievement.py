from datetime import date, datetime

from odoo import Command, fields
from odoo.tests import tagged

from .common import TargetsCase


@tagged("post_install", "-at_install")
class TestAchievement(TargetsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.metric_ids = [
            Command.set(
                (
                    cls.metric_revenue
                    | cls.metric_invoiced
                    | cls.metric_margin
                    | cls.metric_collected
                    | cls.metric_new
                    | cls.metric_won
                    | cls.metric_visits
                ).ids
            )
        ]

    def refresh(self, today=date(2025, 12, 31)):
        self.plan._recompute_achievements(today=today)

    def invoice(self, order, when):
        move = order._create_invoices()
        move.invoice_date = when
        move.action_post()
        return move

    def pay(self, move, when, amount=None):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"payment_date": when, **({"amount": amount} if amount else {})})
        )
        wizard._create_payments()

    def test_revenue_actual_pct_gap_and_mtd_qtd_ytd(self):
        month = self.make_target(self.rep_a, value=4000)
        year = self.make_target(
            self.rep_a, value=40000, start=date(2025, 1, 1), end=date(2025, 12, 31)
        )
        team = self.make_target(value=10000, assignee_type="team", team_id=self.team_1.id)
        company = self.make_target(value=20000)
        self.make_order(self.rep_a, 1000, datetime(2025, 1, 5, 9))
        self.make_order(self.rep_a, 2000, datetime(2025, 1, 20, 9))
        self.make_order(self.rep_b, 500, datetime(2025, 1, 10, 9))
        self.make_order(self.rep_a, 700, datetime(2024, 1, 10, 9))  # last year
        self.make_order(self.rep_a, 9999, confirm=False)  # quotation: not counted
        self.refresh(today=date(2025, 1, 20))
        self.assertAlmostEqual(month.actual, 3000)
        self.assertAlmostEqual(month.achievement_pct, 75.0)
        self.assertAlmostEqual(month.gap_to_target, 1000)
        self.assertAlmostEqual(month.last_year, 700)
        self.assertAlmostEqual(month.yoy_pct, (3000 - 700) / 700 * 100)
        # 3000 in 20 days of a 31-day month
        self.assertAlmostEqual(month.run_rate, 3000 / 20 * 31)
        self.assertAlmostEqual(year.mtd, 3000)
        self.assertAlmostEqual(year.qtd, 3000)
        self.assertAlmostEqual(year.ytd, 3000)
        self.assertAlmostEqual(team.actual, 3500)
        self.assertAlmostEqual(company.actual, 3500)
        self.assertTrue(month.achievement_date)

    def test_mtd_qtd_ytd_split(self):
        year = self.make_target(
            self.rep_a, value=40000, start=date(2025, 1, 1), end=date(2025, 12, 31)
        )
        self.make_order(self.rep_a, 100, datetime(2025, 1, 5, 9))
        self.make_order(self.rep_a, 200, datetime(2025, 4, 2, 9))
        self.make_order(self.rep_a, 400, datetime(2025, 5, 3, 9))
        self.make_order(self.rep_a, 800, datetime(2025, 5, 30, 9))  # after "today"
        self.refresh(today=date(2025, 5, 10))
        self.assertAlmostEqual(year.mtd, 400)
        self.assertAlmostEqual(year.qtd, 600)
        self.assertAlmostEqual(year.ytd, 700)
        self.assertAlmostEqual(year.actual, 1500)

    def test_future_target_has_no_run_rate(self):
        target = self.make_target(
            self.rep_a, value=10, start=date(2025, 6, 1), end=date(2025, 6, 30)
        )
        self.refresh(today=date(2025, 1, 20))
        self.assertEqual(target.run_rate, 0.0)
        self.assertEqual(target.mtd, 0.0)

    def test_split_credit_and_overlay(self):
        t_a = self.make_target(self.rep_a, value=1000)
        t_b = self.make_target(self.rep_b, value=1000)
        t_c = self.make_target(self.rep_c, value=1000)
        company = self.make_target(value=1000)
        self.make_order(
            self.rep_a,
            1000,
            shares=self.split((self.rep_a, 60), (self.rep_b, 40), overlay=[(self.rep_c, 10)]),
        )
        self.refresh()
        self.assertAlmostEqual(t_a.actual, 600)
        self.assertAlmostEqual(t_b.actual, 400)
        self.assertAlmostEqual(t_c.actual, 100, msg="overlay credit outside the 100%")
        self.assertAlmostEqual(company.actual, 1000, msg="overlay does not inflate the total")

    def test_invoiced_net_of_refunds_and_collected_cash(self):
        invoiced = self.make_target(self.rep_a, value=5000, metric=self.metric_invoiced)
        collected = self.make_target(self.rep_a, value=5000, metric=self.metric_collected)
        collected_feb = self.make_target(
            self.rep_a,
            value=5000,
            metric=self.metric_collected,
            start=date(2025, 2, 1),
            end=date(2025, 2, 28),
        )
        order = self.make_order(self.rep_a, 1000, datetime(2025, 1, 3, 9))
        move = self.invoice(order, date(2025, 1, 10))
        refund = move._reverse_moves([{"invoice_date": date(2025, 1, 25)}])
        refund.invoice_line_ids.price_unit = 200
        refund.action_post()
        order_2 = self.make_order(self.rep_a, 500, datetime(2025, 1, 4, 9))
        move_2 = self.invoice(order_2, date(2025, 1, 12))
        self.pay(move_2, date(2025, 2, 3))
        self.refresh()
        self.assertAlmostEqual(invoiced.actual, 1000 - 200 + 500)
        self.assertAlmostEqual(collected.actual, 0.0, msg="cash counts on the payment date")
        self.assertAlmostEqual(collected_feb.actual, move_2.amount_total)

    def test_split_credit_on_invoices_and_cash(self):
        invoiced_a = self.make_target(self.rep_a, value=5000, metric=self.metric_invoiced)
        invoiced_b = self.make_target(self.rep_b, value=5000, metric=self.metric_invoiced)
        collected_a = self.make_target(self.rep_a, value=5000, metric=self.metric_collected)
        collected_b = self.make_target(self.rep_b, value=5000, metric=self.metric_collected)
        shared = self.make_order(
            self.rep_a,
            1000,
            datetime(2025, 1, 3, 9),
            shares=self.split((self.rep_a, 60), (self.rep_b, 40)),
        )
        alone = self.make_order(self.rep_a, 500, datetime(2025, 1, 4, 9))
        shared_move = self.invoice(shared, date(2025, 1, 10))
        alone_move = self.invoice(alone, date(2025, 1, 11))
        self.pay(shared_move, date(2025, 1, 20))
        self.pay(alone_move, date(2025, 1, 21))
        self.refresh()
        self.assertAlmostEqual(invoiced_a.actual, 600 + 500)
        self.assertAlmostEqual(invoiced_b.actual, 400, msg="the invoice keeps the order's split")
        self.assertAlmostEqual(collected_a.actual, 600 + 500)
        self.assertAlmostEqual(collected_b.actual, 400, msg="so does the cash collected on it")

    def test_margin_product_mix_new_customers(self):
        mix_metric = self.env["sales.target.metric"].create(
            {"name": "Machines", "metric_type": "product_mix", "product_categ_id": self.categ.id}
        )
        self.plan.metric_ids = [Command.link(mix_metric.id)]
        margin = self.make_target(self.rep_a, value=1000, metric=self.metric_margin)
        mix = self.make_target(self.rep_a, value=1000, metric=mix_metric)
        new = self.make_target(self.rep_a, value=2, metric=self.metric_new)
        self.make_order(self.rep_a, 1000, datetime(2024, 6, 1, 9))  # customer known since 2024
        self.make_order(self.rep_a, 1000, datetime(2025, 1, 8, 9))
        self.make_order(
            self.rep_a,
            300,
            datetime(2025, 1, 9, 9),
            partner=self.customer_2,
            product=self.product_other,
        )
        self.refresh()
        self.assertAlmostEqual(margin.actual, (1000 - 600) + 300)
        self.assertAlmostEqual(mix.actual, 1000)
        self.assertEqual(new.actual, 1, "only Customer Two ordered for the first time")

    def test_won_opportunities_and_visits(self):
        won = self.make_target(self.rep_a, value=3, metric=self.metric_won)
        visits = self.make_target(self.rep_a, value=20, metric=self.metric_visits)
        lead = self.env["crm.lead"].create(
            {
                "name": "Deal",
                "type": "opportunity",
                "user_id": self.rep_a.id,
                "partner_id": self.customer.id,
            }
        )
        lead.action_set_won()
        lead.date_closed = datetime(2025, 1, 14, 10)
        visit_type = self.env.ref("sales_targets.mail_activity_type_visit")
        for _i in range(3):
            activity = self.env["mail.activity"].create(
                {
                    "activity_type_id": visit_type.id,
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.customer.id,
                    "user_id": self.rep_a.id,
                    "date_deadline": date(2025, 1, 14),
                }
            )
            activity.action_done()
        self.env["mail.activity"].with_context(active_test=False).search(
            [("activity_type_id", "=", visit_type.id), ("user_id", "=", self.rep_a.id)]
        ).write({"date_done": date(2025, 1, 14)})
        self.refresh()
        self.assertEqual(won.actual, 1)
        self.assertEqual(visits.actual, 3)

    def test_generic_metric(self):
        metric = self.env["sales.target.metric"].create(
            {
                "name": "Quotations sent",
                "metric_type": "generic",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "date_field_id": self.env["ir.model.fields"]._get("sale.order", "date_order").id,
                "user_field_id": self.env["ir.model.fields"]._get("sale.order", "user_id").id,
                "aggregate": "sum",
                "sum_field_id": self.env["ir.model.fields"]._get("sale.order", "amount_untaxed").id,
                "domain": "[('state', '=', 'draft')]",
            }
        )
        self.plan.metric_ids = [Command.link(metric.id)]
        target = self.make_target(self.rep_a, value=1000, metric=metric)
        team = self.make_target(
            value=1000, metric=metric, assignee_type="team", team_id=self.team_1.id
        )
        self.make_order(self.rep_a, 250, confirm=False, date_order=datetime(2025, 1, 7, 9))
        self.make_order(self.rep_a, 100, datetime(2025, 1, 7, 9))  # confirmed: not in domain
        self.refresh()
        self.assertAlmostEqual(target.actual, 250)
        self.assertAlmostEqual(team.actual, 250)

    def test_forecast_on_target(self):
        target = self.make_target(self.rep_a, value=1000)
        own = self.env["crm.stage"].create({"name": "Tgt own probability", "sequence": 90})
        staged = self.env["crm.stage"].create(
            {"name": "Tgt staged", "sequence": 91, "forecast_probability": 50}
        )
        self.env["crm.lead"].create(
            [
                {
                    "name": "Big",
                    "type": "opportunity",
                    "user_id": self.rep_a.id,
                    "stage_id": own.id,
                    "expected_revenue": 10000,
                    "probability": 30,
                    "date_deadline": date(2025, 1, 20),
                },
                {
                    "name": "Staged",
                    "type": "opportunity",
                    "user_id": self.rep_a.id,
                    "stage_id": staged.id,
                    "expected_revenue": 1000,
                    "probability": 10,
                    "date_deadline": date(2025, 1, 21),
                },
            ]
        )
        self.refresh()
        # 30% of 10,000 (the opportunity's own) + 50% of 1,000 (the stage's)
        self.assertAlmostEqual(target.forecast, 3500)

    def test_query_count_does_not_grow_with_targets(self):
        def run():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.plan._recompute_achievements(today=date(2025, 6, 1))
            return self.env.cr.sql_log_count - before

        reps = [self.rep_a]
        for month in range(1, 3):
            start = date(2025, month, 1)
            end = fields.Date.end_of(start, "month")
            for rep in reps:
                self.make_target(rep, value=10, start=start, end=end)
        small = run()
        for month in range(1, 13):
            start = date(2025, month, 1)
            end = fields.Date.end_of(start, "month")
            for rep in (self.rep_a, self.rep_b, self.rep_c):
                if month < 3 and rep == self.rep_a:
                    continue
                for metric in (self.metric_revenue, self.metric_margin):
                    self.make_target(rep, value=10, start=start, end=end, metric=metric)
                self.make_order(rep, 10, datetime(2025, month, 3, 9))
        big = run()
        # one more metric (margin) means exactly one more grouped query
        self.assertEqual(big, small + 1, f"{small} queries for 2 targets, {big} for 70")
        self.assertEqual(
            self.env["sales.target"].search_count([("plan_id", "=", self.plan.id)]), 70
        )

    def test_cron_refreshes_running_plans(self):
        target = self.make_target(self.rep_a, value=1000)
        self.make_order(self.rep_a, 400)
        self.plan.action_approve()
        others = self.env["sales.target.plan"].search(
            [("id", "!=", self.plan.id), ("state", "in", ("approved", "locked"))]
        )
        others.action_unlock()
        others.action_reset_draft()
        plans = self.env["sales.target.plan"]._cron_recompute_achievements()
        self.assertFalse(plans, "a plan that ended long ago is left alone")
        self.plan.with_context(target_revision_reason="Plan extended to today").write(
            {"date_to": self.env.company._sales_today()}
        )
        plans = self.env["sales.target.plan"]._cron_recompute_achievements()
        self.assertEqual(plans, self.plan)
        self.assertAlmostEqual(target.actual, 400)
        self.assertTrue(self.plan.achievement_refreshed_at)
        again = self.env["sales.target.plan"]._cron_recompute_achievements()
        self.assertFalse(again, "refreshed plans are not recomputed within the hour")

    def test_several_plans_refreshed_in_one_call(self):
        """The cron refreshes plans in batches: each plan of the batch gets its own figures."""
        second = self.env["sales.target.plan"].create(
            {
                "name": "Plan 2025 bis",
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
                "metric_ids": [Command.set(self.metric_revenue.ids)],
            }
        )
        first_target = self.make_target(self.rep_a, value=1000)
        second_target = self.make_target(self.rep_a, value=800, plan=second)
        self.make_order(self.rep_a, 400)
        (self.plan | second)._recompute_achievements(today=date(2025, 12, 31))
        self.assertAlmostEqual(first_target.actual, 400)
        self.assertAlmostEqual(second_target.actual, 400)
        self.assertTrue(self.plan.achievement_refreshed_at)
        self.assertTrue(second.achievement_refreshed_at)

    def test_cron_moves_past_plans_without_targets(self):
        self.plan.action_approve()
        self.plan.with_context(target_revision_reason="Plan extended to today").write(
            {"date_to": self.env.company._sales_today()}
        )
        Plan = self.env["sales.target.plan"]
        running = Plan.search([("state", "in", ("approved", "locked"))])
        self.assertFalse(self.plan.target_ids)
        refreshed = Plan._cron_recompute_achievements(batch_size=len(running))
        self.assertIn(self.plan, refreshed)
        self.assertTrue(self.plan.achievement_refreshed_at, "an empty plan is stamped as well")
        self.assertFalse(Plan._cron_recompute_achievements(), "nothing left to refresh")

    def test_product_mix_includes_subcategories(self):
        child = self.env["product.category"].create(
            {"name": "Tgt Small", "parent_id": self.categ.id}
        )
        small = self.env["product.product"].create(
            {"name": "Tgt Small Machine", "type": "service", "list_price": 50, "categ_id": child.id}
        )
        metric = self.env["sales.target.metric"].create(
            {"name": "Machines", "metric_type": "product_mix", "product_categ_id": self.categ.id}
        )
        self.plan.metric_ids = [Command.link(metric.id)]
        target = self.make_target(self.rep_a, value=1000, metric=metric)
        self.make_order(self.rep_a, 300, product=small)
        self.make_order(self.rep_a, 200, product=self.product)
        self.make_order(self.rep_a, 999, product=self.product_other)
        self.refresh()
        self.assertAlmostEqual(target.actual, 500)

    def test_fiscal_year_from_april(self):
        plan = self.env["sales.target.plan"].create(
            {
                "name": "FY 2025-26",
                "date_from": date(2025, 4, 1),
                "date_to": date(2026, 3, 31),
                "metric_ids": [Command.set(self.metric_revenue.ids)],
            }
        )
        year = self.make_target(
            self.rep_a, value=100000, start=date(2025, 4, 1), end=date(2026, 3, 31), plan=plan
        )
        self.assertEqual(year.period_type, "year")
        self.make_order(self.rep_a, 100, datetime(2025, 3, 20, 9))  # previous fiscal year
        self.make_order(self.rep_a, 200, datetime(2025, 5, 20, 9))  # fiscal Q1
        self.make_order(self.rep_a, 400, datetime(2025, 8, 2, 9))  # fiscal Q2
        plan._recompute_achievements(today=date(2025, 8, 15))
        self.assertAlmostEqual(year.ytd, 600)
        self.assertAlmostEqual(year.qtd, 400)
        self.assertAlmostEqual(year.mtd, 400)
        wizard = self.env["sales.target.decompose"].create(
            {"target_id": year.id, "dimension": "time", "period_type": "quarter", "method": "equal"}
        )
        wizard.action_apply()
        quarters = year.child_ids.sorted("date_from")
        self.assertEqual(
            [(q.date_from, q.date_to) for q in quarters],
            [
                (date(2025, 4, 1), date(2025, 6, 30)),
                (date(2025, 7, 1), date(2025, 9, 30)),
                (date(2025, 10, 1), date(2025, 12, 31)),
                (date(2026, 1, 1), date(2026, 3, 31)),
            ],
        )
        self.assertEqual(set(quarters.mapped("period_type")), {"quarter"})
        self.assertTrue(quarters[0].name.endswith("FY2025 Q1"))
        self.assertTrue(quarters[3].name.endswith("FY2025 Q4"))
        self.assertTrue(year.name.endswith("FY2025"))
