"""The set-up of the call and visitor register tests."""

from contextlib import contextmanager

from odoo import Command
from odoo.addons.sales_compliance.tests.common import disable_demo_rules
from odoo.tests import TransactionCase, new_test_user


class RegisterCase(TransactionCase):
    """A team of two reps and its leader, another team's rep, the sales desk, a rep of
    another company; a customer of the first rep."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # refused actions may commit their violations with a cursor of their own
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        disable_demo_rules(cls.env)
        cls.company = cls.env.company
        salesman = "sales_team.group_sale_salesman"
        cls.rep = new_test_user(cls.env, login="reg_rep", groups=salesman, name="Rep Wang")
        cls.mate = new_test_user(cls.env, login="reg_mate", groups=salesman, name="Rep Zhao")
        cls.leader = new_test_user(cls.env, login="reg_leader", groups=salesman, name="Leader Li")
        cls.other_rep = new_test_user(
            cls.env, login="reg_other_rep", groups=salesman, name="Rep Sun"
        )
        cls.desk = new_test_user(
            cls.env,
            login="reg_desk",
            groups="sales_assistant.group_assistant_desk",
            name="Desk Chen",
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Registers East", "user_id": cls.leader.id, "company_id": cls.company.id}
        )
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Registers West", "company_id": cls.company.id}
        )
        cls.env["crm.team.member"].create(
            [
                {"crm_team_id": cls.team.id, "user_id": cls.rep.id},
                {"crm_team_id": cls.team.id, "user_id": cls.mate.id},
                {"crm_team_id": cls.other_team.id, "user_id": cls.other_rep.id},
            ]
        )
        cls.company_b = cls.env["res.company"].create({"name": "西安分公司"})
        cls.rep_b = new_test_user(
            cls.env,
            login="reg_rep_b",
            groups=salesman,
            name="Rep Xi'an",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "苏州精工机械有限公司", "is_company": True, "user_id": cls.rep.id}
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """The block raises ``exception`` with a message matching ``pattern``, and what it
        wrote is rolled back (Odoo's ``assertRaises`` runs it in a savepoint)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    @classmethod
    def log(cls, user, **values):
        """An entry logged by ``user`` (a call about a price list unless told)."""
        return (
            cls.env["sales.register.entry"]
            .with_user(user)
            .create(
                {
                    "kind": "call",
                    "contact_name": "Mr Zhang",
                    "contact_phone": "0512-6666 1234",
                    "subject": "Asks for the price list",
                    **values,
                }
            )
        )
