from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TargetsCase


@tagged("post_install", "-at_install")
class TestTargetPlans(TargetsCase):
    def test_hierarchy_and_period_type(self):
        year = self.make_target(value=12000, start=date(2025, 1, 1), end=date(2025, 12, 31))
        quarter = self.make_target(
            value=3000, start=date(2025, 1, 1), end=date(2025, 3, 31), parent_id=year.id
        )
        month = self.make_target(
            self.rep_a,
            value=1000,
            start=date(2025, 1, 1),
            end=date(2025, 1, 31),
            parent_id=quarter.id,
        )
        self.assertEqual(year.period_type, "year")
        self.assertEqual(quarter.period_type, "quarter")
        self.assertEqual(month.period_type, "month")
        self.assertEqual(month.team_id, self.team_1, "a rep's target belongs to the rep's team")
        self.assertIn(str(year.id), month.parent_path.split("/"))
        self.assertEqual(year.child_ids, quarter)

    def test_mismatch_flag(self):
        parent = self.make_target(value=3000, start=date(2025, 1, 1), end=date(2025, 3, 31))
        self.make_target(self.rep_a, value=1000, parent_id=parent.id)
        self.make_target(self.rep_b, value=1500, parent_id=parent.id)
        self.assertTrue(parent.breakdown_differs)
        self.assertAlmostEqual(parent.breakdown_difference, 500.0)
        self.make_target(self.rep_c, value=500, parent_id=parent.id)
        self.assertFalse(parent.breakdown_differs)
        self.assertAlmostEqual(parent.children_total, 3000.0)

    def test_overlapping_periods_rejected(self):
        self.make_target(self.rep_a, value=1000)
        count = self.env["sales.target"].search_count([])
        with self.assert_raises_msg(ValidationError, "overlaps"):
            self.make_target(self.rep_a, value=800, start=date(2025, 1, 1), end=date(2025, 1, 31))
        self.assertEqual(self.env["sales.target"].search_count([]), count)
        # another rep, or another metric, is fine
        self.make_target(self.rep_b, value=800)
        self.make_target(self.rep_a, value=5, metric=self.metric_new)

    def test_negative_target_rejected(self):
        with self.assert_raises_msg(ValidationError, "cannot be negative"):
            self.make_target(self.rep_a, value=-10)
        target = self.make_target(self.rep_a, value=10)
        with self.assert_raises_msg(ValidationError, "cannot be negative"):
            target.target_value = -1
        self.assertEqual(target.target_value, 10)

    def test_child_outside_parent_rejected(self):
        parent = self.make_target(value=3000, start=date(2025, 1, 1), end=date(2025, 3, 31))
        with self.assert_raises_msg(ValidationError, "outside the period of its parent"):
            self.make_target(
                self.rep_a,
                value=100,
                start=date(2025, 4, 1),
                end=date(2025, 4, 30),
                parent_id=parent.id,
            )
        self.assertFalse(parent.child_ids)

    def test_target_outside_plan_rejected(self):
        with self.assert_raises_msg(ValidationError, "within its plan"):
            self.make_target(self.rep_a, start=date(2026, 1, 1), end=date(2026, 1, 31))

    def test_locked_plan_cannot_change(self):
        target = self.make_target(self.rep_a, value=1000)
        self.plan.action_approve()
        self.plan.action_lock()
        self.assertEqual(self.plan.state, "locked")
        with self.assert_raises_msg(UserError, "locked"):
            target.target_value = 2000
        with self.assert_raises_msg(UserError, "locked"):
            self.make_target(self.rep_b, value=10)
        with self.assert_raises_msg(UserError, "locked"):
            target.unlink()
        with self.assert_raises_msg(UserError, "locked"):
            self.plan.date_to = date(2025, 11, 30)
        # the context keys the code reads, as a client sends them over RPC (JSON values,
        # never the actions' private sentinel), open nothing
        forged = self.plan.with_user(self.manager).with_context(
            sales_target_plan_state_change=True, target_revision_reason="Forged reason"
        )
        with self.assert_raises_msg(UserError, "locked"):
            forged.write({"date_to": date(2025, 11, 30)})
        with self.assert_raises_msg(UserError, "with its buttons"):
            forged.write({"state": "approved"})
        self.assertEqual(self.plan.state, "locked")
        self.assertEqual(target.target_value, 1000)
        self.assertEqual(self.plan.date_to, date(2025, 12, 31))
        self.assertEqual(len(self.plan.target_ids), 1)
        # back to approved or draft only through Unlock (which records a revision)
        plan = self.plan.with_user(self.manager)
        for state in ("approved", "draft"):
            with self.assert_raises_msg(UserError, "with its buttons"):
                plan.write({"state": state})
            self.assertEqual(self.plan.state, "locked")
        self.assertFalse(self.plan.revision_ids)
        plan.action_unlock()
        self.assertEqual(self.plan.state, "approved")
        self.assertEqual(len(self.plan.revision_ids), 1)
        with self.assert_raises_msg(UserError, "with its buttons"):
            plan.write({"state": "draft"})
        self.assertEqual(self.plan.state, "approved")
        plan.action_lock()
        # discussing a locked plan and its targets is still possible
        message = target.message_post(body="Well done")
        self.assertIn(message, target.message_ids)
        attachment = self.env["ir.attachment"].create(
            {
                "name": "review.txt",
                "raw": b"ok",
                "res_model": self.plan._name,
                "res_id": self.plan.id,
            }
        )
        review = self.plan.message_post(body="Year review", attachment_ids=attachment.ids)
        self.assertEqual(review.attachment_ids, attachment)

    def test_approved_plan_change_needs_reason_and_records_revision(self):
        target = self.make_target(self.rep_a, value=1000)
        self.plan.action_approve()
        with self.assert_raises_msg(UserError, "reason"):
            target.target_value = 1200
        self.assertEqual(target.target_value, 1000)
        wizard = self.env["sales.target.revise"].create(
            {"target_id": target.id, "new_value": 1200, "reason": "Bigger territory"}
        )
        wizard.action_apply()
        self.assertEqual(target.target_value, 1200)
        revision = self.plan.revision_ids
        self.assertEqual(len(revision), 1)
        self.assertEqual(revision.reason, "Bigger territory")
        self.assertEqual((revision.old_value, revision.new_value), (1000, 1200))
        self.assertEqual(revision.user_id, self.env.user)

    def test_salesperson_is_told_to_ask_their_manager(self):
        target = self.make_target(self.rep_a, value=1000)
        self.plan.action_approve()
        for user in (self.rep_a, self.leader):
            mine = target.with_user(user)
            with self.assert_raises_msg(UserError, "Ask your manager to revise the target"):
                mine.target_value = 2000
            # a reason sent along does not make them a manager
            with self.assert_raises_msg(UserError, "Ask your manager to revise the target"):
                mine.with_context(target_revision_reason="I sold more").target_value = 2000
            with self.assert_raises_msg(UserError, "ask your manager"):
                self.plan.with_user(user).action_lock()
        self.plan.action_lock()
        with self.assert_raises_msg(UserError, "ask your sales targets manager to unlock it"):
            target.with_user(self.rep_a).target_value = 2000
        self.assertEqual(target.target_value, 1000)
        self.assertFalse(self.plan.revision_ids)

    def test_generate_company_targets(self):
        self.plan.metric_ids = [Command.link(self.metric_margin.id)]
        self.plan.action_generate_top_targets()
        tops = self.plan.target_ids
        self.assertEqual(tops.metric_id, self.metric_revenue | self.metric_margin)
        self.assertEqual(set(tops.mapped("period_type")), {"year"})
        self.assertEqual(set(tops.mapped("assignee_type")), {"company"})


