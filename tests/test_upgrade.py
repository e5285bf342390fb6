"""A database made with the addons as they were before issue #11 upgrades to the current code:
renamed things carry their new names and nothing is lost (see ``old_suite_db`` in conftest)."""

import json

RULES = """
import json
Rule = env["sales.compliance.rule"]
rules = Rule.create([
    {"name": "Exposure", "check": "credit_exposure", "outcome": "warn"},
    {"name": "Overdue customers", "model_name": "res.partner", "trigger": "save",
     "check": "overdue", "overdue_days": 45, "outcome": "warn"},
    {"name": "Big discount", "check": "discount_ceiling", "outcome": "warn"},
    {"name": "Owner", "model_name": "crm.lead", "trigger": "save", "check": "ownership",
     "outcome": "warn"},
])
print("RULES=" + json.dumps({rule.name: rule.id for rule in rules}))
"""


def _printed(log, key):
    line = next(line for line in log.splitlines() if line.startswith(f"{key}="))
    return json.loads(line.removeprefix(f"{key}="))


def test_rules_keep_their_builtin_checks(old_suite_db):
    """The checks moved to files of their own (selection_add): rules keep them."""
    ids = _printed(old_suite_db.shell(RULES), "RULES")
    old_suite_db.upgrade("sales_compliance")
    rows = dict(
        old_suite_db.query(
            'SELECT id, "check" FROM sales_compliance_rule WHERE id IN %s',
            (tuple(ids.values()),),
        )
    )
    assert {name: rows[rule_id] for name, rule_id in ids.items()} == {
        "Exposure": "credit_exposure",
        "Overdue customers": "overdue",
        "Big discount": "discount_ceiling",
        "Owner": "ownership",
    }
    # the selection values still belong to sales_compliance (nothing to clean up)
    values = old_suite_db.query(
        "SELECT s.value FROM ir_model_fields_selection s JOIN ir_model_fields f "
        "ON f.id = s.field_id WHERE f.model = 'sales.compliance.rule' AND f.name = 'check'"
    )
    assert {value for (value,) in values} >= {
        "credit_exposure",
        "overdue",
        "credit_review",
        "rating_terms",
        "discount_ceiling",
        "price_floor",
        "amount",
        "contract_terms",
        "ownership",
    }
    # and the current code evaluates them
    log = old_suite_db.shell(
        "import json\n"
        f"rule = env['sales.compliance.rule'].browse({ids['Big discount']})\n"
        "print('KIND=' + json.dumps(rule._approval_value_kind()))"
    )
    assert _printed(log, "KIND") == "measure"


APPROVALS = """
import json
from odoo import Command
Users = env["res.users"].with_context(no_reset_password=True)
groups = [Command.set([env.ref("sales_team.group_sale_manager").id,
                       env.ref("sales_compliance.group_compliance_officer").id])]
first, second = Users.create([
    {"name": "Approver One", "login": "upg_approver_1", "groups_id": groups},
    {"name": "Approver Two", "login": "upg_approver_2", "groups_id": groups},
])
env["sales.compliance.rule"].create({
    "name": "Every order", "check": "amount", "amount_limit": 10, "outcome": "approval",
    "level_ids": [
        Command.create({"name": "Desk", "approver_type": "user", "user_id": first.id}),
        Command.create({"name": "Director", "approver_type": "user", "user_id": second.id}),
    ],
})
customer = env["res.partner"].create({"name": "Upgrade Customer", "is_company": True})
product = env["product.product"].create({"name": "Upgrade Widget", "list_price": 100})
orders = env["sale.order"].create([
    {"partner_id": customer.id, "user_id": env.ref("base.user_admin").id,
     "order_line": [Command.create({"product_id": product.id, "price_unit": 100})]}
    for _i in range(3)
])
for order in orders:
    order.action_compliance_request_approval()
open_, half, done = orders
requests = {
    name: env["sales.compliance.approval"].search([("res_id", "=", order.id)])
    for name, order in (("open", open_), ("half", half), ("done", done))
}
requests["half"].with_user(first).action_approve("desk ok")
requests["done"].with_user(first).action_approve("desk ok")
requests["done"].with_user(second).action_approve("director ok")
print("REQUESTS=" + json.dumps({name: request.id for name, request in requests.items()}))
print("STEPS=" + json.dumps({name: request.step_ids.mapped("state")
                             for name, request in requests.items()}))
"""


def _steps(db, request_id):
    return db.query(
        "SELECT name, state, decided_by_id IS NOT NULL, comment "
        "FROM sales_compliance_approval_step WHERE approval_id = %s ORDER BY sequence, id",
        (request_id,),
    )


def test_step_states_renamed(old_suite_db):
    """Steps "waiting" are "upcoming" and "pending" are "to_decide"; decisions stay."""
    log = old_suite_db.shell(APPROVALS)
    requests = _printed(log, "REQUESTS")
    # the old database has the old states
    assert _printed(log, "STEPS") == {
        "open": ["pending", "waiting"],
        "half": ["approved", "pending"],
        "done": ["approved", "approved"],
    }
    before = {name: _steps(old_suite_db, request_id) for name, request_id in requests.items()}
    count = old_suite_db.query("SELECT count(*) FROM sales_compliance_approval_step")
    old_suite_db.upgrade("sales_compliance")
    after = {name: _steps(old_suite_db, request_id) for name, request_id in requests.items()}
    renamed = {"waiting": "upcoming", "pending": "to_decide"}
    assert after == {
        name: [
            (n, renamed.get(state, state), decided, comment) for n, state, decided, comment in rows
        ]
        for name, rows in before.items()
    }
    assert after["open"][0][1] == "to_decide"
    assert old_suite_db.query("SELECT count(*) FROM sales_compliance_approval_step") == count
    assert old_suite_db.query(
        "SELECT count(*) FROM sales_compliance_approval_step "
        "WHERE state NOT IN ('upcoming', 'to_decide', 'approved', 'rejected', 'voided')"
    ) == [(0,)]
    # the requests did not move, and the current code goes on with them
    assert old_suite_db.query(
        "SELECT state FROM sales_compliance_approval WHERE id IN %s ORDER BY id",
        (tuple(requests.values()),),
    ) == [("pending",), ("pending",), ("approved",)]
    log = old_suite_db.shell(
        "import json\n"
        f"request = env['sales.compliance.approval'].browse({requests['half']})\n"
        "director = env['res.users'].search([('login', '=', 'upg_approver_2')])\n"
        "request.with_user(director).action_approve('director ok')\n"
        "print('STATE=' + json.dumps([request.state, request.step_ids.mapped('state')]))"
    )
    assert _printed(log, "STATE") == ["approved", ["approved", "approved"]]
    # the two models have labels of their own
    labels = dict(
        old_suite_db.query(
            "SELECT model, name->>'en_US' FROM ir_model WHERE model IN "
            "('sales.compliance.rule.level', 'sales.compliance.approval.step')"
        )
    )
    assert labels == {
        "sales.compliance.rule.level": "Compliance Rule Approval Level",
        "sales.compliance.approval.step": "Compliance Approval Request Step",
    }
    states = old_suite_db.query(
        "SELECT s.value FROM ir_model_fields_selection s JOIN ir_model_fields f "
        "ON f.id = s.field_id WHERE f.model = 'sales.compliance.approval.step' "
        "AND f.name = 'state' ORDER BY s.sequence"
    )
    assert [value for (value,) in states] == [
        "upcoming",
        "to_decide",
        "approved",
        "rejected",
        "voided",
    ]
