from datetime import date, timedelta

from freezegun import freeze_time

from odoo.addons.sales_assistant.tests.common_satisfaction import SatisfactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestReturnVisit(SatisfactionCase):
    """A new customer's first order and a closed complaint schedule one return visit (回访)
    for the rep; its outcome is kept when done, and My day shows it."""

    def return_visits(self, record, done=None):
        Activity = self.env["mail.activity"].with_context(active_test=False)
        domain = [
            ("activity_type_id", "=", self.return_visit_type.id),
            ("res_model", "=", record._name),
            ("res_id", "=", record.id),
        ]
        if done is not None:
            domain.append(("active", "=", not done))
        return Activity.search(domain)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.return_visit_type = cls.env.ref("sales_assistant.mail_activity_type_return_visit")
        cls.new_customer = cls.env["res.partner"].create(
            {"name": "无锡新客户有限公司", "is_company": True}
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Buyer Zhang", "parent_id": cls.new_customer.id}
        )

    def test_first_order_of_a_new_customer_schedules_one_return_visit(self):
        first = self.make_order(partner=self.buyer)
        visit = self.return_visits(first)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.user_id, self.rep)
        self.assertEqual(visit.date_deadline, self.company._sales_today() + timedelta(days=3))
        self.assertIn("无锡新客户有限公司", visit.summary)
        # a second order of the same customer (another contact) is not a first order
        second = self.make_order(partner=self.new_customer)
        self.assertFalse(self.return_visits(second))
        # the first order cancelled and confirmed again is the same event
        first._action_cancel()
        first.action_draft()
        first.action_confirm()
        self.assertEqual(len(self.return_visits(first)), 1)

    def test_order_of_a_known_customer_schedules_no_return_visit(self):
        self.make_order()
        order = self.make_order()
        self.assertFalse(self.return_visits(order))

    def test_return_visit_days_come_from_the_settings(self):
        self.company.return_visit_days = 7
        order = self.make_order(partner=self.new_customer)
        self.assertEqual(
            self.return_visits(order).date_deadline,
            self.company._sales_today() + timedelta(days=7),
        )

    def test_closed_complaint_schedules_one_return_visit_for_the_rep(self):
        complaint = self.make_complaint(order=self.make_order())
        self.close_complaint(complaint)
        self.run_closing_followups(complaint)
        visit = self.return_visits(complaint)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.user_id, self.rep)
        self.assertIn(complaint.name, visit.summary)

    def test_outcome_is_kept_when_the_rep_marks_it_done(self):
        order = self.make_order(partner=self.new_customer)
        visit = self.return_visits(order)
        visit.with_user(self.rep).action_feedback(feedback="Happy with the valves; wants a quote.")
        done = self.return_visits(order, done=True)
        self.assertEqual(done, visit)
        self.assertEqual(done.return_visit_outcome, "Happy with the valves; wants a quote.")
        self.assertTrue(done.date_done)

    def test_my_day_shows_return_visits_due_to_the_rep_and_the_leader(self):
        self.company.return_visit_days = 0
        order = self.make_order(partner=self.new_customer)
        Day = self.env["sales.assistant.day"]

        def section(user):
            data = Day._my_day_data(user)
            return next((s for s in data["sections"] if s["name"] == "return_visits"), None)

        mine = section(self.rep)
        self.assertEqual(mine["count"], 1)
        self.assertEqual(mine["records"][0]["id"], order.id)
        self.assertEqual(section(self.leader)["count"], 1, "the team's for its leader")
        self.assertEqual(section(self.other_rep)["count"], 0)
        self.return_visits(order).with_user(self.rep).action_feedback(feedback="Visited")
        self.assertEqual(section(self.rep)["count"], 0)

    def test_return_visit_is_due_in_days_of_the_companys_timezone(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        # 23:00 on 1 March in Shanghai, then 01:00 on 2 March (still 1 March in UTC)
        for moment, due in (("2025-03-01 15:00:00", 4), ("2025-03-01 17:00:00", 5)):
            with freeze_time(moment):
                customer = self.env["res.partner"].create({"name": f"新客户 {moment}"})
                order = self.make_order(partner=customer)
                self.assertEqual(self.return_visits(order).date_deadline, date(2025, 3, due))