@tagged("post_install", "-at_install")
class TestTargetAccess(TargetsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.t_a = cls.make_target(cls.rep_a, value=100)
        cls.t_b = cls.make_target(cls.rep_b, value=100)
        cls.t_c = cls.make_target(cls.rep_c, value=100)
        cls.t_team = cls.make_target(value=300, assignee_type="team", team_id=cls.team_1.id)
        cls.t_company = cls.make_target(value=1000)

    def visible(self, user):
        return self.env["sales.target"].with_user(user).search([("plan_id", "=", self.plan.id)])

    def test_salesperson_sees_only_own_targets(self):
        self.assertEqual(self.visible(self.rep_a), self.t_a)
        with self.assertRaises(AccessError):
            self.t_b.with_user(self.rep_a).read(["target_value"])

    def test_team_leader_sees_team_targets(self):
        self.assertEqual(self.visible(self.leader), self.t_a | self.t_b | self.t_team)

    def test_manager_sees_all(self):
        self.assertEqual(
            self.visible(self.manager),
            self.t_a | self.t_b | self.t_c | self.t_team | self.t_company,
        )

    def test_only_managers_edit_plans(self):
        with self.assertRaises(AccessError):
            self.plan.with_user(self.leader).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.t_a.with_user(self.rep_a).write({"target_value": 1e6})
        with self.assertRaises(AccessError):
            self.env["sales.target.plan"].with_user(self.rep_a).create(
                {
                    "name": "x",
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 2, 1),
                    "metric_ids": [Command.set(self.metric_revenue.ids)],
                }
            )
        self.plan.with_user(self.manager).write({"name": "Renamed"})
        self.assertEqual(self.plan.name, "Renamed")
        self.assertEqual(self.t_a.target_value, 100)

    def test_other_company_plan_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        plan = self.env["sales.target.plan"].create(
            {
                "name": "Other",
                "company_id": other.id,
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
                "metric_ids": [Command.set(self.metric_revenue.ids)],
            }
        )
        plans = self.env["sales.target.plan"].with_user(self.manager).search([])
        self.assertNotIn(plan, plans)
        self.assertIn(self.plan, plans)


