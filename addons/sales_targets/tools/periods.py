"""Periods (``date_from`` to ``date_to``, both included) that may not overlap."""

from odoo.tools import SQL


def first_overlap(records, same_fields):
    """The first pair ``(record, other)``: one of ``records`` and another record of their
    model whose periods overlap and whose ``same_fields`` are equal; ``None`` when no
    period overlaps. One query for all the records, whatever their number."""
    records.flush_model([*same_fields, "date_from", "date_to"])
    table = SQL.identifier(records._table)
    records.env.cr.execute(
        SQL(
            """
            SELECT s.id, o.id
              FROM %(table)s s
              JOIN %(table)s o
                ON o.id != s.id AND %(same)s
               AND o.date_from <= s.date_to AND o.date_to >= s.date_from
             WHERE s.id IN %(ids)s
             LIMIT 1
            """,
            table=table,
            same=SQL(" AND ").join(
                SQL("%s = %s", SQL.identifier("o", name), SQL.identifier("s", name))
                for name in same_fields
            ),
            ids=tuple(records.ids),
        )
    )
    clash = records.env.cr.fetchone()
    return clash and (records.browse(clash[0]), records.browse(clash[1]))
