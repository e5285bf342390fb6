"""The seed's bulk path (``--bulk``): the rows of the large tables written with PostgreSQL
``COPY`` instead of the ORM's ``create()``, then Odoo recomputes and stores what it stores.

``copy_create(model, vals_list)`` stands for ``model.create(vals_list)`` on plain values (no
one2many commands): the ids are reserved from the table's sequence, the rows (the given values,
the model's defaults, the precomputed fields as ``create()`` computes them, and the log columns)
go through one ``COPY``, many2many values through Odoo's own field code, and every other stored
computed field is computed by Odoo, set-based, when the environment is flushed. The
``create()`` overrides of the model are NOT run: ``create_orders`` runs by hand what those of
the sale orders do (the sequence, the suite's compliance hooks); ``tests/test_seed_bulk.py``
checks that both paths give the same data.
"""

import io
import json

LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")


def _csv_field(value):
    """A value in PostgreSQL's CSV format: NULL unquoted and empty, text quoted."""
    if value is None:
        return ""
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, int | float):
        return repr(value)
    if hasattr(value, "adapted"):  # psycopg2's Json (jsonb columns)
        value = json.dumps(value.adapted)
    elif isinstance(value, dict):
        value = json.dumps(value)
    else:
        value = str(value)
    return '"' + value.replace('"', '""') + '"'


def copy_rows(cr, table, columns, rows):
    """``COPY table (columns) FROM STDIN`` the ``rows`` (sequences of Python values)."""
    if not rows:
        return
    buffer = io.StringIO()
    for row in rows:
        buffer.write(",".join(map(_csv_field, row)))
        buffer.write("\n")
    buffer.seek(0)
    cols = ", ".join(f'"{c}"' for c in columns)
    cr._obj.copy_expert(f'COPY "{table}" ({cols}) FROM STDIN WITH (FORMAT csv)', buffer)


def reserve_ids(cr, table, count):
    cr.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        (table, count),
    )
    return [row[0] for row in cr.fetchall()]


def _non_empty(commands):
    """Whether x2many ``commands`` add records (an empty set or a clear adds none)."""
    return any(not (cmd[0] == 5 or (cmd[0] == 6 and not cmd[2])) for cmd in commands or ())


def copy_create(model, vals_list):
    """Create ``model`` records for ``vals_list`` with COPY; returns them, in order.

    Fields a value gives are kept (as ``create()`` protects them), precomputed fields computed
    as ``create()`` computes them; the other stored computed fields are computed by Odoo at the
    next flush, for all the records at once."""
    if not vals_list:
        return model.browse()
    env = model.env
    cr = env.cr
    fields = model._fields
    given = sorted({name for vals in vals_list for name in vals})
    for name in given:
        if name not in fields or not fields[name].store:
            raise ValueError(f"copy_create: {model._name}.{name} is not a stored field")
    # the model's defaults, once for all the rows (the seed's models have no per-row default)
    defaults = {
        name: value
        for name, value in model._add_missing_default_values(dict.fromkeys(given)).items()
        if name not in given and fields[name].store
    }
    # the precomputed fields, as create() computes them: in memory, written with the rows
    vals_list = [{**defaults, **vals} for vals in vals_list]
    model._add_precomputed_values(vals_list)
    for vals in vals_list:
        vals.pop("__precomputed__", None)
    given = sorted({name for vals in vals_list for name in vals})
    now, uid = cr.now(), env.uid
    columns, x2many = [], []
    for name in given:
        field = fields[name]
        if field.type in ("one2many", "many2many"):
            if field.type == "many2many":
                x2many.append(field)
            elif any(_non_empty(vals.get(name)) for vals in vals_list):
                raise ValueError(f"copy_create: {model._name}.{name}: create the lines apart")
        elif field.column_type and name not in LOG_COLUMNS and name != "id":
            columns.append(field)
    ids = reserve_ids(cr, model._table, len(vals_list))
    rows = []
    for rid, vals in zip(ids, vals_list, strict=True):
        row = [rid, uid, now, uid, now]
        for field in columns:
            row.append(field.convert_to_column_insert(vals.get(field.name, False), model, vals))
        rows.append(row)
    copy_rows(cr, model._table, ["id", *LOG_COLUMNS, *(f.name for f in columns)], rows)
    records = model.browse(ids)
    # the one2many fields the new rows belong to are read again (create() updates them)
    for name in given:
        if fields[name].type != "many2one":
            continue
        for inverse in model.pool.field_inverses[fields[name]]:
            targets = {vals[name] for vals in vals_list if vals.get(name)}
            env[inverse.model_name].browse(targets).invalidate_recordset([inverse.name])
    protected = [f for name in given for f in model.pool.field_computed.get(fields[name], [])]
    with env.protecting(protected, records):
        records.modified(fields, create=True)
        for field in x2many:
            field.create(
                [
                    (record, vals[field.name])
                    for record, vals in zip(records, vals_list, strict=True)
                    if vals.get(field.name)
                ]
            )
        for field in fields.values():
            if field.store and field.compute and field.name not in given:
                env.add_to_compute(field, records)
    records._validate_fields(given)
    return records


