"""A database made before issue #11, with customer receipts recorded under the old model
``sales.receipt.confirmation``, upgrades to ``sales.customer.receipt`` and keeps them."""

import json

OLD_RECEIPTS = """
import json
product = env["product.product"].create({"name": "Old valve", "type": "consu"})
rep = env["res.users"].create({"name": "Old Rep", "login": "old_receipt_rep",
    "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])]})
receipts = {}
for name in ("上海老客户有限公司", "Old Customer Two"):
    order = env["sale.order"].create({
        "partner_id": env["res.partner"].create({"name": name}).id,
        "user_id": rep.id,
        "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2})],
    })
    order.action_confirm()
    for move in order.picking_ids.move_ids:
        move.quantity = move.product_uom_qty
    order.picking_ids.move_ids.picked = True
    order.picking_ids.button_validate()
    receipt = env["sales.receipt.confirmation"].create(
        {"order_id": order.id, "received_by": "Signer of " + name, "note": "old note"}
    )
    receipts[order.id] = receipt.id
print("RECEIPTS=" + json.dumps(receipts))
"""

AFTER = """
import json
out = {}
for order in env["sale.order"].browse([int(i) for i in ORDER_IDS]):
    receipt = order.customer_receipt_ids
    out[order.id] = [receipt.id, receipt._name, receipt.received_by, receipt.note,
                     order.receipt_state, receipt.channel]
rep = env["res.users"].search([("login", "=", "old_receipt_rep")])
visible = env["sales.customer.receipt"].with_user(rep).search_count([])
print("AFTER=" + json.dumps({"receipts": out, "rep_sees": visible}))
"""


def _printed(log, key):
    line = next(line for line in log.splitlines() if line.startswith(f"{key}="))
    return json.loads(line.removeprefix(f"{key}="))


def test_customer_receipts_survive_the_rename(old_suite_db):
    receipts = _printed(old_suite_db.shell(OLD_RECEIPTS), "RECEIPTS")

    old_suite_db.upgrade()  # the suite, as an administrator does after pulling

    assert old_suite_db.query("SELECT to_regclass('sales_receipt_confirmation')") == [(None,)]
    assert old_suite_db.query(
        "SELECT model FROM ir_model WHERE model LIKE 'sales.%%receipt%%'"
    ) == [("sales.customer.receipt",)]
    assert old_suite_db.query(
        "SELECT count(*) FROM ir_model_data WHERE module = 'sales_assistant' "
        "AND name LIKE '%%receipt_confirmation%%' AND model != 'ir.actions.act_window'"
    ) == [(0,)]
    log = old_suite_db.shell(AFTER.replace("ORDER_IDS", repr(list(receipts))))
    after = _printed(log, "AFTER")
    assert after["receipts"] == {
        order_id: [
            receipt_id,
            "sales.customer.receipt",
            f"Signer of {name}",
            "old note",
            "received",
            "staff",
        ]
        for (order_id, receipt_id), name in zip(
            receipts.items(), ("上海老客户有限公司", "Old Customer Two"), strict=True
        )
    }
    # access lines and record rules followed the model: the rep still sees their receipts
    assert after["rep_sees"] == 2
    # the one-receipt-per-order constraint followed the table
    assert old_suite_db.query(
        "SELECT count(*) FROM pg_constraint WHERE conname = 'sales_customer_receipt_order_unique'"
    ) == [(1,)]
