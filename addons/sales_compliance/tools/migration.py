"""Renaming a model in a pre-migration script, before the registry loads the new code.

Odoo then finds the table, the model, its fields, access lines, record rules and views
under the new names and updates them in place: every record keeps its id, its chatter and
its attachments. Any addon of the suite calls these from its ``pre-migrate.py``:
``from odoo.addons.sales_compliance.tools.migration import rename_model``
(``sales_compliance`` is a dependency, so it is loaded before the script runs).
"""

from odoo.tools import SQL, sql

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


def model_table(model):
    """The table Odoo makes for ``model``."""
    return model.replace(".", "_")


def rename_table(cr, old_table, new_table):
    """Rename a table with its constraints, indexes and id sequence: Odoo looks the
    constraints and indexes up by names that carry the table's name."""
    cr.execute(
        SQL("ALTER TABLE %s RENAME TO %s", SQL.identifier(old_table), SQL.identifier(new_table))
    )
    cr.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND conname LIKE %s",
        (new_table, f"{old_table}%"),
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
                SQL.identifier(new_table),
                SQL.identifier(name),
                SQL.identifier(new_table + name[len(old_table) :]),
            )
        )
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
        (new_table, f"{old_table}%"),
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER INDEX %s RENAME TO %s",
                SQL.identifier(name),
                SQL.identifier(new_table + name[len(old_table) :]),
            )
        )
    cr.execute(
        SQL(
            "ALTER SEQUENCE IF EXISTS %s RENAME TO %s",
            SQL.identifier(f"{old_table}_id_seq"),
            SQL.identifier(f"{new_table}_id_seq"),
        )
    )


def rename_model(cr, old_model, new_model):
    """Rename ``old_model`` to ``new_model``: its table (when it has one) and every place
    that names the model (``ir_model`` and the columns of ``MODEL_NAME_COLUMNS``)."""
    if sql.table_exists(cr, model_table(old_model)):
        rename_table(cr, model_table(old_model), model_table(new_model))
    cr.execute("UPDATE ir_model SET model = %s WHERE model = %s", (new_model, old_model))
    for table, column in MODEL_NAME_COLUMNS:
        if sql.column_exists(cr, table, column):
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s = %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    new_model,
                    SQL.identifier(column),
                    old_model,
                )
            )


def rename_xmlids(cr, module, prefixes):
    """Rename the xmlids of ``module`` that start with an old prefix: ``prefixes`` is a
    list of (old prefix, new prefix)."""
    for old, new in prefixes:
        cr.execute(
            """UPDATE ir_model_data SET name = %s || substr(name, %s)
                WHERE module = %s AND name LIKE %s""",
            (new, len(old) + 1, module, old.replace("_", r"\_") + "%"),
        )
