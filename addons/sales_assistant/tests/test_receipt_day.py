"""The receipt's day (issue #18): the day as whoever confirms sees it (the user, else the
customer confirming through a public link, else the company), read from the one clock of the
suite, ``res.company._sales_day``, as the company's and a person's today are."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged

# Shanghai is UTC+8 all year round.
BEFORE = datetime(2027, 1, 5, 15, 59)  # 23:59 on 5 January in Shanghai
AFTER = datetime(2027, 1, 5, 16, 1)  # 00:01 on 6 January in Shanghai, still 5 January in UTC


@tagged("post_install", "-at_install")
class TestReceiptDay(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "UTC"
        cls.customer = cls.env["res.partner"].create({"name": "上海客户", "tz": "Asia/Shanghai"})
        cls.rep = new_test_user(
            cls.env, login="receipt_day_rep", groups="sales_team.group_sale_salesman", tz="UTC"
        )
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.customer.id, "user_id": cls.rep.id}
        )
        cls.public = cls.env.ref("base.public_user")

    def test_the_one_clock_gives_the_day_of_a_timezone_now_or_of_a_moment(self):
        Company = self.env["res.company"]
        with freeze_time(AFTER):
            self.assertEqual(Company._sales_day("Asia/Shanghai"), date(2027, 1, 6))
            self.assertEqual(Company._sales_day("UTC"), date(2027, 1, 5))
            self.assertEqual(Company._sales_day(False), date(2027, 1, 5), "no timezone: UTC")
            self.assertEqual(Company._sales_day("Mars/Olympus"), date(2027, 1, 5), "unknown")
        self.assertEqual(Company._sales_day("Asia/Shanghai", BEFORE), date(2027, 1, 5))
        self.assertEqual(Company._sales_day("Asia/Shanghai", AFTER), date(2027, 1, 6))

    def test_the_company_and_the_person_read_the_same_clock(self):
        self.env.company.partner_id.tz = "Asia/Shanghai"
        for moment, day in ((BEFORE, date(2027, 1, 5)), (AFTER, date(2027, 1, 6))):
            with self.subTest(moment=moment), freeze_time(moment):
                self.assertEqual(self.env.company._sales_today(), day)
                # a person without a timezone sees the company's day
                self.rep.tz = False
                self.assertEqual(self.rep._sales_person_today(), day)
                self.rep.tz = "UTC"
                self.assertEqual(self.rep._sales_person_today(), date(2027, 1, 5))

    def test_a_customer_confirming_through_the_link_is_on_their_own_day(self):
        public_order = self.order.with_user(self.public)
        with freeze_time(BEFORE):
            self.assertEqual(public_order._receipt_today(), date(2027, 1, 5))
        with freeze_time(AFTER):
            self.assertEqual(public_order._receipt_today(), date(2027, 1, 6))
            # the rep confirming for them is on the rep's day
            self.assertEqual(self.order.with_user(self.rep)._receipt_today(), date(2027, 1, 5))
            # nobody's timezone known: the company's day
            self.customer.tz = False
            self.env.company.partner_id.tz = "Asia/Shanghai"
            self.assertEqual(public_order._receipt_today(), date(2027, 1, 6))
