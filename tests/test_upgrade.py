"""A database made with the addons as they were before issue #11 (or before issue #18) upgrades
to the current code: renamed things carry their new names and nothing is lost (see
``old_suite_db`` and ``main_suite_db`` in conftest)."""

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


GUIDES = """
import json
from odoo import Command
env.company.assistant_confirm_guide = True
Users = env["res.users"].with_context(no_reset_password=True)
salesman = [Command.set([env.ref("sales_team.group_sale_salesman").id])]
rep, other = Users.create([
    {"name": "Guide Rep", "login": "upg_guide_rep", "groups_id": salesman},
    {"name": "Other Rep", "login": "upg_guide_other", "groups_id": salesman},
])
customer = env["res.partner"].create({"name": "Guide Customer", "is_company": True})
product = env["product.product"].create({"name": "Guide Widget", "list_price": 100})
order = env["sale.order"].with_user(rep).create({
    "partner_id": customer.id, "user_id": rep.id,
    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
})
action = order.with_user(rep).action_confirm_guided()
guide = env[action["res_model"]].browse(action["res_id"])
print("OLD=" + json.dumps({
    "model": action["res_model"], "guide": guide.id, "order": order.id,
    "lines": guide.line_ids.ids,
    "models": {m.model: m.id for m in env["ir.model"].search(
        [("model", "like", "sale.order.confirm.guide")])},
    "access": sorted(env["ir.model.access"].search(
        [("model_id.model", "like", "sale.order.confirm.guide")]).ids),
    "rules": sorted(env["ir.rule"].search(
        [("model_id.model", "like", "sale.order.confirm.guide")]).ids),
    "view": env.ref("sales_assistant.view_sale_order_confirm_guide_form").id,
    "orders": env["sale.order"].search_count([]),
}))
"""

GUIDES_AFTER = """
import json
from odoo.exceptions import AccessError
rep = env["res.users"].search([("login", "=", "upg_guide_rep")])
other = env["res.users"].search([("login", "=", "upg_guide_other")])
order = env["sale.order"].browse(ORDER)
old = env["sales.confirm.guide"].browse(GUIDE)
try:
    old.with_user(other).read(["order_id"])
    other_reads = True
except AccessError:
    other_reads = False
action = order.with_user(rep).action_confirm_guided()
new = env[action["res_model"]].with_user(rep).browse(action["res_id"])
views = new.get_views([(False, "form")])["views"]
print("NEW=" + json.dumps({
    "registry": sorted(m for m in env.registry if "confirm.guide" in m),
    "old_guide": [old.with_user(rep).order_id.id, len(old.with_user(rep).line_ids)],
    "other_reads": other_reads,
    "model": action["res_model"],
    "new_guide": [new.order_id.id, len(new.line_ids), new.id > GUIDE],
    "view": views["form"]["id"],
    "access": sorted(env["ir.model.access"].search(
        [("model_id.model", "like", "sales.confirm.guide")]).ids),
    "rules": sorted(env["ir.rule"].search(
        [("model_id.model", "like", "sales.confirm.guide")]).ids),
}))
"""


def test_confirm_guide_renamed_to_the_suite_prefix(main_suite_db):
    """``sale.order.confirm.guide`` is ``sales.confirm.guide`` (issue #18): same models, access
    lines, rules, view and screens; a salesperson opens the guided confirmation as before."""
    old = _printed(main_suite_db.shell(GUIDES), "OLD")
    assert old["model"] == "sale.order.confirm.guide"
    assert set(old["models"]) == {
        "sale.order.confirm.guide",
        "sale.order.confirm.guide.check",
        "sale.order.confirm.guide.line",
    }
    assert old["lines"] and len(old["access"]) == 3 and len(old["rules"]) == 3
    main_suite_db.upgrade()

    # the models, their tables and xmlids carry the new name; the old ones are gone
    models = dict(
        main_suite_db.query("SELECT model, id FROM ir_model WHERE model LIKE '%confirm.guide%'")
    )
    renamed = {name.replace("sale.order.", "sales."): id_ for name, id_ in old["models"].items()}
    assert models == renamed
    assert main_suite_db.query(
        "SELECT count(*) FROM ir_model_fields WHERE model LIKE 'sale.order.confirm.guide%' "
        "OR relation LIKE 'sale.order.confirm.guide%'"
    ) == [(0,)]
    assert main_suite_db.query(
        "SELECT to_regclass('sale_order_confirm_guide'),"
        " to_regclass('sale_order_confirm_guide_line'),"
        " to_regclass('sales_confirm_guide')::text, to_regclass('sales_confirm_guide_line')::text"
    ) == [(None, None, "sales_confirm_guide", "sales_confirm_guide_line")]
    assert main_suite_db.query(
        "SELECT order_id FROM sales_confirm_guide WHERE id = %s", (old["guide"],)
    ) == [(old["order"],)]
    assert main_suite_db.query(
        "SELECT count(*) FROM sales_confirm_guide_line WHERE guide_id = %s", (old["guide"],)
    ) == [(len(old["lines"]),)]
    xmlids = dict(
        main_suite_db.query(
            "SELECT name, res_id FROM ir_model_data WHERE module = 'sales_assistant' "
            "AND name LIKE %s",
            ("model_sales_confirm_guide%",),
        )
    )
    assert xmlids == {"model_" + name.replace(".", "_"): id_ for name, id_ in renamed.items()}
    assert main_suite_db.query(
        "SELECT count(*) FROM ir_model_data WHERE name LIKE '%sale\\_order\\_confirm\\_guide%'"
    ) == [(0,)]

    # the current code runs on it: the same access lines, rules and view, kept not recreated
    log = main_suite_db.shell(
        GUIDES_AFTER.replace("ORDER", str(old["order"])).replace("GUIDE", str(old["guide"]))
    )
    new = _printed(log, "NEW")
    assert new == {
        "registry": [
            "sales.confirm.guide",
            "sales.confirm.guide.check",
            "sales.confirm.guide.line",
        ],
        "old_guide": [old["order"], len(old["lines"])],
        "other_reads": False,
        "model": "sales.confirm.guide",
        "new_guide": [old["order"], len(old["lines"]), True],
        "view": old["view"],
        "access": old["access"],
        "rules": old["rules"],
    }
    # and nothing else was lost
    assert main_suite_db.query("SELECT count(*) FROM sale_order") == [(old["orders"],)]
