from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import tour_collection_order, tour_user


@tagged("post_install", "-at_install")
class TestMyDayTour(HttpCase):
    def test_my_day_tour_as_rep(self):
        env = self.env
        rep = tour_user(env, "myday_tour_rep", "sales_team.group_sale_salesman", "Tour Rep")
        stage = env["crm.stage"].create({"name": "Tour Negotiation", "visit_frequency": 3})
        lead = env["crm.lead"].create(
            {
                "name": "Tour valve retrofit",
                "type": "opportunity",
                "user_id": rep.id,
                "stage_id": stage.id,
            }
        )
        today = rep._sales_person_today()
        visit = env["mail.activity"].create(
            {
                "activity_type_id": env.ref("sales_targets.mail_activity_type_visit").id,
                "res_model_id": env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
                "user_id": rep.id,
                "date_deadline": today,
            }
        )
        visit.action_feedback(feedback="Met the plant manager")
        env["mail.activity"].create(
            {
                "activity_type_id": env.ref("mail.mail_activity_data_call").id,
                "res_model_id": env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
                "user_id": rep.id,
                "date_deadline": today - timedelta(days=2),
                "summary": "Call back about the quote",
            }
        )
        order = tour_collection_order(env, rep)
        installment = order.collection_plan_ids.installment_ids.sorted("date_due")[0]
        installment.date_due = today - timedelta(days=4)
        self.assertEqual(installment.state, "overdue")
        self.start_tour("/odoo", "sales_assistant_my_day", login="myday_tour_rep")
