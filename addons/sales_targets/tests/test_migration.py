from odoo.modules.migration import load_script
from odoo.tests import tagged
from odoo.tools.sql import column_exists, rename_column

from .common import TargetsCase

SCRIPT = "sales_targets/migrations/18.0.1.1.0/pre-migrate.py"


@tagged("post_install", "-at_install")
class TestRenamedFieldsMigration(TargetsCase):
    """A database made before 18.0.1.1.0 keeps the gap and breakdown of its targets, and its
    saved filters, when the fields take their new names."""

    def test_old_columns_and_filters_are_renamed(self):
        parent = self.make_target(value=5000)
        self.make_target(self.rep_a, value=3000, parent_id=parent.id)
        parent.gap_to_target = 1234  # as a refresh of a closed period left it
        self.env.flush_all()
        # the database as the previous version left it
        migration = load_script(SCRIPT, "sales_targets_pre_migrate_18_0_1_1_0")
        for old, new in migration.RENAMED_FIELDS.items():
            rename_column(self.env.cr, "sales_target", new, old)
        favourite = self.env["ir.filters"].create(
            {
                "name": "Off targets",
                "model_id": "sales.target",
                "domain": "[('mismatch', '=', True), ('gap', '>', 0)]",
                "sort": '["gap desc"]',
            }
        )
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.0.0")
        for old, new in migration.RENAMED_FIELDS.items():
            self.assertTrue(column_exists(self.env.cr, "sales_target", new))
            self.assertFalse(column_exists(self.env.cr, "sales_target", old))
        self.env.invalidate_all()
        self.assertEqual(parent.gap_to_target, 1234)
        self.assertTrue(parent.breakdown_differs)
        self.assertAlmostEqual(parent.breakdown_difference, 2000)
        self.assertEqual(
            favourite.domain, "[('breakdown_differs', '=', True), ('gap_to_target', '>', 0)]"
        )
        self.assertEqual(favourite.sort, '["gap_to_target desc"]')
        self.assertEqual(self.env["sales.target"].search(favourite._get_eval_domain()), parent)
