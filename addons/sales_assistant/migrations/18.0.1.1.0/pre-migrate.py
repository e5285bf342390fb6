"""``sales.receipt.confirmation`` becomes ``sales.customer.receipt`` (issue #11: the old name
collided with the stock Receipts users know).

Renamed before the registry loads the new code, so that Odoo finds its table, model, fields,
constraint, access lines, record rules and views under the new names and keeps every receipt
(same ids, same chatter, same attachments) instead of creating empty ones and dropping the old.
"""

import logging

from odoo.addons.sales_compliance.tools.migration import rename_model, rename_xmlids
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


def _rename_receipt_names(cr):
    """What carries the old name beyond the model: its unique constraint and the
    field of the orders."""
    cr.execute(
        "UPDATE ir_model_constraint SET name = %s WHERE name = %s",
        (f"{NEW_TABLE}_order_unique", f"{OLD_TABLE}_order_unique"),
    )
    cr.execute(
        """UPDATE ir_model_fields SET name = 'customer_receipt_ids'
            WHERE model = 'sale.order' AND name = 'receipt_confirmation_ids'"""
    )


def migrate(cr, version):
    if not version or not sql.table_exists(cr, OLD_TABLE):
        return
    rename_model(cr, OLD_MODEL, NEW_MODEL)
    _rename_receipt_names(cr)
    rename_xmlids(cr, "sales_assistant", XMLID_PREFIXES)
    _logger.info("sales_assistant: %s renamed to %s", OLD_MODEL, NEW_MODEL)
