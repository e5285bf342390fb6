"""The small helpers of ``sales_compliance/tools`` that the three addons share."""

from odoo.addons.sales_compliance.tools.actions import form_action, notification_action
from odoo.addons.sales_compliance.tools.batches import run_batches
from odoo.addons.sales_compliance.tools.migration import rename_model, rename_xmlids
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSharedTools(TransactionCase):
    def test_a_batched_job_runs_until_nothing_remains(self):
        remaining = [5]

        def step(size):
            done = min(size, remaining[0])
            remaining[0] -= done
            return done, remaining[0]

        self.assertEqual(run_batches(step, 2), 5)
        self.assertEqual(remaining, [0])

    def test_a_batch_that_does_nothing_stops_the_run(self):
        calls = []

        def stuck():
            calls.append(1)
            return 0, 3

        self.assertEqual(run_batches(stuck), 0)
        self.assertEqual(len(calls), 1)

    def test_a_form_action_opens_the_record_or_a_new_one(self):
        self.assertEqual(
            form_action("res.partner", 7, target="new"),
            {
                "type": "ir.actions.act_window",
                "res_model": "res.partner",
                "res_id": 7,
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "new",
            },
        )
        self.assertNotIn("res_id", form_action("res.partner", context={"default_name": "x"}))

    def test_a_notification_closes_the_dialog_only_when_asked(self):
        shown = notification_action("Done")
        self.assertEqual(shown["tag"], "display_notification")
        self.assertEqual(shown["params"], {"type": "success", "message": "Done"})
        closing = notification_action("Careful", kind="warning", sticky=True, close_dialog=True)
        self.assertEqual(
            closing["params"],
            {
                "type": "warning",
                "message": "Careful",
                "sticky": True,
                "next": {"type": "ir.actions.act_window_close"},
            },
        )

    def test_a_renamed_model_keeps_its_table_rows_constraints_and_xmlids(self):
        cr = self.env.cr
        cr.execute(
            "CREATE TABLE x_shared_old_thing (id serial PRIMARY KEY, order_id int, "
            "CONSTRAINT x_shared_old_thing_order_unique UNIQUE (order_id))"
        )
        cr.execute("CREATE INDEX x_shared_old_thing_order_index ON x_shared_old_thing (order_id)")
        cr.execute("INSERT INTO x_shared_old_thing (order_id) VALUES (42)")
        # the model's rows as the registry would have them (raw: no registry reload)
        cr.execute(
            """INSERT INTO ir_model (model, name, state, "order")
               VALUES ('x_shared.old.thing', '{"en_US": "Old thing"}', 'base', 'id')
               RETURNING id"""
        )
        model_id = cr.fetchone()[0]
        cr.execute(
            """INSERT INTO ir_model_data (module, name, model, res_id)
               VALUES ('sales_compliance', 'model_x_shared_old_thing', 'ir.model', %s)""",
            (model_id,),
        )

        rename_model(cr, "x_shared.old.thing", "x_shared.new.thing")
        rename_xmlids(
            cr, "sales_compliance", [("model_x_shared_old_thing", "model_x_shared_new_thing")]
        )

        cr.execute("SELECT order_id FROM x_shared_new_thing")
        self.assertEqual(cr.fetchall(), [(42,)])
        cr.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'x_shared_new_thing'::regclass"
        )
        self.assertEqual(
            {name for (name,) in cr.fetchall()},
            {"x_shared_new_thing_pkey", "x_shared_new_thing_order_unique"},
        )
        cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'x_shared_new_thing'")
        self.assertIn("x_shared_new_thing_order_index", {name for (name,) in cr.fetchall()})
        cr.execute("SELECT model FROM ir_model WHERE id = %s", (model_id,))
        self.assertEqual(cr.fetchone(), ("x_shared.new.thing",))
        cr.execute(
            "SELECT name FROM ir_model_data WHERE model = 'ir.model' AND res_id = %s", (model_id,)
        )
        self.assertEqual(cr.fetchone(), ("model_x_shared_new_thing",))
