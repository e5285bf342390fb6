from datetime import date, datetime

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import APR, FEB, MAR, Q1, TargetsCase

Q2 = (date(2025, 4, 1), date(2025, 6, 30))

# Datetimes are stored in UTC; Shanghai is UTC+8 all year round.
MAR_1_0700_SHANGHAI = datetime(2025, 2, 28, 23, 0)
MAR_31_2330_SHANGHAI = datetime(2025, 3, 31, 15, 30)
APR_1_0030_SHANGHAI = datetime(2025, 3, 31, 16, 30)


@tagged("post_install", "-at_install")
class TestTimezone(TargetsCase):
    """A Shanghai company: months and quarters cut at midnight in Shanghai, not in UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        # the user who refreshes lives elsewhere: the company's timezone wins
        cls.env.user.tz = "America/New_York"
        cls.mix = cls.env["sales.target.metric"].create(
            {"name": "Machines", "metric_type": "product_mix", "product_categ_id": cls.categ.id}
        )
        cls.generic = cls.env["sales.target.metric"].create(
            {
                "name": "Orders (generic)",
                "metric_type": "generic",
                "model_id": cls.env["ir.model"]._get_id("sale.order"),
                "date_field_id": cls.env["ir.model.fields"]._get("sale.order", "date_order").id,
                "user_field_id": cls.env["ir.model.fields"]._get("sale.order", "user_id").id,
                "aggregate": "count",
                "domain": "[('state', '=', 'sale')]",
            }
        )
        cls.metrics = (
            cls.metric_revenue | cls.metric_margin | cls.metric_new | cls.mix | cls.generic
        )
        cls.plan.metric_ids = [Command.set((cls.metrics | cls.metric_won).ids)]

    def targets(self, period, metrics=None):
        return {
            metric: self.make_target(
                self.rep_a, value=1, start=period[0], end=period[1], metric=metric
            )
            for metric in (metrics or self.metrics)
        }

    def refresh(self):
        self.plan._recompute_achievements(today=date(2025, 12, 31))

    def test_order_at_7_on_1_march_counts_in_march(self):
        feb, mar = self.targets(FEB), self.targets(MAR)
        self.make_order(self.rep_a, 1000, MAR_1_0700_SHANGHAI)
        self.refresh()
        for metric in self.metrics:
            self.assertEqual(feb[metric].actual, 0, f"{metric.name}: not in February")
            self.assertGreater(mar[metric].actual, 0, f"{metric.name}: in March")
        self.assertEqual(mar[self.metric_revenue].actual, 1000)
        self.assertEqual(mar[self.metric_new].actual, 1)

    def test_order_at_2330_on_31_march_counts_in_march(self):
        mar, apr = self.targets(MAR), self.targets(APR)
        self.make_order(self.rep_a, 1000, MAR_31_2330_SHANGHAI)
        self.refresh()
        for metric in self.metrics:
            self.assertGreater(mar[metric].actual, 0, f"{metric.name}: in March")
            self.assertEqual(apr[metric].actual, 0, f"{metric.name}: not in April")

    def test_quarter_edge(self):
        q1 = self.make_target(self.rep_a, value=1, start=Q1[0], end=Q1[1])
        q2 = self.make_target(self.rep_a, value=1, start=Q2[0], end=Q2[1])
        year = self.make_target(self.rep_a, value=1, start=date(2025, 1, 1), end=date(2025, 12, 31))
        self.make_order(self.rep_a, 300, APR_1_0030_SHANGHAI)
        self.make_order(self.rep_a, 500, MAR_31_2330_SHANGHAI)
        self.plan._recompute_achievements(today=date(2025, 4, 1))
        self.assertEqual(q1.actual, 500)
        self.assertEqual(q2.actual, 300)
        self.assertEqual(year.qtd, 300, "on 1 April (Shanghai) the quarter to date is Q2's")
        self.assertEqual(year.mtd, 300)

    def test_won_opportunity_closed_at_7_on_1_march(self):
        feb, mar = self.targets(FEB, self.metric_won), self.targets(MAR, self.metric_won)
        lead = self.env["crm.lead"].create(
            {"name": "Deal", "type": "opportunity", "user_id": self.rep_a.id}
        )
        lead.action_set_won()
        lead.date_closed = MAR_1_0700_SHANGHAI
        self.refresh()
        self.assertEqual(feb[self.metric_won].actual, 0)
        self.assertEqual(mar[self.metric_won].actual, 1)

    def test_utc_when_the_company_has_no_timezone_whoever_refreshes(self):
        self.company.partner_id.tz = False
        feb, mar = self.targets(FEB, self.metric_revenue), self.targets(MAR, self.metric_revenue)
        self.make_order(self.rep_a, 1000, MAR_1_0700_SHANGHAI)  # 23:00 on 28 Feb in UTC
        self.refresh()
        self.assertEqual(feb[self.metric_revenue].actual, 1000)
        self.assertEqual(mar[self.metric_revenue].actual, 0)
        self.env.user.tz = "Asia/Shanghai"
        self.refresh()
        self.assertEqual(
            feb[self.metric_revenue].actual, 1000, "the refreshing user's tz is ignored"
        )
        self.assertEqual(mar[self.metric_revenue].actual, 0)

    def flat_scheme(self):
        self.env["sales.commission.scheme"].search([]).active = False
        return self.env["sales.commission.scheme"].create(
            {
                "name": "Flat 10%",
                "base": "revenue",
                "tier_ids": [Command.create({"from_pct": 0, "to_pct": 0, "rate": 10})],
                "assignment_ids": [Command.create({"user_id": self.rep_a.id})],
            }
        )

    def test_commission_statement_follows_the_company_timezone(self):
        scheme = self.flat_scheme()
        order = self.make_order(self.rep_a, 1000, MAR_1_0700_SHANGHAI)
        late = self.make_order(self.rep_a, 500, APR_1_0030_SHANGHAI)
        Statement = self.env["sales.commission.statement"].with_user(self.manager)
        feb = Statement._generate_statements(*FEB).filtered(lambda s: s.scheme_id == scheme)
        mar = Statement._generate_statements(*MAR).filtered(lambda s: s.scheme_id == scheme)
        self.assertEqual(feb.commission_amount, 0)
        self.assertEqual(mar.commission_amount, 100)
        self.assertEqual(mar.line_ids.mapped("doc_name"), [order.name])
        self.assertEqual(mar.line_ids.date, date(2025, 3, 1), "the line shows the local day")
        apr = Statement._generate_statements(*APR).filtered(lambda s: s.scheme_id == scheme)
        self.assertEqual(apr.line_ids.mapped("doc_name"), [late.name])

    def test_pipeline_today_is_the_companys(self):
        """Without a closing date an opportunity is expected today, in the company's timezone.

        Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: their dates always
        differ, and at least one differs from the UTC date.
        """
        stage = self.env["crm.stage"].create(
            {"name": "Tgt now", "sequence": 95, "forecast_probability": 50}
        )
        self.env["crm.lead"].create(
            {
                "name": "Soon",
                "type": "opportunity",
                "user_id": self.rep_a.id,
                "stage_id": stage.id,
                "expected_revenue": 1000,
            }
        )
        Lead = self.env["crm.lead"].with_user(self.manager)
        for tz in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
            self.company.partner_id.tz = tz
            today = datetime.now(pytz.timezone(tz)).date()
            facts = Lead._forecast_facts(date(2000, 1, 1), date(2100, 1, 1), self.company)
            days = {day for user, __, __, day, __, __ in facts if user == self.rep_a.id}
            self.assertEqual(days, {today}, tz)
            self.env["sales.forecast.report"].invalidate_model()
            report = self.env["sales.forecast.report"].search(
                [("source", "=", "pipeline"), ("user_id", "=", self.rep_a.id)]
            )
            self.assertEqual(report.date, today, f"forecast report, {tz}")

    def test_statements_of_the_month_just_ended_in_shanghai(self):
        """At 07:00 on 1 March in Shanghai (still February in UTC and in New York), February is
        over: the cron drafts February, and a salesperson's commission so far is March's."""
        scheme = self.flat_scheme()
        self.make_order(self.rep_a, 1000, MAR_1_0700_SHANGHAI)
        Statement = self.env["sales.commission.statement"]
        with freeze_time(MAR_1_0700_SHANGHAI):
            drafted = Statement._cron_generate_statements()
            mine = Statement.with_user(self.rep_a)._earned_to_date()
        drafted = drafted.filtered(lambda s: s.scheme_id == scheme)
        self.assertEqual((drafted.date_from, drafted.date_to), FEB)
        self.assertEqual((mine.date_from, mine.date_to), MAR)
        self.assertEqual(mine.commission_amount, 100)
