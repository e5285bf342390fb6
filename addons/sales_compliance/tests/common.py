import json
import sys
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

from odoo import Command
from odoo.sql_db import BaseCursor
from odoo.tests import TransactionCase, new_test_user

SUITE_ADDONS = str(Path(__file__).resolve().parents[2])
# Frames of the machinery between the code that asks for a cursor and the cursor itself
PLUMBING = ("/odoo/sql_db.py", "/odoo/modules/registry.py", "/contextlib.py", "/unittest/mock.py")


def _opened_by_the_suite():
    frame = sys._getframe(2)
    while frame and frame.f_code.co_filename.endswith(PLUMBING):
        frame = frame.f_back
    filename = frame.f_code.co_filename if frame else ""
    # a test's own cursors are not counted; the checkout's own path may hold a "tests" folder
    return filename.startswith(SUITE_ADDONS) and "/tests/" not in filename[len(SUITE_ADDONS) :]


@contextmanager
def count_cursors():
    """Counts the database cursors the suite's own code opens meanwhile (real and test
    cursors). Those opened by other modules installed beside it are theirs: OCA's
    ``sale_exception`` opens one per exception rule on every confirmation
    (``scripts/test-odoo-compat --oca``)."""
    counter = {"opened": 0}
    original = BaseCursor.__init__

    def counting_init(cursor, *args, **kwargs):
        if _opened_by_the_suite():
            counter["opened"] += 1
        original(cursor, *args, **kwargs)

    with patch.object(BaseCursor, "__init__", counting_init):
        yield counter


def call_kw(case, model, method, args, context=None, kwargs=None):
    """``model.method(*args, **kwargs)`` over JSON-RPC, as the user ``case`` authenticated,
    the way the web client sends it; an error raises ``RpcError`` with the message the user
    reads. The suite's one JSON-RPC helper for tests."""
    response = case.url_open(
        f"/web/dataset/call_kw/{model}/{method}",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": {**(kwargs or {}), "context": context or {}},
                },
            }
        ),
        headers={"Content-Type": "application/json"},
    )
    response.raise_for_status()
    body = response.json()
    if "error" in body:
        raise RpcError(body["error"]["data"]["message"])
    return body["result"]


class RpcError(Exception):
    pass


def tour_user(env, login, groups, name):
    """A user for a browser tour: password ``<login>_pwd``, lands on the home menu."""
    user = new_test_user(env, login=login, password=f"{login}_pwd", groups=groups, name=name)
    user.action_id = False
    return user


def disable_demo_rules(env):
    """Archives the demo rules and discount ceilings: they must not interfere with a test."""
    env["sales.compliance.rule"].search([]).write({"active": False})
    env["sales.compliance.discount.ceiling"].search([]).write({"active": False})


class ComplianceCase(TransactionCase):
    """Users, a team, a customer and products shared by the compliance tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A refused action commits its violations with a cursor of its own
        # (registry.cursor()): in test mode, as in HttpCase, that cursor works inside
        # this test's transaction, and what it commits stays visible to the test.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.officer = new_test_user(
            cls.env,
            login="cmp_officer",
            groups="sales_team.group_sale_manager,sales_compliance.group_compliance_officer",
            name="Officer Olga",
        )
        cls.manager = new_test_user(
            cls.env, login="cmp_manager", groups="sales_team.group_sale_manager", name="Manager Max"
        )
        cls.leader = new_test_user(
            cls.env,
            login="cmp_leader",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Leader Li",
        )
        cls.sysadmin = new_test_user(
            cls.env,
            login="cmp_sysadmin",
            groups="base.group_system,sales_team.group_sale_manager,"
            "sales_compliance.group_compliance_officer",
            name="Admin Zhao",
        )
        cls.rep = new_test_user(
            cls.env, login="cmp_rep", groups="sales_team.group_sale_salesman", name="Rep Wang"
        )
        cls.rep2 = new_test_user(
            cls.env, login="cmp_rep2", groups="sales_team.group_sale_salesman", name="Rep Zhang"
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Compliance Team",
                "user_id": cls.leader.id,
                "member_ids": [Command.set([cls.rep.id, cls.rep2.id])],
            }
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Other Team"})
        cls.customer = cls.env["res.partner"].create({"name": "Customer Chen", "is_company": True})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Widget",
                "list_price": 100.0,
                "standard_price": 60.0,
                "type": "consu",
                "taxes_id": [Command.clear()],
            }
        )
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")
        cls.Rule = cls.env["sales.compliance.rule"]
        cls.Violation = cls.env["sales.compliance.violation"]
        disable_demo_rules(cls.env)

    @classmethod
    def _order(cls, user=None, lines=1, discount=0.0, price=100.0, partner=None, **vals):
        user = user or cls.rep
        values = {
            "partner_id": (partner or cls.customer).id,
            "user_id": user.id,
            "team_id": cls.team.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": 1,
                        "price_unit": price,
                        "discount": discount,
                    }
                )
                for _i in range(lines)
            ],
        }
        values.update(vals)
        return cls.env["sale.order"].with_user(user).create(values).with_user(user)

    @classmethod
    def _rule(cls, **vals):
        values = {"name": "Test rule", "model_name": "sale.order", "trigger": "confirm"}
        values.update(vals)
        # only system administrators write Python expressions
        author = cls.sysadmin if values.get("condition_type") == "python" else cls.officer
        return cls.Rule.with_user(author).create(values)

    @classmethod
    def _salesman_ceiling(cls, max_discount=5):
        """A discount ceiling of ``max_discount``% for every salesperson."""
        return cls.env["sales.compliance.discount.ceiling"].create(
            {
                "group_id": cls.env.ref("sales_team.group_sale_salesman").id,
                "max_discount": max_discount,
            }
        )

    @classmethod
    def _discount_approval_rule(cls, **vals):
        """Discounts above the ceiling wait for an approval, by default the team leader's."""
        values = {
            "name": "Discount approval",
            "check": "discount_ceiling",
            "outcome": "approval",
            "level_ids": [Command.create({"name": "Team leader", "approver_type": "team_leader"})],
        }
        values.update(vals)
        return cls._rule(**values)

    @classmethod
    def _vip_customer_rule(cls):
        """Saving a company customer whose reference is VIP waits for the officer's approval."""
        return cls._rule(
            name="Customers need approval",
            model_name="res.partner",
            trigger="save",
            condition_type="domain",
            domain="[('is_company', '=', True), ('ref', '=', 'VIP')]",
            outcome="approval",
            level_ids=[
                Command.create(
                    {"name": "Officer", "approver_type": "user", "user_id": cls.officer.id}
                )
            ],
        )

    @contextmanager
    def assertRaisesMsg(self, exception, pattern):
        """assertRaises (which rolls back to a savepoint) plus a check of the message."""
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertRegex(str(cm.exception), pattern)