@tagged("post_install", "-at_install")
class TestPlanRevision(TargetsCase):
    def test_changing_approved_plan_records_revision(self):
        self.plan.action_approve()
        with self.assert_raises_msg(UserError, "reason"):
            self.plan.manager_id = self.leader
        self.assertEqual(self.plan.manager_id, self.env.user)
        self.plan.with_context(target_revision_reason="New sales director").manager_id = self.leader
        self.assertEqual(self.plan.manager_id, self.leader)
        revision = self.plan.revision_ids
        self.assertEqual(revision.reason, "New sales director")
        self.assertEqual(revision.change, "Manager")
        self.plan.name = "Renamed without reason"  # the name is free
        self.assertEqual(len(self.plan.revision_ids), 1)

    def test_target_tree_order_and_levels(self):
        year = self.make_target(value=12000, start=date(2025, 1, 1), end=date(2025, 12, 31))
        q1 = self.make_target(
            value=3000, start=date(2025, 1, 1), end=date(2025, 3, 31), parent_id=year.id
        )
        jan = self.make_target(self.rep_a, value=1000, parent_id=q1.id)
        q2 = self.make_target(
            value=3000, start=date(2025, 4, 1), end=date(2025, 6, 30), parent_id=year.id
        )
        self.assertEqual((year.level, q1.level, jan.level), (0, 1, 2))
        self.assertTrue(jan.indented_name.startswith("\u3000\u3000"))
        ordered = self.env["sales.target"].search(
            [("plan_id", "=", self.plan.id)], order="plan_id, parent_path"
        )
        self.assertEqual(ordered.ids, [year.id, q1.id, jan.id, q2.id])


@tagged("post_install", "-at_install")
class TestSettings(TargetsCase):
    def test_settings_drive_visits_and_cron_batch(self):
        call_type = self.env["mail.activity.type"].create(
            {"name": "Tgt field call", "keep_done": True}
        )
        settings = self.env["res.config.settings"].create(
            {"sales_targets_cron_batch_size": 7, "sales_targets_visit_type_id": call_type.id}
        )
        settings.execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("sales_targets.cron_batch_size"), "7")
        metric = self.env["sales.target.metric"].create({"name": "Calls", "metric_type": "visits"})
        self.assertEqual(metric.activity_type_id, call_type)

    def test_visit_type_must_keep_done_activities(self):
        forgetful = self.env["mail.activity.type"].create({"name": "Tgt forgetful call"})
        with self.assert_raises_msg(ValidationError, "Keep Done"):
            self.env["sales.target.metric"].create(
                {"name": "Calls", "metric_type": "visits", "activity_type_id": forgetful.id}
            )
        self.assertFalse(self.env["sales.target.metric"].search([("name", "=", "Calls")]))
