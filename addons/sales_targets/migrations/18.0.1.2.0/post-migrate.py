"""Issue #22: commission schemes have versions. Each scheme made before is its own version 1,
valid from the beginning (the field defaults), and the statements computed before record it."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE sales_commission_scheme
           SET version_kind = COALESCE(version_kind, 'version'),
               version_number = COALESCE(NULLIF(version_number, 0), 1)
         WHERE version_of_id IS NULL
        """
    )
    cr.execute(
        "UPDATE sales_commission_statement SET version_id = scheme_id WHERE version_id IS NULL"
    )
