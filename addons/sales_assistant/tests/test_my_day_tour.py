from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMyDayTour(HttpCase):
    def test_my_day_tour_as_rep(self):
        env = self.env
        rep = new_test_user(
            env,
            login="myday_tour_rep",
            password="myday_tour_rep_pwd",
            groups="sales_team.group_sale_salesman",
            name="Tour Rep",
        )
        rep.action_id = False
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
        customer = env["res.partner"].create({"name": "Tour Collection Customer"})
        term = env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                ],
            }
        )
        product = env["product.product"].create(
            {"name": "Tour Machine", "type": "service", "invoice_policy": "order"}
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": rep.id,
                "payment_term_id": term.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "price_unit": 1000, "tax_id": [Command.clear()]}
                    )
                ],
            }
        )
        order.action_confirm()
        installment = order.collection_plan_ids.installment_ids.sorted("date_due")[0]
        installment.date_due = today - timedelta(days=4)
        self.assertEqual(installment.state, "overdue")
        self.start_tour("/odoo", "sales_assistant_my_day", login="myday_tour_rep")
