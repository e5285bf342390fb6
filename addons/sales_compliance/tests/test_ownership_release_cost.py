from odoo import Command
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestOwnershipReleaseCost(ComplianceCase):
    """The release job's queries grow with its batches, never with the customers: the
    owners are told and the customers released in a constant number of queries, and
    each owner still reads the notice in the customer's chatter, by e-mail or in the
    inbox as they chose, and each release is logged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        param = cls.env["ir.config_parameter"].sudo()
        for key, value in (
            ("claim_cap", 0),
            ("protection_days", 30),
            ("release_days", 90),
            ("release_notice_days", 7),
            ("reclaim_cooldown_days", 0),
        ):
            param.set_param(f"sales_compliance.{key}", value)
        cls.rep.notification_type = "email"
        cls.rep2.notification_type = "inbox"
        cls.Partner = cls.env["res.partner"]

    def _stale_customers(self, count):
        """``count`` customers of the two reps, each with a contact, untouched for 88
        days (due for the notice, not yet for the release)."""
        customers = self.Partner.create(
            [
                {
                    "name": f"Quiet Customer {count}-{i}",
                    "is_company": True,
                    "user_id": (self.rep, self.rep2)[i % 2].id,
                    "child_ids": [Command.create({"name": f"Buyer {count}-{i}"})],
                }
                for i in range(count)
            ]
        )
        self._age(customers | customers.child_ids, 88)
        return customers

    def _age(self, partners, days):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = now() - make_interval(days => %s),"
            " compliance_protection_end = NULL WHERE id = ANY(%s)",
            [days, partners.ids],
        )
        self.env.cr.execute(
            "UPDATE sales_compliance_ownership_log SET date = now() - make_interval(days => %s)"
            " WHERE partner_id = ANY(%s)",
            [days, partners.ids],
        )
        self.env.invalidate_all()

    def _measured(self, step, customers):
        """(done, queries) of one batch of ``step`` on ``customers``."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        done, _remaining = step(partner_ids=customers.ids)
        self.env.flush_all()
        return done, self.env.cr.sql_log_count - before

    def _tell_and_release(self, customers):
        told = self._measured(self.Partner._compliance_notice_batch, customers)
        self._age(customers | customers.child_ids, 91)
        released = self._measured(self.Partner._compliance_release_batch, customers)
        return told, released

    def test_telling_and_releasing_three_times_the_customers_costs_the_same_queries(self):
        self._tell_and_release(self._stale_customers(2))  # warm up: templates, caches
        few = self._stale_customers(2)
        many = self._stale_customers(6)
        (told_few, notice_few), (released_few, release_few) = self._tell_and_release(few)
        (told_many, notice_many), (released_many, release_many) = self._tell_and_release(many)
        self.assertEqual((told_few, released_few, told_many, released_many), (2, 2, 6, 6))
        self.assertEqual(notice_many, notice_few)
        self.assertEqual(release_many, release_few)

    def test_each_owner_is_told_as_they_chose_and_each_release_is_logged(self):
        customers = self._stale_customers(2)
        by_email, by_inbox = customers
        self._tell_and_release(customers)
        for customer, owner in ((by_email, self.rep), (by_inbox, self.rep2)):
            notice = self.env["mail.message"].search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", customer.id),
                    ("body", "ilike", "goes back to the public pool within 7 days"),
                ]
            )
            self.assertEqual(len(notice), 1)
            self.assertIn(owner.name, notice.body)
            self.assertEqual(notice.partner_ids, owner.partner_id)
            self.assertEqual(notice.notification_ids.res_partner_id, owner.partner_id)
            log = self.env["sales.compliance.ownership.log"].search(
                [("partner_id", "=", customer.id), ("reason", "=", "auto_release")]
            )
            self.assertEqual(log.old_user_id, owner)
            self.assertFalse(customer.user_id)
            self.assertTrue(customer.compliance_in_pool)
        mail = self.env["mail.mail"].search([("mail_message_id.res_id", "=", by_email.id)])
        self.assertEqual(mail.recipient_ids, self.rep.partner_id)
        self.assertIn("goes back to the public pool", mail.body_html)
        self.assertEqual(mail.subject, by_email.name)
        inbox = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.rep2.partner_id.id),
                ("mail_message_id.res_id", "=", by_inbox.id),
            ]
        )
        self.assertEqual((inbox.notification_type, inbox.is_read), ("inbox", False))
        self.assertFalse(
            self.env["mail.mail"].search([("mail_message_id.res_id", "=", by_inbox.id)])
        )
