"""``sale.order.confirm.guide`` (and its ``.check`` and ``.line``) become
``sales.confirm.guide`` (issue #18: the suite's models take the suite's ``sales.`` prefix,
not a place in Odoo's own ``sale.order.*`` namespace).

Renamed before the registry loads the new code, so that Odoo finds the tables, models,
fields, selection values, access lines, record rules and the form view under the new names
and updates them in place, instead of creating new ones and deleting the old.
"""

import logging

from odoo.tools import sql

_logger = logging.getLogger(__name__)

# (old model, new model): the screen and its two kinds of lines
MODELS = [
    ("sale.order.confirm.guide", "sales.confirm.guide"),
    ("sale.order.confirm.guide.check", "sales.confirm.guide.check"),
    ("sale.order.confirm.guide.line", "sales.confirm.guide.line"),
]
# (old xmlid prefix, new xmlid prefix) of sales_assistant records named after the model
XMLID_PREFIXES = [
    ("model_sale_order_confirm_guide", "model_sales_confirm_guide"),
    ("field_sale_order_confirm_guide", "field_sales_confirm_guide"),
    ("selection__sale_order_confirm_guide", "selection__sales_confirm_guide"),
    ("access_sale_order_confirm_guide", "access_sales_confirm_guide"),
    ("view_sale_order_confirm_guide_form", "view_sales_confirm_guide_form"),
]
# tables whose char column names a model, as res_model or model
MODEL_NAME_COLUMNS = [
    ("ir_model_fields", "model"),
    ("ir_model_fields", "relation"),
    ("ir_model_data", "model"),
    ("ir_ui_view", "model"),
    ("ir_act_window", "res_model"),
    ("ir_act_server", "model_name"),
    ("ir_attachment", "res_model"),
    ("ir_filters", "model_id"),
    ("mail_message", "model"),
    ("mail_followers", "res_model"),
    ("mail_activity", "res_model"),
]


def _table(model):
    return model.replace(".", "_")


def _rename_table(cr, old_table, new_table):
    cr.execute(f'ALTER TABLE "{old_table}" RENAME TO "{new_table}"')
    # constraints and indexes carry the table's name: Odoo looks them up by name
    cr.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND conname LIKE %s",
        (new_table, f"{old_table}%"),
    )
    for (name,) in cr.fetchall():
        new = new_table + name[len(old_table) :]
        cr.execute(f'ALTER TABLE "{new_table}" RENAME CONSTRAINT "{name}" TO "{new}"')
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
        (new_table, f"{old_table}%"),
    )
    for (name,) in cr.fetchall():
        cr.execute(f'ALTER INDEX "{name}" RENAME TO "{new_table + name[len(old_table) :]}"')
    cr.execute(f'ALTER SEQUENCE IF EXISTS "{old_table}_id_seq" RENAME TO "{new_table}_id_seq"')


def _rename_model(cr, old_model, new_model):
    cr.execute("UPDATE ir_model SET model = %s WHERE model = %s", (new_model, old_model))
    for table, column in MODEL_NAME_COLUMNS:
        if sql.column_exists(cr, table, column):
            cr.execute(
                f'UPDATE "{table}" SET "{column}" = %s WHERE "{column}" = %s',
                (new_model, old_model),
            )


def _rename_xmlids(cr):
    for old, new in XMLID_PREFIXES:
        cr.execute(
            """UPDATE ir_model_data SET name = %s || substr(name, %s)
                WHERE module = 'sales_assistant' AND name LIKE %s""",
            (new, len(old) + 1, old.replace("_", r"\_") + "%"),
        )


def migrate(cr, version):
    if not version:
        return
    # the lines first: a table named after the screen is a prefix of theirs
    for old_model, new_model in reversed(MODELS):
        if sql.table_exists(cr, _table(old_model)):
            _rename_table(cr, _table(old_model), _table(new_model))
        _rename_model(cr, old_model, new_model)
    _rename_xmlids(cr)
    _logger.info("sales_assistant: sale.order.confirm.guide renamed to sales.confirm.guide")
