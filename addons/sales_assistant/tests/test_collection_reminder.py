from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestCollectionReminder(CollectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.make_order(amount=1000)
        cls.plan = cls.order.collection_plan_ids
        cls.first, cls.second = cls.plan.installment_ids.sorted("date_due")
        cls.level_due = cls.env.ref("sales_assistant.collection_reminder_level_due")
        cls.level_15 = cls.env.ref("sales_assistant.collection_reminder_level_overdue_15")

    def mails(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "sales.collection.installment"),
                ("res_id", "in", self.plan.installment_ids.ids),
            ]
        )

    def test_reminder_on_the_due_date_mails_the_customer_and_tells_the_rep(self):
        self.run_cron()
        reminder = self.plan.reminder_ids
        self.assertEqual(reminder.installment_id, self.first)
        self.assertEqual(reminder.level_id, self.level_due)
        mail = self.mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(self.order.name, mail.subject)
        activity = self.plan.activity_ids
        self.assertEqual(activity.user_id, self.rep)

    def test_second_run_the_same_day_sends_and_creates_nothing(self):
        self.assertEqual(self.run_cron(days=28), 2)
        counts = (
            len(self.plan.reminder_ids),
            len(self.mails()),
            len(self.plan.activity_ids),
        )
        self.assertEqual(self.run_cron(days=28), 0)
        self.assertEqual(
            (len(self.plan.reminder_ids), len(self.mails()), len(self.plan.activity_ids)), counts
        )

    def test_only_the_highest_level_reached_is_sent_and_escalates(self):
        self.run_cron(days=28)  # first installment 28 days overdue, second due in 2 days
        first_levels = self.plan.reminder_ids.filtered(lambda r: r.installment_id == self.first)
        self.assertEqual(first_levels.level_id, self.level_15)
        self.assertTrue(first_levels.escalated)
        users = self.plan.activity_ids.mapped("user_id")
        self.assertEqual(users, self.rep | self.leader | self.finance)

    def test_paid_installments_and_do_not_remind_customers_are_left_alone(self):
        self.pay(self.invoice(self.order), amount=300)
        self.customer.write(
            {"collection_no_remind": True, "collection_no_remind_reason": "律师函处理中"}
        )
        self.assertEqual(self.run_cron(days=31), 0)
        self.assertFalse(self.plan.reminder_ids)
        self.customer.collection_no_remind = False
        self.run_cron(days=31)
        self.assertEqual(self.plan.reminder_ids.installment_id, self.second)

    def test_do_not_remind_needs_a_reason(self):
        with self.assertRaises(ValidationError):
            self.customer.with_user(self.rep).write({"collection_no_remind": True})
        self.assertFalse(self.customer.collection_no_remind)

    def test_reminder_level_without_template_is_refused(self):
        Level = self.env["sales.collection.reminder.level"]
        with self.assertRaises(ValidationError) as error:
            Level.create({"name": "+60", "days": 60})
        self.assertIn("needs an email template", str(error.exception))
        self.assertFalse(Level.search([("days", "=", 60)]))
        with self.assertRaises(ValidationError):
            self.level_due.template_id = False
        self.assertTrue(self.level_due.template_id)

    def test_open_promise_holds_the_reminders(self):
        from datetime import timedelta  # noqa: PLC0415

        self.env["sales.collection.promise"].create(
            {
                "plan_id": self.plan.id,
                "date_promised": self.today + timedelta(days=20),
                "amount": 300,
                "promised_by": "Li",
            }
        )
        self.assertEqual(self.run_cron(days=7), 0)

    def test_reminder_is_written_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_assistant"], ["zh_CN"], overwrite=True
        )
        self.customer.lang = "zh_CN"
        self.rep.lang = "zh_CN"  # the activity speaks the rep's language
        self.run_cron()
        mail = self.mails()
        self.assertIn("款项到期", mail.subject)
        self.assertIn("尊敬的", mail.body_html)
        self.assertIn("到期当天", self.plan.activity_ids.summary)

    def test_reminder_queries_do_not_grow_with_installments(self):
        """One rep's reminders of the day cost the same queries for 1 or 5 installments."""
        Reminder = self.env["sales.collection.reminder"]
        today = self.days(0)

        def send(count):
            for i in range(count):
                self.make_order(amount=1000 + i)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            sent, __ = Reminder._collection_send_batch(today, 500)
            self.env.flush_all()
            return sent, self.env.cr.sql_log_count - before

        send(0)  # warm up: the plan of setUpClass
        sent_one, one = send(1)
        sent_five, five = send(5)
        self.assertEqual((sent_one, sent_five), (1, 5))
        self.assertEqual(one, five)

    def test_the_scheduled_action_runs_once_a_day(self):
        cron = self.env.ref("sales_assistant.ir_cron_collection")
        cron.method_direct_trigger()
        self.assertEqual(self.plan.reminder_ids.level_id, self.level_due)
        self.assertEqual(len(self.mails()), 1)
        cron.method_direct_trigger()
        self.assertEqual(len(self.plan.reminder_ids), 1)
        self.assertEqual(len(self.mails()), 1)
        self.assertEqual(len(self.plan.activity_ids), 1)
