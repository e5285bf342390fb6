import re
from contextlib import contextmanager

from odoo import Command
from odoo.addons.sales_compliance.tests.common import disable_demo_rules, tour_user
from odoo.tests import HttpCase

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REFUSAL = re.compile(r'data-refusal="([a-z_]+)"')


class ApprovalLinkCase(HttpCase):
    """A rep's order waits for the team leader's approval of its discount; the leader
    gets a signed link. Users log in with the password ``<login>_pwd``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        disable_demo_rules(env)
        cls.company = env.company
        cls.company.approval_link_without_login = False
        cls.rep = tour_user(env, "lnk_rep", "sales_team.group_sale_salesman", "Rep Wang")
        cls.rep2 = tour_user(env, "lnk_rep2", "sales_team.group_sale_salesman", "Rep Zhang")
        cls.leader = tour_user(
            env, "lnk_leader", "sales_team.group_sale_salesman_all_leads", "Leader Li"
        )
        cls.manager = tour_user(env, "lnk_manager", "sales_team.group_sale_manager", "Manager Max")
        cls.officer = tour_user(
            env,
            "lnk_officer",
            "sales_team.group_sale_manager,sales_compliance.group_compliance_officer",
            "Officer Olga",
        )
        cls.team = env["crm.team"].create(
            {
                "name": "Link Team",
                "user_id": cls.leader.id,
                "member_ids": [Command.set([cls.rep.id, cls.rep2.id])],
            }
        )
        cls.customer = env["res.partner"].create({"name": "Customer Chen", "is_company": True})
        cls.product = env["product.product"].create(
            {"name": "Widget", "list_price": 100.0, "type": "consu", "taxes_id": [Command.clear()]}
        )
        env["sales.compliance.discount.ceiling"].create(
            {"group_id": env.ref("sales_team.group_sale_salesman").id, "max_discount": 5}
        )
        cls.rule = env["sales.compliance.rule"].create(
            {
                "name": "Discount approval",
                "model_name": "sale.order",
                "trigger": "confirm",
                "check": "discount_ceiling",
                "outcome": "approval",
                "message": "Discount {value}% above {limit}%",
                "level_ids": [
                    Command.create({"name": "Team leader", "approver_type": "team_leader"}),
                    Command.create(
                        {
                            "name": "Sales manager",
                            "approver_type": "user",
                            "user_id": cls.manager.id,
                            "min_value": 10,
                            "sequence": 20,
                        }
                    ),
                ],
            }
        )
        cls.Link = env["sales.compliance.approval.link"]

    def setUp(self):
        super().setUp()
        self.order, self.approval = self.request_approval(discount=12)
        self.url = self.Link._issue(self.approval, self.leader)
        self.link = self.Link.sudo().search([], limit=1)
        self.path = self.url.split("/", 3)[3]

    def request_approval(self, discount=12):
        """The rep's order with ``discount``% and its approval request, as the rep asks."""
        order = (
            self.env["sale.order"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "price_unit": 100.0,
                                "discount": discount,
                            }
                        )
                    ],
                }
            )
        )
        order.action_compliance_request_approval()
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        return order, approval

    def login(self, user):
        self.authenticate(user.login, f"{user.login}_pwd")

    def open_page(self, path=None, **kwargs):
        return self.url_open(f"/{path or self.path}", **kwargs)

    def decide(self, decision, comment="", path=None):
        """GET the page (its CSRF token), then POST the decision as the browser does."""
        page = self.open_page(path)
        token = CSRF.search(page.text)
        self.assertTrue(token, "the page offers the decision form")
        return self.open_page(
            path,
            data={"csrf_token": token.group(1), "decision": decision, "comment": comment},
        )

    def refusal_of(self, response):
        found = REFUSAL.search(response.text)
        return found and found.group(1)

    @contextmanager
    def assertNothingDecided(self):
        """The block changes no step of the request and uses no link."""
        before = [(s.state, s.decided_by_id, s.comment) for s in self.approval.step_ids]
        used = self.Link.sudo().search([("used_at", "!=", False)])
        yield
        self.env.invalidate_all()
        self.assertEqual(
            [(s.state, s.decided_by_id, s.comment) for s in self.approval.step_ids], before
        )
        self.assertEqual(self.approval.state, "pending")
        self.assertEqual(self.Link.sudo().search([("used_at", "!=", False)]), used)
