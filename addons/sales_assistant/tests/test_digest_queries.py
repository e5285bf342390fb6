from datetime import datetime
from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from .common import MyDayCase


@tagged("post_install", "-at_install")
class TestDigestQueries(MyDayCase):
    """The morning digest reads My day for a whole batch of people at once: its My day
    queries do not grow with the people (issue #23)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("sales_assistant.digest_hour", 0)
        cls.env["ir.config_parameter"].set_param("sales_assistant.digest_enabled", "True")
        cls.people = cls.env["res.users"]
        for i in range(8):
            person = new_test_user(
                cls.env,
                login=f"digest_rep_{i}",
                groups="sales_team.group_sale_salesman",
                name=f"Digest Rep {i}",
                email=f"digest.rep.{i}@example.com",
                tz="UTC",
            )
            lead = cls.make_lead(person, cls.stage_bidding, f"Pump order {i}")
            cls.make_activity(lead, person, cls.call_type, days=-1, summary="Call back")
            cls.people |= person
        cls.Digest = cls.env["sales.assistant.digest"]
        cls.people._sales_digest_chats()  # their chats with OdooBot opened

    def setUp(self):
        super().setUp()
        for person in self.people:  # rights cached, as on a live server
            self.env["sales.assistant.day"]._my_day_data(person)

    def queries_to_send(self, people, now):
        original = type(self.Digest)._digest_due

        def _digest_due(model, now=None):
            return [due for due in original(model, now) if due[0] in people.ids]

        self.env.invalidate_all()
        with patch.object(type(self.Digest), "_digest_due", _digest_due):
            before = self.cr.sql_log_count
            sent = self.Digest._send_digests(batch_size=50, now=now)
            queries = self.cr.sql_log_count - before
        self.assertEqual(sent, len(people))
        return queries

    def my_day_queries(self, people):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        days = self.env["sales.assistant.day"]._my_day_data_many(people)
        queries = self.cr.sql_log_count - before
        for person in people:  # the same day as the screen's, read as the person
            self.assertEqual(days[person.id], self.env["sales.assistant.day"]._my_day_data(person))
        return queries

    def test_my_day_of_many_people_is_read_in_queries_per_section(self):
        """My day for the digest: one query per section for the whole batch; what remains
        per person is Odoo's own access check of activities (a query per activity section)."""
        self.my_day_queries(self.people[6:])
        two = self.my_day_queries(self.people[:2])
        four = self.my_day_queries(self.people[2:6])
        self.assertLessEqual(four - two, 2 * 8, f"2 people: {two} queries, 4 people: {four}")

    def test_a_batch_of_four_people_costs_what_a_batch_of_two_does_to_deliver(self):
        """Issue #23 §2: the e-mails, the chat messages and the counts of a batch are written
        together, whatever the number of people."""
        now = datetime(2026, 3, 3, 9, 0)
        Digest = type(self.Digest)
        original = Digest._record_and_deliver
        delivered = []

        def _record_and_deliver(digests, chats, days):
            before = self.cr.sql_log_count
            original(digests, chats, days)
            delivered.append(self.cr.sql_log_count - before)

        with patch.object(Digest, "_record_and_deliver", _record_and_deliver):
            self.queries_to_send(self.people[6:], now)  # the first batch warms the caches
            two = self.queries_to_send(self.people[:2], now)
            four = self.queries_to_send(self.people[2:6], now)
        digests = self.Digest.search([("user_id", "in", self.people.ids)])
        self.assertEqual(len(digests), 8)
        self.assertTrue(all(digests.mapped("sent")))
        self.assertEqual(set(digests.mapped("item_count")), {2})
        self.assertEqual(
            len(self.env["mail.mail"].search([("email_to", "ilike", "digest.rep.")])), 8
        )
        self.assertEqual(delivered[1], delivered[2], f"delivering 2 then 4 people: {delivered}")
        # 36 queries a person before the delivery was batched; what remains per person is My
        # day's: Odoo's access check of activities (4 sections), the cadence of a lead shown
        self.assertLessEqual((four - two) / 2, 8, f"2 people: {two} queries, 4 people: {four}")
