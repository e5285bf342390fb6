from datetime import timedelta

from freezegun import freeze_time

from .common_complaint import ComplaintCase


class TestComplaintMyDay(ComplaintCase):
    def section(self, user, name):
        data = self.env["sales.assistant.day"]._my_day_data(user)
        return next((s for s in data["sections"] if s["name"] == name), None)

    def test_a_rep_sees_the_open_complaints_of_their_customers(self):
        open_one = self.file(subject="Valve leaks")
        closed = self.file(subject="Scratch")
        closed.with_user(self.desk)._close("Polished", "repair", "4")
        section = self.section(self.rep, "complaints")
        self.assertEqual(section["count"], 1)
        self.assertEqual(section["records"][0]["id"], open_one.id)
        self.assertIn("Valve leaks", section["records"][0]["name"])

    def test_a_leader_sees_the_teams_open_complaints(self):
        mate_customer = self.env["res.partner"].create({"name": "Mate's", "user_id": self.mate.id})
        self.file()
        self.file(user=self.mate, order=self.make_order(self.mate, customer=mate_customer))
        self.assertEqual(self.section(self.leader, "complaints")["count"], 2)
        self.assertEqual(self.section(self.rep, "complaints")["count"], 1)

    def test_the_desk_queue_lists_their_own_and_unassigned_complaints_overdue_first(self):
        now = self.env.cr.now()
        with freeze_time(now - timedelta(days=10)):
            overdue = self.file(subject="Old one")
        recent = self.file(subject="New one")
        unassigned = self.file(self.desk, subject="Nobody's", owner_id=False)
        someone_elses = self.file(self.desk, subject="Leader's", owner_id=self.leader.id)
        section = self.section(self.desk, "complaint_queue")
        ids = [entry["id"] for entry in section["records"]]
        self.assertEqual(ids[0], overdue.id)
        self.assertTrue(section["records"][0]["late"])
        self.assertEqual(set(ids), {overdue.id, recent.id, unassigned.id})
        self.assertNotIn(someone_elses.id, ids)

    def test_a_rep_has_no_desk_queue(self):
        self.assertIsNone(self.section(self.rep, "complaint_queue"))

    def test_the_sections_cost_the_same_queries_for_few_or_more_complaints(self):
        Day = self.env["sales.assistant.day"]
        members = self.leader._sales_self_and_team_members()

        def cost(user, section, users):
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            getattr(Day.with_user(user), section)(users, self.today)
            return self.cr.sql_log_count - queries

        self.file()
        cost(self.leader, "_my_day_section_complaints", members)  # caches warm
        cost(self.desk, "_my_day_section_complaint_queue", self.desk)
        few = (
            cost(self.leader, "_my_day_section_complaints", members),
            cost(self.desk, "_my_day_section_complaint_queue", self.desk),
        )
        for _i in range(4):
            self.file()
        more = (
            cost(self.leader, "_my_day_section_complaints", members),
            cost(self.desk, "_my_day_section_complaint_queue", self.desk),
        )
        self.assertTrue(all(few))
        self.assertEqual(few, more)
