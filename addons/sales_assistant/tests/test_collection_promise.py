from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestCollectionPromise(CollectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.make_order(amount=1000)
        cls.plan = cls.order.collection_plan_ids
        cls.Promise = cls.env["sales.collection.promise"]

    def promise(self, user=None, **vals):
        return self.Promise.with_user(user or self.rep).create(
            {
                "plan_id": self.plan.id,
                "date_promised": self.today + timedelta(days=5),
                "amount": 300,
                "promised_by": "财务 王经理",
                **vals,
            }
        )

    def test_rep_records_a_promise_kept_by_the_payment(self):
        promise = self.promise()
        self.assertEqual(promise.state, "open")
        self.assertEqual(promise.recorded_by_id, self.rep)
        self.assertIn("王经理", self.plan.message_ids[0].body)
        invoice = self.invoice(self.order)
        self.pay(invoice, amount=200)
        self.assertEqual(promise.state, "open", "200 of 300 paid: not kept yet")
        self.pay(invoice, amount=100)
        self.assertEqual(promise.state, "kept")

    def test_promise_dated_in_the_past_is_refused(self):
        with self.assertRaises(ValidationError) as error:
            self.promise(date_promised=self.today - timedelta(days=1))
        self.assertIn("past", str(error.exception))
        self.assertFalse(self.plan.promise_ids)

    def test_promise_above_what_is_due_is_refused(self):
        with self.assertRaises(ValidationError) as error:
            self.promise(amount=1000.01)
        self.assertIn("still due", str(error.exception))
        installment = self.plan.installment_ids.sorted("date_due")[0]
        with self.assertRaises(ValidationError):
            self.promise(amount=301, installment_id=installment.id)
        with self.assertRaises(ValidationError):
            self.promise(amount=0)
        self.assertFalse(self.plan.promise_ids)

    def test_broken_promise_escalates_to_the_team_leader_once(self):
        promise = self.promise()
        self.run_cron(days=6)
        self.assertEqual(promise.state, "broken")
        leader = self.rep._sales_team_leader(self.company)
        self.assertEqual(leader, self.leader)
        activities = self.plan.activity_ids.filtered(lambda a: a.user_id == self.leader)
        self.assertEqual(len(activities), 1)
        self.assertIn("Broken promise", activities.summary)
        self.run_cron(days=6)
        self.assertEqual(
            len(self.plan.activity_ids.filtered(lambda a: a.user_id == self.leader)), 1
        )

    def test_promise_state_and_author_are_not_written_by_hand(self):
        promise = self.promise()
        for vals in ({"state": "kept"}, {"recorded_by_id": self.other_rep.id}):
            with self.assertRaises(UserError):
                promise.with_user(self.rep).write(vals)
        with self.assertRaises(UserError):
            self.promise(state="kept")
        self.assertEqual(promise.state, "open")
        self.assertEqual(promise.recorded_by_id, self.rep)
