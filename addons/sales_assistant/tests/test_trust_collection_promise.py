from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestTrustCollectionPromise(CollectionCase):
    """A promise to pay cannot silence the reminders: it covers at least what is overdue,
    falls within the company's horizon unless the team leader approves it, and never holds
    an escalation nor the level after a broken promise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.make_order(amount=1000)
        cls.plan = cls.order.collection_plan_ids
        cls.first, cls.second = cls.plan.installment_ids.sorted("date_due")
        # the first installment (300) is 40 days overdue: due for escalation
        cls.first.date_due = cls.today - timedelta(days=40)
        cls.Promise = cls.env["sales.collection.promise"]

    def promise(self, user=None, **vals):
        return self.Promise.with_user(user or self.rep).create(
            {
                "plan_id": self.plan.id,
                "installment_id": self.first.id,
                "date_promised": self.today + timedelta(days=10),
                "amount": 300,
                "promised_by": "财务 王经理",
                **vals,
            }
        )

    def reminders_sent(self, days=0):
        self.run_cron(days=days)
        return self.plan.reminder_ids.filtered(lambda r: r.installment_id == self.first)

    def test_a_rep_cannot_promise_a_cent_on_an_overdue_installment(self):
        self.assertEqual(self.first.state, "overdue")
        with self.assertRaises(ValidationError) as error:
            self.promise(amount=0.01, date_promised=self.today + timedelta(days=5))
        self.assertIn("at least what is overdue", str(error.exception))
        with self.assertRaises(ValidationError):
            self.promise(amount=0.01, installment_id=False)
        self.assertFalse(self.plan.promise_ids)
        promise = self.promise(amount=300)
        with self.assertRaises(ValidationError):
            promise.with_user(self.rep).write({"amount": 0.01})
        self.assertEqual(promise.amount, 300)

    def test_a_promise_for_2099_waits_for_the_team_leader_and_holds_nothing_meanwhile(self):
        promise = self.promise(date_promised=self.today.replace(year=2099, month=12, day=31))
        self.assertTrue(promise.needs_approval)
        self.assertFalse(promise.approved_by_id)
        self.assertTrue(
            self.plan.activity_ids.filtered(lambda a: a.user_id == self.leader),
            "the team leader is asked",
        )
        self.assertTrue(self.reminders_sent(), "an unapproved promise holds no reminder")
        # the rep cannot approve their own promise, nor clear the flag by hand
        with self.assertRaises(AccessError):
            promise.with_user(self.rep).action_approve()
        with self.assertRaises(UserError):
            promise.with_user(self.rep).write({"needs_approval": False})
        with self.assertRaises(UserError):
            promise.with_user(self.rep).write({"approved_by_id": self.leader.id})
        self.assertFalse(promise.approved_by_id)
        promise.with_user(self.leader).action_approve()
        self.assertEqual(promise.approved_by_id, self.leader)

    def test_a_rep_cannot_create_a_promise_already_approved(self):
        with self.assertRaises(UserError):
            self.promise(date_promised=self.today + timedelta(days=200), approved_by_id=self.rep.id)
        with self.assertRaises(UserError):
            self.promise(date_promised=self.today + timedelta(days=200), needs_approval=False)
        self.assertFalse(self.plan.promise_ids)

    def test_moving_an_approved_promise_past_the_horizon_asks_again(self):
        promise = self.promise(date_promised=self.today + timedelta(days=60))
        promise.with_user(self.leader).action_approve()
        promise.with_user(self.rep).write({"date_promised": self.today + timedelta(days=90)})
        self.assertTrue(promise.needs_approval)
        self.assertFalse(promise.approved_by_id)

    def test_the_horizon_is_a_company_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.collection_promise_horizon_days, 30)
        settings.collection_promise_horizon_days = 60
        settings.execute()
        self.assertEqual(self.company.collection_promise_horizon_days, 60)
        self.assertFalse(self.promise(date_promised=self.today + timedelta(days=45)).needs_approval)
        with self.assertRaises(ValidationError):
            self.company.collection_promise_horizon_days = -1

    def test_escalation_to_finance_never_waits_on_a_promise(self):
        self.promise()  # within the horizon, the whole overdue amount: a fair promise
        reminders = self.reminders_sent()
        self.assertTrue(reminders.escalated, "the 30 days level escalates all the same")
        users = self.plan.activity_ids.mapped("user_id")
        self.assertIn(self.finance, users)
        self.assertIn(self.leader, users)

    def test_a_fair_promise_holds_the_plain_reminders(self):
        self.first.date_due = self.today - timedelta(days=8)  # 7 days level, no escalation
        self.promise()
        self.assertFalse(self.reminders_sent())

    def test_a_broken_promise_never_holds_back_the_next_level(self):
        self.first.date_due = self.today - timedelta(days=2)
        promise = self.promise(date_promised=self.today + timedelta(days=1))
        self.run_cron(days=3)
        self.assertEqual(promise.state, "broken")
        # a fresh promise after the broken one: the 7 days level goes out all the same
        self.Promise.with_user(self.rep).create(
            {
                "plan_id": self.plan.id,
                "installment_id": self.first.id,
                "date_promised": self.today + timedelta(days=20),
                "amount": 300,
                "promised_by": "财务 王经理",
            }
        )
        reminders = self.reminders_sent(days=6)  # 8 days overdue
        self.assertIn(
            self.env.ref("sales_assistant.collection_reminder_level_overdue_7"),
            reminders.level_id,
        )
