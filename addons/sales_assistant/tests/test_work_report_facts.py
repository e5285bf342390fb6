from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command

from .common_work_report import MONDAY, MONDAY_EVENING, MONDAY_MORNING, WorkReportCase


class TestWorkReportFacts(WorkReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "苏州精密机械有限公司"})
        cls.product = cls.env["product.product"].create(
            {"name": "Gauge", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )

    def order(self, user, moment, confirm=True, qty=1):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": user.id,
                "team_id": self.team.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": qty})
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = moment
        return order

    def test_the_day_opens_with_its_facts_in_the_companys_timezone(self):
        # 07:00 Monday in Shanghai is Sunday 23:00 UTC: it is Monday's order
        self.order(self.rep, datetime(2026, 3, 1, 23, 0), qty=3)
        # 23:30 Monday in Shanghai is Tuesday's? no: 15:30 UTC Monday is 23:30 Monday
        self.order(self.rep, datetime(2026, 3, 2, 15, 30), qty=2)
        # 00:30 Tuesday in Shanghai: not Monday's
        self.order(self.rep, datetime(2026, 3, 2, 16, 30), qty=7)
        quotation = self.order(self.rep, datetime(2026, 3, 2, 2, 0), confirm=False)
        quotation.state = "sent"
        self.order(self.mate, datetime(2026, 3, 2, 2, 0), qty=9)
        call = self.env["mail.activity"].create(
            {
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.customer.id,
                "user_id": self.rep.id,
            }
        )
        with freeze_time(MONDAY_MORNING):
            call.with_user(self.rep).action_feedback(feedback="Called the buyer")
        lead = self.env["crm.lead"].create({"name": "New lead", "user_id": self.rep.id})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s", [MONDAY_MORNING, lead.id]
        )
        report = self.make_report()
        with freeze_time(MONDAY_EVENING):
            report.with_user(self.rep).action_refresh_facts()
        self.assertEqual(report.order_count, 2)
        self.assertEqual(report.order_amount, 500.0)
        self.assertEqual(report.quotation_sent_count, 1)
        self.assertEqual(report.call_count, 1)
        self.assertEqual(report.new_lead_count, 1)
        self.assertEqual(report.new_customer_count, 1, "the customer's first order")

    def test_submitted_facts_stay_as_they_were(self):
        report = self.make_report()
        with freeze_time(MONDAY_MORNING):
            report.with_user(self.rep).action_submit()
        self.order(self.rep, datetime(2026, 3, 2, 3, 0))
        report.with_user(self.rep).action_refresh_facts()
        self.assertEqual(report.order_count, 0, "frozen at submission")

    def test_opening_a_draft_shows_its_facts_as_of_now_and_stores_nothing(self):
        report = self.make_report()
        stored = report.facts_date
        self.order(self.rep, datetime(2026, 3, 2, 3, 0))
        with freeze_time(MONDAY_EVENING):
            shown = report.with_user(self.rep).web_read(
                {"order_count": {}, "order_amount": {}, "facts_date": {}}
            )[0]
        self.assertEqual(shown["order_count"], 1)
        self.assertEqual(shown["facts_date"], "2026-03-02 11:00:00")
        # a read writes nothing: a read replica would refuse it
        report.invalidate_recordset()
        self.assertEqual((report.order_count, report.facts_date), (0, stored))

    def test_a_team_report_reads_no_person_facts(self):
        with freeze_time(MONDAY_EVENING):
            team_report = self.Report.with_user(self.leader).create(
                {"scope": "team", "team_id": self.team.id}
            )
        self.assertEqual(team_report._gather_facts()[team_report.id]["order_count"], 0)

    def test_reading_the_facts_costs_the_same_for_one_report_or_many(self):
        with freeze_time(MONDAY_EVENING):
            one = self.Report.sudo().create({"user_id": self.rep.id, "date_from": MONDAY})
            many = self.Report.sudo().create(
                [
                    {"user_id": user.id, "date_from": MONDAY}
                    for user in (self.mate, self.other_rep, self.leader, self.manager)
                ]
            ) | one.sudo().copy({"date_from": MONDAY - timedelta(days=1)})
        queries = self._count_queries(one)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            many._refresh_facts()
            self.env.flush_all()

    def _count_queries(self, reports):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        reports._refresh_facts()
        self.env.flush_all()
        return self.cr.sql_log_count - before


class TestWorkReportPrepare(WorkReportCase):
    def test_the_cron_prepares_one_draft_per_salesperson_once(self):
        with freeze_time(MONDAY_EVENING):
            self.Report._cron_prepare_work_reports()
            self.Report._cron_prepare_work_reports()
        reports = self.Report.search([("date_from", "=", MONDAY)])
        for user in (self.rep, self.mate, self.other_rep, self.leader):
            with self.subTest(user=user.name):
                mine = reports.filtered(lambda r, user=user: r.user_id == user)
                self.assertEqual(len(mine), 1)
                self.assertEqual(mine.state, "draft")
                self.assertTrue(mine.facts_date)
        self.assertEqual(reports.filtered(lambda r: r.user_id == self.mate).team_id, self.team)

    def test_preparing_costs_the_same_queries_for_more_salespeople(self):
        with freeze_time(MONDAY_EVENING):
            self.Report._prepare_work_reports(companies=self.company)  # warm-up
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.Report._prepare_work_reports(
                companies=self.company, day=MONDAY - timedelta(days=1)
            )
            self.env.flush_all()
            queries = self.cr.sql_log_count - before
            more = self.env["res.users"].create(
                [
                    {
                        "name": f"Rep {n}",
                        "login": f"wr_more_{n}",
                        "groups_id": [Command.set(self.rep.groups_id.ids)],
                    }
                    for n in range(5)
                ]
            )
            self.team.member_ids = [Command.link(user.id) for user in more]
            # new users clear the registry's caches: warm them up again, another day
            self.Report._prepare_work_reports(
                companies=self.company, day=MONDAY - timedelta(days=2)
            )
            self.env.invalidate_all()
            with self.assertQueryCount(queries):
                created = self.Report._prepare_work_reports(
                    companies=self.company, day=MONDAY - timedelta(days=3)
                )
                self.env.flush_all()
        self.assertGreaterEqual(created, 10)
