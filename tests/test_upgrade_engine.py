"""The engine any model can join (issue #18): the rule's parameters moved to their check
families and the models of violations and approvals are read from the rule. A database made
with the old addons upgrades without losing a rule, a parameter, a violation or an approval
(see ``old_suite_db`` in conftest)."""

import json

OLD_RECORDS = """
import json
from odoo import Command
Users = env["res.users"].with_context(no_reset_password=True)
groups = [Command.set([env.ref("sales_team.group_sale_manager").id,
                       env.ref("sales_compliance.group_compliance_officer").id])]
approver = Users.create({"name": "Engine Approver", "login": "upg_engine", "groups_id": groups})
pricelist = env["product.pricelist"].create({"name": "Floor prices"})
reference = env["ir.model.fields"]._get("sale.order", "client_order_ref")
Rule = env["sales.compliance.rule"]
rules = Rule.create([
    {"name": "Overdue customers", "model_name": "res.partner", "trigger": "save",
     "check": "overdue", "overdue_days": 45, "outcome": "warn"},
    {"name": "Every order", "check": "amount", "amount_limit": 10, "outcome": "approval",
     "level_ids": [Command.create({"name": "Desk", "approver_type": "user",
                                   "user_id": approver.id})]},
    {"name": "Floor", "check": "price_floor", "min_margin": 12.5,
     "floor_pricelist_id": pricelist.id, "outcome": "warn"},
    {"name": "Terms", "check": "contract_terms", "outcome": "warn",
     "required_field_ids": [Command.set(reference.ids)]},
    {"name": "Lines", "model_name": "sale.order", "trigger": "save", "condition_type": "domain",
     "domain": "[('price_unit', '>', 0)]", "apply_on_lines": True, "outcome": "warn"},
    {"name": "Leads", "model_name": "crm.lead", "trigger": "save", "condition_type": "domain",
     "domain": "[('expected_revenue', '>', 0)]", "outcome": "warn"},
])
customer = env["res.partner"].create({"name": "Engine Customer", "is_company": True})
product = env["product.product"].create({"name": "Engine Widget", "list_price": 100})
order = env["sale.order"].create({
    "partner_id": customer.id, "user_id": env.ref("base.user_admin").id,
    "order_line": [Command.create({"product_id": product.id, "price_unit": 100})]})
order.action_compliance_request_approval()
env["crm.lead"].create({"name": "Engine Lead", "expected_revenue": 500})
print("RULES=" + json.dumps(rules.ids))
"""

RULE_COLUMNS = (
    'id, name->>\'en_US\', model_name, "trigger", condition_type, "check", apply_on_lines, '
    "domain, amount_limit, overdue_days, min_margin, floor_pricelist_id, outcome"
)


def _printed(log, key):
    line = next(line for line in log.splitlines() if line.startswith(f"{key}="))
    return json.loads(line.removeprefix(f"{key}="))


def _snapshot(db, rule_ids):
    ids = (tuple(rule_ids),)
    return {
        "rules": db.query(
            f"SELECT {RULE_COLUMNS} FROM sales_compliance_rule WHERE id IN %s ORDER BY id", ids
        ),
        "required_fields": db.query(
            "SELECT * FROM ir_model_fields_sales_compliance_rule_rel ORDER BY 1, 2"
        ),
        "levels": db.query(
            "SELECT id, rule_id, user_id, min_value FROM sales_compliance_rule_level "
            "WHERE rule_id IN %s ORDER BY id",
            ids,
        ),
        "violations": db.query(
            'SELECT id, rule_id, res_model, res_id, outcome, "trigger", state '
            "FROM sales_compliance_violation ORDER BY id"
        ),
        "approvals": db.query(
            "SELECT id, rule_id, res_model, res_id, state, values_hash "
            "FROM sales_compliance_approval ORDER BY id"
        ),
    }


def test_rules_parameters_violations_and_approvals_survive_the_upgrade(old_suite_db):
    rule_ids = _printed(old_suite_db.shell(OLD_RECORDS), "RULES")
    before = _snapshot(old_suite_db, rule_ids)
    assert len(before["rules"]) == 6
    assert before["required_fields"]
    # the old code logged violations of orders and leads, and a request for the order
    assert {row[2] for row in before["violations"]} >= {"sale.order", "crm.lead"}
    assert [row[2] for row in before["approvals"]] == ["sale.order"]
    old_suite_db.upgrade("sales_compliance")
    assert _snapshot(old_suite_db, rule_ids) == before
    # the current code reads them: the families' parameters, the models of the engine
    log = old_suite_db.shell(
        "import json\n"
        "Rule = env['sales.compliance.rule']\n"
        f"rules = Rule.browse({rule_ids})\n"
        "arch = Rule.get_views([(False, 'form')])['views']['form']['arch']\n"
        "violations = env['sales.compliance.violation'].search([])\n"
        "print('STATE=' + json.dumps({\n"
        "    'errors': Rule._compliance_engine_errors(),\n"
        "    'params': [rules[0].overdue_days, rules[1].amount_limit, rules[2].min_margin,\n"
        "               rules[3].required_field_ids.mapped('name')],\n"
        "    'form': [name in arch for name in ('overdue_days', 'amount_limit', 'min_margin',\n"
        "             'floor_pricelist_id', 'required_field_ids')],\n"
        "    'records': sorted({v.record_ref._name for v in violations}),\n"
        "    'lines': rules[4].lines_model,\n"
        "}))"
    )
    assert _printed(log, "STATE") == {
        "errors": [],
        "params": [45, 10.0, 12.5, ["client_order_ref"]],
        "form": [True] * 5,
        "records": ["crm.lead", "sale.order"],
        "lines": "sale.order.line",
    }
