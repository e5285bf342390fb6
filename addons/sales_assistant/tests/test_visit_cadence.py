from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import date_utils

from .common import MyDayCase


@tagged("post_install", "-at_install")
class TestVisitCadence(MyDayCase):
    def test_visit_frequency_below_zero_is_refused(self):
        stage = self.stage_bidding.with_user(self.manager)
        with self.assertRaises(ValidationError) as catcher:
            stage.write({"visit_frequency": -1})
        self.assertIn("cannot be below zero", str(catcher.exception))
        self.assertEqual(self.stage_bidding.visit_frequency, 2)
        with self.assertRaises(ValidationError):
            self.env["crm.stage"].with_user(self.manager).create(
                {"name": "Broken", "visit_frequency": -3}
            )
        self.assertFalse(self.env["crm.stage"].search([("name", "=", "Broken")]))

    def test_missing_visits_per_stage_over_the_last_week(self):
        negotiation = self.make_lead(self.rep, self.stage_negotiation, "Negotiation")
        self.make_activity(negotiation, self.rep, done_days_ago=0)
        self.make_activity(negotiation, self.rep, done_days_ago=6)
        self.make_activity(negotiation, self.rep, done_days_ago=7)  # out of the week
        self.make_activity(negotiation, self.rep, days=1)  # planned, not done
        self.make_activity(negotiation, self.rep, self.call_type, done_days_ago=1)  # a call
        potential = self.make_lead(self.rep, self.stage_potential, "Potential")
        self.make_activity(potential, self.rep, done_days_ago=2)
        bidding = self.make_lead(self.rep, self.stage_bidding, "Bidding")
        no_cadence = self.make_lead(self.rep, self.stage_none, "No cadence")
        won = self.make_lead(self.rep, self.stage_won, "Won")
        lost = self.make_lead(self.rep, self.stage_bidding, "Lost")
        lost.action_set_lost()

        leads = (negotiation | potential | bidding | no_cadence | won | lost).with_user(self.rep)
        leads.invalidate_recordset()
        self.assertEqual(
            [(lead.name, lead.visit_done_count, lead.visit_missing_count) for lead in leads],
            [
                ("Negotiation", 2, 1),
                ("Potential", 1, 0),
                ("Bidding", 0, 2),
                ("No cadence", 0, 0),
                ("Won", 0, 0),
                ("Lost", 0, 0),
            ],
        )
        Lead = self.env["crm.lead"].with_user(self.rep)
        self.assertEqual(Lead.search([("visit_missing_count", ">", 0)]), negotiation | bidding)
        self.assertEqual(Lead.search([("visit_missing_count", ">=", 2)]), bidding)
        self.assertEqual(
            Lead.search([("visit_missing_count", "=", 0), ("id", "in", leads.ids)]),
            potential | no_cadence | won,
        )
        # the filter of the opportunities search view and of the team leader's view
        behind = self.env.ref("sales_assistant.action_visits_behind")
        self.assertIn("'search_default_visits_behind': 1", behind.context)

    def test_behind_on_visits_as_rep_and_team_leader(self):
        mine = self.make_lead(self.rep, self.stage_bidding, "Mine")
        colleague = self.make_lead(self.rep_2, self.stage_bidding, "Colleague's")
        other_team = self.make_lead(self.other_rep, self.stage_bidding, "Other team")
        domain = [("visit_missing_count", ">", 0)]
        self.assertEqual(self.env["crm.lead"].with_user(self.rep).search(domain), mine)
        self.assertEqual(
            self.env["crm.lead"].with_user(self.manager).search(domain),
            mine | colleague | other_team,
        )
        day = self.env["sales.assistant.day"].with_user(self.leader).get_my_day()
        behind = next(s for s in day["sections"] if s["name"] == "visits_behind")
        self.assertEqual({entry["id"] for entry in behind["records"]}, {mine.id, colleague.id})

    def test_search_missing_visits_with_a_number_only(self):
        with self.assertRaises(UserError):
            self.env["crm.lead"].with_user(self.rep).search([("visit_missing_count", ">", "1")])

    def test_done_visit_keeps_date_and_outcome_in_activity_views(self):
        lead = self.make_lead(self.rep, self.stage_bidding)
        visit = self.make_activity(lead, self.rep)
        call = self.make_activity(lead, self.rep, self.call_type)
        call.with_user(self.rep).action_feedback(feedback="Left a message")
        visit.with_user(self.rep).action_feedback(feedback="Buyer wants a demo next week")
        self.assertFalse(visit.active)
        self.assertEqual(visit.date_done, self.today)
        self.assertEqual(visit.visit_outcome, "Buyer wants a demo next week")
        self.assertFalse(call.exists(), "other activity types are not kept")
        self.assertEqual(lead.with_user(self.rep).visit_done_count, 1)
        # the chatter keeps Odoo's own "done" message with the feedback
        self.assertIn("Buyer wants a demo", lead.message_ids[0].body)

    def test_schedule_visit_uses_the_visit_type(self):
        lead = self.make_lead(self.rep, self.stage_bidding)
        action = lead.with_user(self.rep).action_schedule_visit()
        self.assertEqual(action["context"]["default_activity_type_id"], self.visit_type.id)
        self.assertEqual(action["context"]["default_res_id"], lead.id)

    def test_visits_metric_counts_exactly_the_visits_the_assistant_shows(self):
        """sales_targets' visits metric and the assistant share one definition of a visit."""
        lead = self.make_lead(self.rep, self.stage_bidding)
        month_start = date_utils.start_of(self.today, "month")
        days_in_month = (self.today - month_start).days
        self.make_activity(lead, self.rep, done_days_ago=0)
        self.make_activity(self.customer, self.rep, done_days_ago=days_in_month)  # on the customer
        self.make_activity(lead, self.rep, done_days_ago=days_in_month + 1)  # last month
        self.make_activity(lead, self.rep, days=2)  # planned
        self.make_activity(lead, self.rep, self.call_type, done_days_ago=0)  # a call
        self.make_activity(lead, self.rep_2, done_days_ago=0)  # another rep's
        metric = self.env.ref("sales_targets.metric_visits")
        facts = metric._fetch_facts(
            month_start, self.today, self.env.company, user_ids=self.rep.ids
        )
        metric_count = sum(row[-1] for row in facts)
        day = self.env["sales.assistant.day"].with_user(self.rep).get_my_day()
        visits = next(s for s in day["sections"] if s["name"] == "visits")
        self.assertEqual(visits["done_this_month"], 2)
        self.assertEqual(metric_count, visits["done_this_month"])
        self.assertEqual(self.env["mail.activity"]._sales_visit_type(), metric.activity_type_id)
