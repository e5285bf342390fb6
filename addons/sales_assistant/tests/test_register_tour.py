from odoo.tests import HttpCase, tagged

from .common import tour_user


@tagged("post_install", "-at_install")
class TestRegisterTour(HttpCase):
    def test_a_rep_logs_a_visitor_from_my_day_and_makes_it_a_lead(self):
        rep = tour_user(
            self.env, "reg_tour_rep", "sales_team.group_sale_salesman", "Tour Register Rep"
        )
        self.start_tour(
            "/odoo/action-sales_assistant.action_my_day",
            "sales_assistant_register",
            login="reg_tour_rep",
        )
        entry = self.env["sales.register.entry"].search([("logged_by_id", "=", rep.id)])
        self.assertEqual(entry.kind, "visit")
        self.assertEqual(entry.contact_name, "Ms Li")
        self.assertEqual(entry.lead_id.name, "Brings a sample of the new valve")
        self.assertEqual(entry.lead_id.partner_name, "Tour Register Valves")
