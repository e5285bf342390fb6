"""The first look at the demo (issue #17): "My day" and the digest tell the deals to close this
week from those whose expected close has passed; the overdue analysis lists its age buckets
in age order; the collection rate shows no rate where nothing has fallen due."""

from datetime import timedelta

from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .common import CollectionCase, MyDayCase


def sections_of(day):
    return {section["name"]: section for section in day["sections"]}


@tagged("post_install", "-at_install")
class TestClosingThisWeekOrPassed(MyDayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        week_end = cls.today + timedelta(days=6 - cls.today.weekday())
        cls.this_week = cls.make_lead(
            cls.rep, cls.stage_bidding, "Closing today", date_deadline=cls.today
        )
        cls.passed = cls.make_lead(
            cls.rep, cls.stage_bidding, "Closing passed", date_deadline=cls.today - timedelta(1)
        )
        cls.months_ago = cls.make_lead(
            cls.rep_2,
            cls.stage_potential,
            "Closing months ago",
            date_deadline=cls.today - timedelta(days=120),
        )
        cls.next_week = cls.make_lead(
            cls.rep, cls.stage_bidding, "Closing next week", date_deadline=week_end + timedelta(1)
        )

    def day_of(self, user):
        return self.env["sales.assistant.day"].with_user(user).get_my_day()

    def test_a_rep_sees_this_weeks_deals_apart_from_those_already_passed(self):
        sections = sections_of(self.day_of(self.rep))
        week = sections["closing"]
        passed = sections["closing_passed"]
        self.assertEqual([e["id"] for e in week["records"]], [self.this_week.id])
        self.assertFalse(week["records"][0]["late"])
        self.assertEqual([e["id"] for e in passed["records"]], [self.passed.id])
        self.assertTrue(passed["records"][0]["late"])
        self.assertEqual(passed["title"], "Expected Close Already Passed")
        self.assertNotIn(self.next_week.id, [e["id"] for e in week["records"]])
        # "See all" opens the same split
        for section, expected in ((week, self.this_week), (passed, self.passed)):
            listed = self.env["crm.lead"].with_user(self.rep).search(section["action"]["domain"])
            self.assertEqual(listed, expected)

    def test_a_leader_sees_the_teams_passed_deals_apart(self):
        sections = sections_of(self.day_of(self.leader))
        self.assertEqual(
            [e["id"] for e in sections["closing_passed"]["records"]],
            [self.months_ago.id, self.passed.id],
        )
        self.assertEqual([e["id"] for e in sections["closing"]["records"]], [self.this_week.id])

    def test_the_digest_splits_them_as_well(self):
        self.rep.email = "rep.wang@example.com"
        Digest = self.env["sales.assistant.digest"]
        data = self.env["sales.assistant.day"]._my_day_data(self.rep)
        Digest._deliver(self.rep, data, self.rep._sales_digest_chats())
        mail = self.env["mail.mail"].search([("email_to", "ilike", "rep.wang@example.com")])
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        self.assertIn("Opportunities to Close This Week", body)
        self.assertIn("Expected Close Already Passed", body)
        week, passed = body.index("Close This Week"), body.index("Already Passed")
        self.assertLess(week, passed)
        self.assertIn("Closing today", body[week:passed])
        self.assertNotIn("Closing passed", body[week:passed])
        self.assertIn("Closing passed", body[passed:])
        self.assertNotIn("Closing today", body[passed:])

    def test_the_split_reads_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_assistant"], ["zh_CN"])
        self.rep.lang = "zh_CN"
        sections = sections_of(self.day_of(self.rep))
        self.assertEqual(sections["closing"]["title"], "本周预计成交的商机")
        self.assertEqual(sections["closing_passed"]["title"], "预计成交日期已过的商机")


@tagged("post_install", "-at_install")
class TestOverdueBucketsInAgeOrder(CollectionCase):
    def test_age_buckets_come_in_age_order_in_every_view(self):
        Report = self.env["sales.collection.overdue.report"]
        days = {"not_due": -5, "1_30": 10, "31_60": 45, "61_90": 75, "over_90": 120}
        for _bucket, age in sorted(days.items()):  # made in alphabetical order of the keys
            order = self.make_order(amount=1000)
            plan = order.collection_plan_ids
            plan.write(
                {
                    "installment_ids": [
                        Command.update(i.id, {"date_due": self.today - timedelta(days=age)})
                        for i in plan.installment_ids
                    ]
                }
            )
        expected = ["not_due", "1_30", "31_60", "61_90", "over_90"]
        domain = [("user_id", "=", self.rep.id)]
        # the pivot and the graph (read_group, not lazy and lazy), the list's groups
        groups = Report.with_user(self.rep).read_group(
            domain, ["amount_residual:sum"], ["age_bucket"], lazy=False
        )
        self.assertEqual([g["age_bucket"] for g in groups], expected)
        groups = Report.with_user(self.rep).read_group(
            domain, ["amount_residual:sum"], ["user_id", "age_bucket"], lazy=False
        )
        self.assertEqual([g["age_bucket"] for g in groups], expected)
        lazy = Report.with_user(self.rep).read_group(
            domain, ["amount_residual:sum"], ["age_bucket"]
        )
        self.assertEqual([g["age_bucket"] for g in lazy], expected)
        # a list sorted on the age column
        rows = Report.with_user(self.rep).search(domain, order="age_bucket")
        self.assertEqual(list(dict.fromkeys(rows.mapped("age_bucket"))), expected)
        rows = Report.with_user(self.rep).search(domain, order="age_bucket desc")
        self.assertEqual(list(dict.fromkeys(rows.mapped("age_bucket"))), expected[::-1])


@tagged("post_install", "-at_install")
class TestCollectionRateWhereNothingFellDue(CollectionCase):
    def test_no_rate_where_nothing_fell_due_and_the_pivot_shows_a_dash(self):
        order = self.make_order(amount=1000)
        plan = order.collection_plan_ids
        later = self.today + timedelta(days=400)
        plan.write(
            {
                "installment_ids": [
                    Command.update(i.id, {"date_due": later}) for i in plan.installment_ids
                ]
            }
        )
        self.pay(self.invoice(order), amount=300)  # paid early: collected, nothing fell due
        Rate = self.env["sales.collection.rate.report"].with_user(self.rep)
        [group] = Rate.read_group(
            [("user_id", "=", self.rep.id), ("date", "<", later)],
            ["amount_due:sum", "amount_collected:sum", "collection_rate:sum"],
            [],
            lazy=False,
        )
        self.assertAlmostEqual(group["amount_collected"], 300)
        self.assertFalse(group["amount_due"])
        self.assertFalse(group["collection_rate"], "no rate, not 0% nor a division by zero")
        # the pivot formats that missing rate as "—" (the collection_rate formatter)
        arch = Rate.get_views([(False, "pivot")])["views"]["pivot"]["arch"]
        [measure] = etree.fromstring(arch).xpath("//field[@name='collection_rate']")
        self.assertEqual(measure.get("widget"), "collection_rate")
