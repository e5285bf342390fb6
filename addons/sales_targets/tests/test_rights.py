import json
from datetime import date, datetime

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import JAN, CommissionCase, TargetsCase


class HeavyActionsCase(CommissionCase):
    """A plan with January targets for two salespeople who each sold in January."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_order(cls.rep_a, 1000, datetime(2025, 1, 10, 9))
        cls.make_order(cls.rep_b, 2000, datetime(2025, 1, 12, 9))
        cls.env.flush_all()

    def january(self, user):
        return self.plan.target_ids.filtered(lambda t: t.user_id == user and t.date_from == JAN[0])


@tagged("post_install", "-at_install")
class TestHeavyActions(HeavyActionsCase):
    def test_salesperson_cannot_refresh_a_whole_plan(self):
        with self.assert_raises_msg(UserError, "refresh your own targets"):
            self.plan.with_user(self.rep_a).action_refresh_achievement()
        with self.assert_raises_msg(UserError, "refresh your own targets"):
            self.plan.with_user(self.leader).action_refresh_achievement()
        self.assertFalse(self.plan.achievement_refreshed_at)
        self.assertFalse(self.january(self.rep_b).actual)
        self.plan.with_user(self.manager).action_refresh_achievement()
        self.assertTrue(self.plan.achievement_refreshed_at)
        self.assertEqual(self.january(self.rep_b).actual, 2000)

    def test_salesperson_refreshes_only_own_targets(self):
        mine, colleagues = self.january(self.rep_a), self.january(self.rep_b)
        mine.with_user(self.rep_a).action_refresh_achievement()
        self.assertEqual(mine.actual, 1000)
        self.assertEqual(mine.achievement_pct, 10)
        self.assertFalse(colleagues.actual, "a colleague's target is not refreshed")
        self.assertFalse(colleagues.achievement_date)
        self.assertFalse(
            self.plan.achievement_refreshed_at, "the cron still refreshes the whole plan"
        )
        with self.assertRaises(AccessError):
            colleagues.with_user(self.rep_a).action_refresh_achievement()
        # a team leader sees the team's targets but refreshes only their own
        with self.assert_raises_msg(UserError, "ask your manager to refresh the others"):
            colleagues.with_user(self.leader).action_refresh_achievement()
        self.assertFalse(colleagues.actual)

    def test_own_refresh_costs_the_same_in_a_bigger_plan(self):
        mine = self.january(self.rep_a).with_user(self.rep_a)

        def run():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            mine.action_refresh_achievement()
            return self.env.cr.sql_log_count - before

        run()  # warm the caches (ACLs, rules, groups)
        small = run()
        self.plan.action_reset_draft()
        for month in range(4, 13):
            start = date(2025, month, 1)
            end = fields.Date.end_of(start, "month")
            for rep in (self.rep_b, self.rep_c):
                self.make_target(rep, value=10, start=start, end=end)
                self.make_order(rep, 10, datetime(2025, month, 3, 9))
        self.plan.action_approve()
        self.assertEqual(run(), small)
        self.assertEqual(mine.actual, 1000)

    def test_salesperson_cannot_recompute_statements(self):
        statement = self.of(self.statements(JAN), self.rep_a)
        computed_at = statement.computed_at
        self.env.cr.execute(
            "UPDATE sales_commission_statement_line SET amount = 0 WHERE statement_id = %s",
            [statement.id],
        )
        with self.assert_raises_msg(UserError, "Only sales target managers recompute"):
            statement.with_user(self.rep_a).action_recompute()
        self.assertEqual(statement.computed_at, computed_at)
        self.assertFalse(any(statement.line_ids.mapped("amount")))
        # their own month stays open to them
        self.assertTrue(
            self.env["sales.commission.statement"].with_user(self.rep_a)._earned_to_date()
        )


@tagged("post_install", "-at_install")
class TestHeavyActionsRpc(HeavyActionsCase, HttpCase):
    """The same refusals over JSON-RPC, as the web client of a salesperson sends them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_a.password = "tgt_rep_a_secret"
        cls.manager.password = "tgt_manager_secret"

    def call(self, model, method, ids):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"model": model, "method": method, "args": [ids], "kwargs": {}},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_plan_refresh_and_statement_recompute_over_rpc(self):
        statement = self.of(self.statements(JAN), self.rep_a)
        self.authenticate("tgt_rep_a", "tgt_rep_a_secret")
        for model, method, ids in (
            ("sales.target.plan", "action_refresh_achievement", self.plan.ids),
            ("sales.commission.statement", "action_recompute", statement.ids),
        ):
            error = self.call(model, method, ids).get("error")
            self.assertTrue(error, f"{method} is refused to a salesperson")
            self.assertEqual(error["data"]["name"], "odoo.exceptions.UserError")
            self.assertIn("Only sales target managers", error["data"]["message"])
        self.assertFalse(self.plan.achievement_refreshed_at)
        # their own targets
        mine = self.january(self.rep_a)
        result = self.call("sales.target", "action_refresh_achievement", mine.ids)
        self.assertTrue(result.get("result"), result)
        mine.invalidate_recordset()
        self.assertEqual(mine.actual, 1000)
        self.assertFalse(self.january(self.rep_b).actual)
        self.authenticate("tgt_manager", "tgt_manager_secret")
        result = self.call("sales.target.plan", "action_refresh_achievement", self.plan.ids)
        self.assertTrue(result.get("result"), result)
        self.plan.invalidate_recordset()
        self.assertTrue(self.plan.achievement_refreshed_at)


