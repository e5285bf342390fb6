"""The base class and set-up of the complaint tests."""

from contextlib import contextmanager

from odoo import Command
from odoo.addons.sales_compliance.tests.common import disable_demo_rules
from odoo.tests import TransactionCase, new_test_user

SALESMAN = "sales_team.group_sale_salesman"
DESK = "sales_assistant.group_assistant_desk"


def make_complaint_users(env, prefix):
    """Reps of a team, its leader, a rep of another team, the team's sales desk, a desk of
    another company; their teams, a customer of the rep and a product."""
    company = env.company
    other_company = env["res.company"].create({"name": f"{prefix} Other Company"})
    users = {
        "rep": new_test_user(env, login=f"{prefix}_rep", groups=SALESMAN, name="Rep Wang"),
        "mate": new_test_user(env, login=f"{prefix}_mate", groups=SALESMAN, name="Rep Zhao"),
        "leader": new_test_user(env, login=f"{prefix}_leader", groups=SALESMAN, name="Leader Li"),
        "other_rep": new_test_user(env, login=f"{prefix}_other", groups=SALESMAN, name="Rep Sun"),
        "desk": new_test_user(env, login=f"{prefix}_desk", groups=DESK, name="Desk Chen"),
        "other_desk": new_test_user(
            env,
            login=f"{prefix}_other_desk",
            groups=DESK,
            name="Desk Other",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        ),
    }
    team = env["crm.team"].create(
        {
            "name": f"{prefix} East",
            "user_id": users["leader"].id,
            "company_id": company.id,
            "complaint_owner_id": users["desk"].id,
        }
    )
    other_team = env["crm.team"].create({"name": f"{prefix} West", "company_id": company.id})
    env["crm.team.member"].create(
        [
            {"crm_team_id": team.id, "user_id": users["rep"].id},
            {"crm_team_id": team.id, "user_id": users["mate"].id},
            {"crm_team_id": other_team.id, "user_id": users["other_rep"].id},
        ]
    )
    customer = env["res.partner"].create(
        {"name": "苏州精工机械有限公司", "is_company": True, "user_id": users["rep"].id}
    )
    product = env["product.product"].create(
        {"name": "Pressure Valve", "type": "consu", "list_price": 800.0}
    )
    return company, other_company, users, team, other_team, customer, product


class ComplaintCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        disable_demo_rules(cls.env)
        (
            cls.company,
            cls.other_company,
            users,
            cls.team,
            cls.other_team,
            cls.customer,
            cls.product,
        ) = make_complaint_users(cls.env, "kc")
        for key, user in users.items():
            setattr(cls, key, user)
        cls.order = cls.make_order(cls.rep)
        cls.today = cls.company._sales_today()

    @classmethod
    def make_order(cls, user, customer=None, products=None, company=None):
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": (customer or cls.customer).id,
                    "user_id": user.id,
                    "team_id": user._sales_team(company).id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 1, "price_unit": 800}
                        )
                        for product in (products or cls.product)
                    ],
                }
            )
        )
        order.action_confirm()
        return order

    def file(self, user=None, order=None, **values):
        """A complaint filed by ``user`` (the rep) on ``order``."""
        user = user or self.rep
        return (
            self.env["sales.complaint"]
            .with_user(user)
            .create(
                {
                    "subject": "Valve leaks",
                    "order_id": (order or self.order).id,
                    "category": "quality",
                    **values,
                }
            )
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """The block raises ``exception`` with a message matching ``pattern``; what it wrote
        is rolled back."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)
