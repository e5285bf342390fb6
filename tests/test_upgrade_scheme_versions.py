"""A database made before issue #22, with a commission scheme and a confirmed statement, upgrades
to scheme versions: the scheme is its own version 1, the statement records it, and a new
statement pays as before."""

import json

# under the old code: a scheme paying 3% below half the target and 6% above (no target: the
# first tier's rate on the base), January's order of 1,000 confirmed in its statement
OLD_SCHEME = """
import datetime, json
rep = env["res.users"].create({"name": "Old Commission Rep", "login": "old_commission_rep",
    "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])]})
scheme = env["sales.commission.scheme"].create({
    "name": "Old field sales", "base": "revenue", "tier_mode": "progressive",
    "tier_ids": [(0, 0, {"from_pct": 0, "to_pct": 50, "rate": 3}),
                 (0, 0, {"from_pct": 50, "to_pct": 0, "rate": 6})],
    "assignment_ids": [(0, 0, {"user_id": rep.id})],
})
product = env["product.product"].create({"name": "Old pump", "type": "service"})
partner = env["res.partner"].create({"name": "Old commission customer"})
order = env["sale.order"].create({"partner_id": partner.id, "user_id": rep.id,
    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1,
                           "price_unit": 1000, "tax_id": [(5,)]})]})
order.action_confirm()
order.date_order = datetime.datetime(2025, 1, 10, 9)
Statement = env["sales.commission.statement"]
january = Statement._generate_statements(datetime.date(2025, 1, 1), datetime.date(2025, 1, 31))
january = january.filtered(lambda s: s.scheme_id == scheme)
january.action_confirm()
print("OLD=" + json.dumps({"scheme": scheme.id, "statement": january.id,
    "amount": january.commission_amount, "state": january.state,
    "lines": sorted([line.line_type, line.base_amount, line.amount] for line in january.line_ids)}))
"""

AFTER = """
import datetime, json
scheme = env["sales.commission.scheme"].browse(SCHEME)
january = env["sales.commission.statement"].browse(STATEMENT)
order = env["sale.order"].search([("partner_id.name", "=", "Old commission customer")]).copy()
order.action_confirm()
order.date_order = datetime.datetime(2025, 2, 10, 9)
february = env["sales.commission.statement"]._generate_statements(
    datetime.date(2025, 2, 1), datetime.date(2025, 2, 28)
).filtered(lambda s: s.scheme_id == scheme)
print("AFTER=" + json.dumps({
    "kind": scheme.version_kind, "number": scheme.version_number,
    "valid_from": str(scheme.valid_from), "version_of": scheme.version_of_id.id,
    "adoption_state": scheme.adoption_state,
    "terms_at": scheme._terms_at(datetime.date(2025, 2, 1)).id,
    "january": [january.version_id.id, january.state, january.commission_amount,
        sorted([line.line_type, line.base_amount, line.amount] for line in january.line_ids)],
    "february": [february.version_id.id, february.commission_amount],
}))
"""


def _printed(log, key):
    line = next(line for line in log.splitlines() if line.startswith(f"{key}="))
    return json.loads(line.removeprefix(f"{key}="))


def test_a_scheme_of_before_versions_is_version_1_and_pays_as_before(main_suite_db):
    old = _printed(main_suite_db.shell(OLD_SCHEME), "OLD")
    assert old["state"] == "confirmed"
    assert old["amount"] == 30.0  # 3% of 1,000

    main_suite_db.upgrade()

    script = AFTER.replace("SCHEME", str(old["scheme"])).replace("STATEMENT", str(old["statement"]))
    after = _printed(main_suite_db.shell(script), "AFTER")
    assert (after["kind"], after["number"], after["valid_from"]) == ("version", 1, "False")
    assert after["version_of"] is False
    assert after["adoption_state"] == "draft"
    assert after["terms_at"] == old["scheme"]
    assert after["january"] == [old["scheme"], "confirmed", old["amount"], old["lines"]]
    assert after["february"] == [old["scheme"], old["amount"]]