def create_orders(env, vals_list):
    """What ``sale.order.create(vals_list)`` does for the seed's values (orders with
    ``(0, 0, line values)`` commands), with COPY: the same records, in the same order."""
    from odoo import fields as odoo_fields  # noqa: PLC0415 (the CLI imports the seed first)

    SO = env["sale.order"]
    Sequence = env["ir.sequence"]
    shares = "credit_share_ids" in env["crm.lead"]._fields
    order_vals, line_vals = [], []
    for vals in vals_list:
        vals = dict(vals)
        line_vals.append([cmd[2] for cmd in vals.pop("order_line")])
        if shares and vals.get("opportunity_id"):
            if env["crm.lead"].browse(vals["opportunity_id"]).credit_share_ids:
                # sales_targets' create() copies them; the seed's opportunities have none
                raise RuntimeError("the bulk path does not copy an opportunity's credit shares")
        # sale.order.create(): the name from the sequence, dated on the order's local day
        day = odoo_fields.Datetime.context_timestamp(
            SO, odoo_fields.Datetime.to_datetime(vals["date_order"])
        )
        vals["name"] = Sequence.with_company(vals.get("company_id")).next_by_code(
            "sale.order", sequence_date=day
        )
        order_vals.append(vals)
    orders = copy_create(SO, order_vals)
    lines = copy_create(
        env["sale.order.line"],
        [
            {"order_id": order.id, **lvals}
            for order, lvals_list in zip(orders, line_vals, strict=True)
            for lvals in lvals_list
        ],
    )
    env.flush_all()
    # the suite's create() hooks: the lines' (sales_compliance), then the orders'
    if hasattr(SO, "_compliance_run_rules"):
        lines.order_id._compliance_void_stale_approvals()
        lines.order_id._compliance_recheck_confirmed()
        orders._compliance_run_rules()
    return orders


def create_invoices(env, vals_list):
    """What ``account.move.create(vals_list)`` does for the seed's complete customer invoices
    (``invoicing.py``: their tax and receivable journal items computed with the tax engine, the
    synchronisations skipped), with COPY: draft invoices, in the same order; the caller posts
    them through ``action_post()``, as it posts those of the ORM."""
    move_vals, line_vals = [], []
    for vals in vals_list:
        vals = dict(vals, move_type="out_invoice", is_manually_modified=False)
        # sale's _prepare_invoice() gives the salesperson twice: user_id is related to it
        vals.setdefault("invoice_user_id", vals.pop("user_id", False))
        vals.pop("user_id", None)
        # account.move._sanitize_vals(): the invoice lines come after the other lines
        commands = vals.pop("line_ids", []) + vals.pop("invoice_line_ids")
        line_vals.append([cmd[2] for cmd in commands])
        move_vals.append(vals)
    # as create() leaves them: not modified by hand (its checks compute fields by assignment)
    Move = env["account.move"].with_context(
        default_move_type="out_invoice", skip_is_manually_modified=True
    )
    moves = copy_create(Move, move_vals)
    copy_create(
        env["account.move.line"],
        [
            {"move_id": move.id, **lvals}
            for move, lvals_list in zip(moves, line_vals, strict=True)
            for lvals in lvals_list
        ],
    )
    env.flush_all()
    return moves.with_env(env)
