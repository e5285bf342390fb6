"""The screens people use on their phone, in a browser of 390 x 844 with a touch screen:
the tours (static/tests/tours/sales_assistant_screens_phone.js) fail when anything on the
screen is wider than the phone, and take the path a user takes with their thumb."""

from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import deliver, disable_demo_rules, receipt_link, tour_collection_order, tour_user


@tagged("post_install", "-at_install")
class TestPhoneScreens(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_a_rep_works_through_my_day_on_a_phone(self):
        env = self.env
        rep = tour_user(env, "phone_rep", "sales_team.group_sale_salesman", "Phone Rep")
        stage = env["crm.stage"].create({"name": "Phone Negotiation", "visit_frequency": 3})
        lead = env["crm.lead"].create(
            {
                "name": "Phone valve retrofit",
                "type": "opportunity",
                "user_id": rep.id,
                "stage_id": stage.id,
            }
        )
        today = rep._sales_person_today()
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

        self.start_tour(
            "/odoo/action-sales_assistant.action_my_day",
            "sales_assistant_my_day_phone",
            login="phone_rep",
        )

        entry = env["sales.register.entry"].search([("logged_by_id", "=", rep.id)])
        self.assertEqual(entry.kind, "visit")
        self.assertEqual(entry.contact_name, "Mr Zhou")
        self.assertEqual(entry.subject, "Asks for the retrofit price")

    def test_a_customer_confirms_the_receipt_on_a_phone_from_the_e_mail_link(self):
        env = self.env
        rep = tour_user(env, "phone_receipt_rep", "sales_team.group_sale_salesman", "Rep")
        customer = env["res.partner"].create(
            {"name": "Phone Receipt Customer", "email": "phone.receipt@example.com"}
        )
        product = env["product.product"].create(
            {"name": "Phone Receipt Valve", "type": "consu", "list_price": 50.0}
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": rep.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        deliver(order)
        self.assertEqual(order.receipt_state, "awaiting")

        # the customer is not logged in: the link of the e-mail is the key
        self.start_tour(receipt_link(self, order), "sales_assistant_receipt_phone")

        self.assertEqual(order.receipt_state, "received")
        self.assertEqual(order.customer_receipt_ids.received_by, "Li Na")
        self.assertEqual(order.customer_receipt_ids.channel, "portal")

    def test_a_leader_approves_and_rejects_requests_on_a_phone(self):
        env = self.env
        disable_demo_rules(env)
        rep = tour_user(
            env,
            "phone_appr_rep",
            "sales_team.group_sale_salesman,sale.group_discount_per_so_line",
            "Phone Rep",
        )
        leader = tour_user(
            env, "phone_leader", "sales_team.group_sale_salesman_all_leads", "Phone Leader"
        )
        team = env["crm.team"].create(
            {"name": "Phone Team", "user_id": leader.id, "member_ids": [Command.set(rep.ids)]}
        )
        customer = env["res.partner"].create({"name": "Phone Customer", "is_company": True})
        product = env["product.product"].create(
            {"name": "Phone Widget", "list_price": 100, "standard_price": 10}
        )
        rule = env["sales.compliance.rule"].create(
            {
                "name": "Discount above your ceiling",
                "model_name": "sale.order",
                "trigger": "confirm",
                "check": "discount_ceiling",
                "outcome": "approval",
                "message": "Discount {value}% above {limit}%",
                "level_ids": [
                    Command.create({"name": "Team leader", "approver_type": "team_leader"})
                ],
            }
        )
        approvals = env["sales.compliance.approval"]
        for name in ("Phone Order A", "Phone Order B"):
            order = env["sale.order"].create(
                {
                    "name": name,
                    "partner_id": customer.id,
                    "user_id": rep.id,
                    "team_id": team.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "discount": 15.0}),
                    ],
                }
            )
            approvals |= approvals.with_user(rep)._request(
                order, rule, value=15.0, message="Discount 15% above 5%"
            )
        self.assertEqual(approvals.pending_approver_ids, leader)

        self.start_tour(
            "/odoo/action-sales_compliance.action_compliance_my_approvals",
            "sales_compliance_approvals_phone",
            login="phone_leader",
        )

        approved, rejected = approvals
        self.assertEqual(approved.state, "approved")
        self.assertEqual(approved.step_ids.decided_by_id, leader)
        self.assertEqual(approved.step_ids.comment, "Approved on the road")
        self.assertEqual(approved.step_ids.channel, "web")
        self.assertEqual(rejected.state, "rejected")
        self.assertEqual(rejected.step_ids.comment, "Price below our floor")
        self.assertEqual(rejected.step_ids.channel, "web")
