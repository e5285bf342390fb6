"""What day is it? (issue #16, 6). A Shanghai company's day starts at 16:00 UTC: its visits,
resume dates, promises and late deliveries follow that day whoever acts (a cron runs as OdooBot,
a rep may live in UTC); My day shows a rep without a timezone their company's day."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CollectionCase, MyDayCase

# Shanghai is UTC+8 all year round.
BEFORE = datetime(2027, 1, 5, 15, 59)  # 23:59 on 5 January in Shanghai
AFTER = datetime(2027, 1, 5, 16, 1)  # 00:01 on 6 January in Shanghai, still 5 January in UTC
SHANGHAI_DAY = {BEFORE: date(2027, 1, 5), AFTER: date(2027, 1, 6)}


@tagged("post_install", "-at_install")
class TestTrustTodayAssistant(MyDayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"

    def visit(self, lead, **values):
        return self.env["mail.activity"].create(
            {
                "activity_type_id": self.visit_type.id,
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
                "user_id": self.rep.id,
                "date_deadline": date(2027, 1, 5),
                **values,
            }
        )

    def test_a_visit_done_at_seven_in_shanghai_counts_on_that_day(self):
        self.rep.tz = "UTC"  # the rep's own timezone does not move the company's visits
        lead = self.make_lead(self.rep, self.stage_negotiation, "Negotiation")
        old = self.visit(lead)
        old.action_feedback(feedback="Met the buyer")
        old.date_done = date(2026, 12, 30)  # a week before 6 January
        for moment, day in SHANGHAI_DAY.items():
            with self.subTest(moment=moment), freeze_time(moment):
                visit = self.visit(lead)
                visit.with_user(self.rep).action_feedback(feedback="Demo planned")
                self.assertEqual(visit.date_done, day)
                visit.date_done = False
                visit.unlink()
        with freeze_time(BEFORE):
            lead.invalidate_recordset(["visit_done_count"])
            self.assertEqual(lead.with_user(self.rep).visit_done_count, 1)
        with freeze_time(AFTER):
            lead.invalidate_recordset(["visit_done_count"])
            self.assertEqual(lead.with_user(self.rep).visit_done_count, 0, "a week ago")

    def test_my_day_of_a_rep_without_timezone_is_their_companys_day(self):
        self.assertFalse(self.rep.tz)
        lead = self.make_lead(self.rep, self.stage_bidding, "Boiler")
        call = self.make_activity(lead, self.rep, self.call_type)
        call.date_deadline = date(2027, 1, 6)
        for moment, day in SHANGHAI_DAY.items():
            with self.subTest(moment=moment), freeze_time(moment):
                my_day = self.env["sales.assistant.day"].with_user(self.rep).get_my_day()
                self.assertEqual(my_day["today"], day.isoformat())
                section = next(s for s in my_day["sections"] if s["name"] == "activities")
                listed = [entry["id"] for entry in section["records"]]
                self.assertEqual(lead.id in listed, day == date(2027, 1, 6))

    def test_a_suspension_resumes_after_the_companys_today(self):
        self.rep.tz = "UTC"
        lead = self.make_lead(self.rep, self.stage_bidding, "Paused").with_user(self.rep)
        with freeze_time(AFTER), self.assertRaisesRegex(UserError, "after today"):
            lead._sales_suspend(date(2027, 1, 6))
        with freeze_time(BEFORE):
            lead._sales_suspend(date(2027, 1, 6))
        self.assertEqual(lead.closing_state, "suspended")

    def test_a_delivery_promised_for_today_in_shanghai_is_late_from_midnight_there(self):
        product = self.env["product.product"].create({"name": "Pump", "type": "consu"})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        order.picking_ids.scheduled_date = datetime(2027, 1, 4, 16, 30)  # 00:30 on 5 January
        Late = self.env["sales.late.delivery"]
        with freeze_time(BEFORE):
            Late._detect_all()
            self.assertFalse(order.late_delivery_ids)
        with freeze_time(AFTER):
            Late._detect_all()
            self.assertTrue(order.delivery_late)
            order.late_delivery_ids.invalidate_recordset(["days_late"])
            self.assertEqual(order.late_delivery_ids.days_late, 1)


@tagged("post_install", "-at_install")
class TestTrustTodayCollection(CollectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.rep.tz = "UTC"
        cls.order = cls.make_order(amount=1000)
        cls.plan = cls.order.collection_plan_ids

    def promise(self, day):
        return (
            self.env["sales.collection.promise"]
            .with_user(self.rep)
            .create(
                {
                    "plan_id": self.plan.id,
                    "installment_id": self.plan.installment_ids.sorted("date_due")[:1].id,
                    "date_promised": day,
                    "amount": 300,
                    "promised_by": "财务 王经理",
                }
            )
        )

    def test_a_promise_for_today_in_shanghai_is_refused_after_midnight_there(self):
        with freeze_time(AFTER), self.assertRaises(ValidationError) as error:
            self.promise(date(2027, 1, 5))
        self.assertIn("past", str(error.exception))
        self.assertFalse(self.plan.promise_ids)

    def test_the_nightly_run_breaks_a_promise_on_the_companys_day(self):
        """The cron runs as OdooBot, whose own day is not Shanghai's."""
        with freeze_time(BEFORE):
            promise = self.promise(date(2027, 1, 5))
            Plan = self.env["sales.collection.plan"]
            self.assertEqual(
                Plan._collection_today(self.company), {self.company.id: SHANGHAI_DAY[BEFORE]}
            )
            Plan._collection_run()
            self.assertEqual(promise.state, "open")
        with freeze_time(AFTER):
            Plan._collection_run()
            promise.invalidate_recordset(["state"])
            self.assertEqual(promise.state, "broken")
