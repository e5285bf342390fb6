"""18.0.1.1.0: fields of sales.target renamed so that the name says what they are.

``gap`` (target minus actual) becomes ``gap_to_target``; ``mismatch`` and ``mismatch_amount``
(the children's targets do not add up to the parent's) become ``breakdown_differs`` and
``breakdown_difference``. The columns are renamed before the registry loads, so that the
figures of closed periods (which the hourly refresh no longer rewrites) are kept, and the
saved filters and favourites on targets follow.
"""

from odoo.tools.sql import column_exists, rename_column

RENAMED_FIELDS = {
    "gap": "gap_to_target",
    "mismatch": "breakdown_differs",
    "mismatch_amount": "breakdown_difference",
}


def migrate(cr, version):
    if not version:
        return
    for old, new in RENAMED_FIELDS.items():
        if column_exists(cr, "sales_target", old) and not column_exists(cr, "sales_target", new):
            rename_column(cr, "sales_target", old, new)
        # saved filters name fields between quotes ('gap', not 'gap_x'), sorts as "gap desc"
        cr.execute(
            """
            UPDATE ir_filters
               SET domain = replace(replace(domain, %(old1)s, %(new1)s), %(old2)s, %(new2)s),
                   context = replace(replace(context, %(old1)s, %(new1)s), %(old2)s, %(new2)s),
                   sort = regexp_replace(sort, %(sort_old)s, %(sort_new)s, 'g')
             WHERE model_id = 'sales.target'
            """,
            {
                "old1": f"'{old}'",
                "new1": f"'{new}'",
                "old2": f'"{old}"',
                "new2": f'"{new}"',
                "sort_old": f'"{old}([ "])',
                "sort_new": f'"{new}\\1',
            },
        )
