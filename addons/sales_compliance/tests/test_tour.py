from odoo.addons.sales_compliance.tests.common import disable_demo_rules, tour_user
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestComplianceTour(HttpCase):
    """In the browser: a rep enters a discounted order, the confirmation is blocked,
    the rep asks for approval, the team leader approves, the rep confirms."""

    def test_discount_approval_tour(self):
        env = self.env
        disable_demo_rules(env)
        if "assistant_confirm_guide" in env.company._fields:
            # sales_assistant puts its guided screen before the confirmation: this tour
            # meets sale's own Confirm button and the gate behind it
            env.company.assistant_confirm_guide = False
        rep = tour_user(
            env,
            "tour_rep",
            "sales_team.group_sale_salesman,sale.group_discount_per_so_line",
            "Tour Rep",
        )
        leader = tour_user(
            env, "tour_leader", "sales_team.group_sale_salesman_all_leads", "Tour Leader"
        )
        env["crm.team"].create(
            {"name": "Tour Team", "user_id": leader.id, "member_ids": [(6, 0, rep.ids)]}
        )
        rep.sale_team_id = env["crm.team"].search([("name", "=", "Tour Team")])
        env["res.partner"].create({"name": "Tour Customer", "is_company": True})
        env["product.product"].create(
            {"name": "Tour Widget", "list_price": 100, "standard_price": 10, "sale_ok": True}
        )
        env["sales.compliance.discount.ceiling"].create(
            {"group_id": env.ref("sales_team.group_sale_salesman").id, "max_discount": 5}
        )
        env["sales.compliance.rule"].create(
            {
                "name": "Discount above your ceiling",
                "model_name": "sale.order",
                "trigger": "confirm",
                "check": "discount_ceiling",
                "outcome": "approval",
                "message": "Discount {value}% above {limit}%",
                "level_ids": [(0, 0, {"name": "Team leader", "approver_type": "team_leader"})],
            }
        )

        self.start_tour("/odoo", "sales_compliance_rep_request", login="tour_rep")
        order = env["sale.order"].search([("partner_id.name", "=", "Tour Customer")])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.order_line.discount, 15)
        violation = env["sales.compliance.violation"].search([("res_id", "=", order.id)])
        self.assertEqual(violation.outcome, "approval")
        approval = env["sales.compliance.approval"].search([("res_id", "=", order.id)])
        self.assertEqual(approval.pending_approver_ids, leader)

        self.start_tour("/odoo", "sales_compliance_leader_approve", login="tour_leader")
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.step_ids.comment, "Good customer, approved")

        self.start_tour("/odoo", "sales_compliance_rep_confirm", login="tour_rep")
        self.assertEqual(order.state, "sale")

    def test_screens_tour(self):
        env = self.env
        officer = tour_user(
            env,
            "tour_officer",
            "sales_team.group_sale_manager,sales_compliance.group_compliance_officer,"
            "base.group_system",
            "Tour Officer",
        )
        env["sales.compliance.rule"].create(
            {
                "name": "Tour domain rule",
                "model_name": "sale.order",
                "trigger": "confirm",
                "condition_type": "domain",
                "domain": "[('amount_total', '>', 1000000)]",
            }
        )
        pool_customer = env["res.partner"].create(
            {"name": "Pool Tour Customer", "is_company": True}
        )
        self.start_tour("/odoo", "sales_compliance_screens", login="tour_officer")
        self.assertEqual(pool_customer.user_id, officer)
        self.assertEqual(pool_customer.compliance_ownership_log_ids.reason, "claim")