@tagged("post_install", "-at_install")
class TestGenericMetric(TargetsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.group_system = cls.env.ref("base.group_system")
        cls.lead_metric_vals = cls.generic_vals("crm.lead", "user_id")

    @classmethod
    def generic_vals(cls, model, user_field):
        Fields = cls.env["ir.model.fields"]
        return {
            "name": f"Records of {model}",
            "metric_type": "generic",
            "model_id": cls.env["ir.model"]._get_id(model),
            "date_field_id": Fields._get(model, "create_date").id,
            "user_field_id": Fields._get(model, user_field).id,
            "aggregate": "count",
        }

    def plan_vals(self, metric, manager):
        return {
            "name": "Generic plan",
            "date_from": date(2025, 1, 1),
            "date_to": date(2025, 12, 31),
            "metric_ids": [Command.set(metric.ids)],
            "manager_id": manager.id,
        }

    def test_only_administrators_define_generic_metrics(self):
        Metric = self.env["sales.target.metric"]
        with self.assert_raises_msg(AccessError, "ask your administrator"):
            Metric.with_user(self.manager).create(self.lead_metric_vals)
        metric = Metric.with_user(self.admin).create(self.lead_metric_vals)
        users = self.generic_vals("res.users", "write_uid")
        for vals in (
            {"model_id": users["model_id"]},
            {"sum_field_id": users["date_field_id"], "aggregate": "sum"},
            {"domain": "[('active', '=', False)]"},
        ):
            with self.assertRaises(AccessError):
                metric.with_user(self.manager).write(vals)
        revenue = Metric.with_user(self.manager).create(
            {"name": "Revenue 2", "metric_type": "revenue"}
        )
        with self.assertRaises(AccessError):
            revenue.with_user(self.manager).write(dict(self.lead_metric_vals, name="Revenue 2"))
        self.assertEqual(revenue.metric_type, "revenue")
        self.assertEqual(metric.model_id.model, "crm.lead")
        # the rest of a generic metric is the manager's, as for any metric
        metric.with_user(self.manager).write({"name": "Leads created", "sequence": 3})
        self.assertEqual(metric.name, "Leads created")

    def test_generic_metric_refuses_models_the_plan_manager_cannot_read(self):
        Metric = self.env["sales.target.metric"].with_user(self.admin)
        secret = Metric.create(self.generic_vals("ir.config_parameter", "create_uid"))
        Plan = self.env["sales.target.plan"].with_user(self.manager)
        # at save, from the plan's side and from the metric's
        with self.assert_raises_msg(ValidationError, "cannot read System Parameter"):
            Plan.create(self.plan_vals(secret, self.manager))
        leads = Metric.create(self.lead_metric_vals)
        plan = Plan.create(self.plan_vals(leads, self.manager))
        with self.assert_raises_msg(ValidationError, "cannot read System Parameter"):
            leads.write(
                {
                    "model_id": secret.model_id.id,
                    "user_field_id": secret.user_field_id.id,
                    "date_field_id": secret.date_field_id.id,
                }
            )
        self.assertEqual(leads.model_id.model, "crm.lead")
        # at compute: a manager who could read the model when the plan was saved, no longer
        self.manager.groups_id = [Command.link(self.group_system.id)]
        plan.write({"metric_ids": [Command.link(secret.id)]})
        self.make_target(self.rep_a, metric=secret, plan=plan)
        self.manager.groups_id = [Command.unlink(self.group_system.id)]
        self.env.flush_all()
        with self.assert_raises_msg(ValidationError, "cannot read System Parameter"):
            plan._recompute_achievements()
        # what the manager may read is counted as before
        today = fields.Date.context_today(self.env.user)
        this_year = Plan.create(
            dict(
                self.plan_vals(leads, self.manager),
                date_from=today.replace(month=1, day=1),
                date_to=today.replace(month=12, day=31),
            )
        )
        self.env["crm.lead"].create({"name": "Lead", "user_id": self.rep_a.id})
        target = self.make_target(
            self.rep_a,
            metric=leads,
            plan=this_year,
            start=this_year.date_from,
            end=this_year.date_to,
        )
        this_year._recompute_achievements()
        created = self.env["crm.lead"].search_count(
            [
                ("user_id", "=", self.rep_a.id),
                ("create_date", ">=", this_year.date_from),
                ("type", "in", ("lead", "opportunity")),
            ]
        )
        self.assertEqual(target.actual, created)
