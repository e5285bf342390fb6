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
