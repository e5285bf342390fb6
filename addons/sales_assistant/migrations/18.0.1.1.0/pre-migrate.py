"""``sales.receipt.confirmation`` becomes ``sales.customer.receipt`` (issue #11: the old name
collided with the stock Receipts users know).

Renamed before the registry loads the new code, so that Odoo finds its table, model, fields,
constraint, access lines, record rules and views under the new names and keeps every receipt
(same ids, same chatter, same attachments) instead of creating empty ones and dropping the old.
"""

import logging

from odoo.tools import sql

_logger = logging.getLogger(__name__)

OLD_MODEL, NEW_MODEL = "sales.receipt.confirmation", "sales.customer.receipt"
OLD_TABLE, NEW_TABLE = "sales_receipt_confirmation", "sales_customer_receipt"
# (old xmlid, new xmlid) of sales_assistant records whose name said "receipt confirmation"
XMLID_PREFIXES = [
    ("model_sales_receipt_confirmation", "model_sales_customer_receipt"),
    ("field_sales_receipt_confirmation__", "field_sales_customer_receipt__"),
    ("constraint_sales_receipt_confirmation_", "constraint_sales_customer_receipt_"),
    ("access_sales_receipt_confirmation_", "access_sales_customer_receipt_"),
    ("rule_receipt_confirmation_", "rule_customer_receipt_"),
    ("sales_receipt_confirmation_view_", "sales_customer_receipt_view_"),
    ("field_sale_order__receipt_confirmation_ids", "field_sale_order__customer_receipt_ids"),
]
# tables whose char column names a model, as res_model or model
MODEL_NAME_COLUMNS = [
    ("ir_model_fields", "model"),
    ("ir_model_fields", "relation"),
    ("ir_model_data", "model"),
    ("ir_ui_view", "model"),
    ("ir_act_window", "res_model"),
    ("ir_attachment", "res_model"),
    ("ir_filters", "model_id"),
    ("mail_message", "model"),
    ("mail_followers", "res_model"),
    ("mail_activity", "res_model"),
]


def _rename_table(cr):
    cr.execute(f'ALTER TABLE "{OLD_TABLE}" RENAME TO "{NEW_TABLE}"')
    # constraints and indexes carry the table's name: Odoo looks them up by name
    cr.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND conname LIKE %s",
        (NEW_TABLE, f"{OLD_TABLE}%"),
    )
    for (name,) in cr.fetchall():
        new = NEW_TABLE + name[len(OLD_TABLE) :]
        cr.execute(f'ALTER TABLE "{NEW_TABLE}" RENAME CONSTRAINT "{name}" TO "{new}"')
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
        (NEW_TABLE, f"{OLD_TABLE}%"),
    )
    for (name,) in cr.fetchall():
        cr.execute(f'ALTER INDEX "{name}" RENAME TO "{NEW_TABLE + name[len(OLD_TABLE) :]}"')
    cr.execute(f'ALTER SEQUENCE IF EXISTS "{OLD_TABLE}_id_seq" RENAME TO "{NEW_TABLE}_id_seq"')


def _rename_model(cr):
    cr.execute("UPDATE ir_model SET model = %s WHERE model = %s", (NEW_MODEL, OLD_MODEL))
    for table, column in MODEL_NAME_COLUMNS:
        if sql.column_exists(cr, table, column):
            cr.execute(
                f'UPDATE "{table}" SET "{column}" = %s WHERE "{column}" = %s',
                (NEW_MODEL, OLD_MODEL),
            )
    cr.execute(
        "UPDATE ir_model_constraint SET name = %s WHERE name = %s",
        (f"{NEW_TABLE}_order_unique", f"{OLD_TABLE}_order_unique"),
    )
    cr.execute(
        """UPDATE ir_model_fields SET name = 'customer_receipt_ids'
            WHERE model = 'sale.order' AND name = 'receipt_confirmation_ids'"""
    )


def _rename_xmlids(cr):
    for old, new in XMLID_PREFIXES:
        cr.execute(
            """UPDATE ir_model_data SET name = %s || substr(name, %s)
                WHERE module = 'sales_assistant' AND name LIKE %s""",
            (new, len(old) + 1, old.replace("_", r"\_") + "%"),
        )


def migrate(cr, version):
    if not version or not sql.table_exists(cr, OLD_TABLE):
        return
    _rename_table(cr)
    _rename_model(cr)
    _rename_xmlids(cr)
    _logger.info("sales_assistant: %s renamed to %s", OLD_MODEL, NEW_MODEL)
