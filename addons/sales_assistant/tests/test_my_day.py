from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MyDayCase


def sections_of(day):
    return {section["name"]: section for section in day["sections"]}


@tagged("post_install", "-at_install")
class TestMyDay(MyDayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.make_lead(
            cls.rep,
            cls.stage_bidding,
            "Valve retrofit",
            date_deadline=cls.today + timedelta(days=0),
        )
        cls.lead_2 = cls.make_lead(cls.rep_2, cls.stage_potential, "Pump line")
        cls.lead_other = cls.make_lead(
            cls.other_rep, cls.stage_bidding, "Boiler", date_deadline=cls.today
        )
        cls.overdue = cls.make_activity(
            cls.lead, cls.rep, cls.call_type, days=-2, summary="Call back"
        )
        cls.due_today = cls.make_activity(cls.customer, cls.rep, cls.call_type, days=0)
        cls.future = cls.make_activity(cls.lead, cls.rep, cls.call_type, days=3)
        cls.visit_due = cls.make_activity(cls.lead, cls.rep, days=-1, summary="Site visit")
        cls.visit_later = cls.make_activity(cls.lead, cls.rep, days=4)
        cls.colleague_call = cls.make_activity(cls.lead_2, cls.rep_2, cls.call_type, days=-1)
        cls.other_call = cls.make_activity(cls.lead_other, cls.other_rep, cls.call_type, days=0)

    def day_of(self, user):
        return self.env["sales.assistant.day"].with_user(user).get_my_day()

    def test_rep_sees_their_own_day(self):
        day = self.day_of(self.rep)
        self.assertEqual(day["user"], "Rep Wang")
        self.assertEqual(day["team_size"], 0)
        sections = sections_of(day)
        activities = sections["activities"]
        self.assertEqual(activities["count"], 2)
        self.assertEqual(
            [(e["model"], e["id"], e["late"]) for e in activities["records"]],
            [("crm.lead", self.lead.id, True), ("res.partner", self.customer.id, False)],
        )
        self.assertIn("Call back", activities["records"][0]["detail"])
        visits = sections["visits"]
        self.assertEqual([e["id"] for e in visits["records"]], [self.lead.id])
        self.assertEqual(visits["count"], 1)
        behind = sections["visits_behind"]
        self.assertEqual(
            [(e["model"], e["id"]) for e in behind["records"]], [("crm.lead", self.lead.id)]
        )
        self.assertIn("2 of 2 visits missing", behind["records"][0]["detail"])
        closing = sections["closing"]
        self.assertEqual([e["id"] for e in closing["records"]], [self.lead.id])
        # "See all" opens the same list, filtered for the rep
        listed = (
            self.env[activities["action"]["res_model"]]
            .with_user(self.rep)
            .search(activities["action"]["domain"])
        )
        self.assertEqual(listed, self.overdue | self.due_today)
        self.assertEqual(day["count"], sum(s["count"] for s in day["sections"]))

    def test_team_leader_sees_their_team(self):
        day = self.day_of(self.leader)
        self.assertEqual(day["team_size"], 2)
        sections = sections_of(day)
        activity_ids = {(e["model"], e["id"]) for e in sections["activities"]["records"]}
        self.assertEqual(
            activity_ids,
            {
                ("crm.lead", self.lead.id),
                ("res.partner", self.customer.id),
                ("crm.lead", self.lead_2.id),
            },
            "the other team's activity is not the leader's business, though they may read it",
        )
        behind = {e["id"]: e["user"] for e in sections["visits_behind"]["records"]}
        self.assertEqual(behind, {self.lead.id: "Rep Wang", self.lead_2.id: "Rep Zhao"})
        self.assertNotIn(self.lead_other.id, [e["id"] for e in sections["closing"]["records"]])

    def test_approvals_and_targets_sections_follow_the_rights(self):
        day = sections_of(self.day_of(self.rep))
        self.assertEqual(day["approvals"]["count"], 0)
        self.assertIn("targets", day)
        user = new_test_user(self.env, login="myday_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.day_of(user)

    def test_sections_are_an_extension_point(self):
        """One method ``_my_day_section_<name>`` adds a section, and gets the team."""
        seen = []

        def _my_day_section_deliveries(self, users, today):
            seen.append(users)
            return {
                "title": "Late deliveries",
                "sequence": 15,
                "icon": "fa-truck",
                "count": 0,
                "note": None,
                "records": [],
                "action": {},
            }

        Day = type(self.env["sales.assistant.day"])
        with patch.object(
            Day, "_my_day_section_deliveries", _my_day_section_deliveries, create=True
        ):
            day = self.day_of(self.leader)
        names = [section["name"] for section in day["sections"]]
        self.assertEqual(names[:3], ["activities", "deliveries", "visits"])
        self.assertEqual(seen, [self.leader | self.rep | self.rep_2])

    def test_query_count_does_not_grow_with_records(self):
        """ "My day" reads each section in a constant number of queries: the same with a
        few records per section and with many, for a rep and for their team leader."""
        Day = self.env["sales.assistant.day"]

        def add_records(user, count):
            for i in range(count):
                lead = self.make_lead(
                    user, self.stage_negotiation, f"More {i}", date_deadline=self.today
                )
                self.make_activity(lead, user, self.call_type, days=-1)
                self.make_activity(self.customer, user, self.call_type, days=0)
                self.make_activity(lead, user, days=-1)

        def queries(user):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Day.with_user(user).get_my_day()
            return self.cr.sql_log_count - before

        add_records(self.rep, 5)  # every section holds more than it shows
        for user in (self.rep, self.leader):
            queries(user)  # warm the caches of rights and translations
        few = {user.login: queries(user) for user in (self.rep, self.leader)}
        add_records(self.rep_2, 10)
        many = {user.login: queries(user) for user in (self.rep, self.leader)}
        self.assertEqual(few, many)
        # about 2 queries a section (17 sections); a leader of 20 reps: 40 at most (issue #23)
        self.assertLessEqual(max(many.values()), 40)
        day = Day.with_user(self.leader).get_my_day()
        self.assertEqual(sections_of(day)["activities"]["count"], 3 + 10 + 20)


@tagged("post_install", "-at_install")
class TestMyDayRpc(HttpCase):
    def test_day_of_the_caller_whatever_the_client_sends(self):
        rep = new_test_user(
            self.env,
            login="myday_rpc_rep",
            password="myday_rpc_rep_pw",
            groups="sales_team.group_sale_salesman",
            name="RPC Rep",
        )
        boss = new_test_user(
            self.env, login="myday_rpc_boss", groups="sales_team.group_sale_manager", name="Boss"
        )
        self.authenticate("myday_rpc_rep", "myday_rpc_rep_pw")
        day = self.make_jsonrpc_request(
            "/web/dataset/call_kw/sales.assistant.day/get_my_day",
            {
                "model": "sales.assistant.day",
                "method": "get_my_day",
                "args": [],
                "kwargs": {"context": {"uid": boss.id, "lang": "en_US"}},
            },
        )
        self.assertEqual(day["user"], rep.name)
