"""Trying a rule on past records (issue #22 §2b, §3): the rule replayed through the
engine on a past period, nothing written but the dry-run's results."""

from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.addons.sales_compliance.tests.common import (
    ComplianceCase,
    RpcError,
    call_kw,
    disable_demo_rules,
)
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged


class DryRunCase(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.DryRun = cls.env["sales.compliance.rule.dry.run"]
        today = cls.company._sales_today()
        # two past months: the period tried
        cls.month1 = today.replace(day=1) - relativedelta(months=3)
        cls.month2 = cls.month1 + relativedelta(months=1)
        cls.period_end = cls.month2 + relativedelta(months=1, days=-1)
        cls._salesman_ceiling(12)

    @classmethod
    def _past_order(cls, day, user=None, discount=0.0, price=100.0, state="sale"):
        order = cls._order(user=user, discount=discount, price=price)
        order.sudo().write({"state": state, "date_order": datetime.combine(day, time(12))})
        return order

    def _dry_run(self, rule, user=None, date_from=None, date_to=None):
        user = user or self.officer
        action = rule.with_user(user).action_try_on_past_records()
        dry_run = self.DryRun.with_user(user).browse(action["res_id"])
        dry_run.write(
            {"date_from": date_from or self.month1, "date_to": date_to or self.period_end}
        )
        return dry_run

    def _lines(self, dry_run, **domain):
        return dry_run.line_ids.filtered(
            lambda line: all(line[key] == value for key, value in domain.items())
        )

    def _counts(self):
        return {
            model: self.env[model].sudo().search_count([])
            for model in (
                "sales.compliance.violation",
                "sales.compliance.approval",
                "mail.message",
                "mail.mail",
            )
        }


@tagged("post_install", "-at_install")
class TestRuleDryRun(DryRunCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        day1, day2 = cls.month1 + relativedelta(days=4), cls.month2 + relativedelta(days=9)
        cls.order_rep_m1 = cls._past_order(day1, discount=20)
        cls.order_rep_m2 = cls._past_order(day2, discount=15, price=500)
        cls.order_rep_ok = cls._past_order(day2, discount=5)
        cls.order_rep2_m2 = cls._past_order(day2, user=cls.rep2, discount=30)
        # not tried: a quotation, and an order confirmed before the period
        cls._past_order(day2, discount=40, state="draft")
        cls._past_order(cls.month1 - relativedelta(days=3), discount=40)

    def _ceiling_rule(self, **vals):
        values = {
            "name": "Discount above 12%",
            "check": "discount_ceiling",
            "outcome": "block",
            "active": False,
        }
        return self._rule(**(values | vals))

    def test_a_12_percent_ceiling_dry_run_counts_the_orders_it_would_block_by_rep_and_month(self):
        rule = self._ceiling_rule()
        before = self._counts()
        dry_run = self._dry_run(rule)
        dry_run.action_run()
        self.assertEqual(self._counts(), before, "a dry-run writes no violation, approval or mail")
        self.assertEqual(dry_run.state, "done")
        self.assertEqual(dry_run.record_count, 4)
        self.assertEqual((dry_run.block_count, dry_run.warn_count, dry_run.hit_count), (3, 0, 3))
        by_rep_month = {
            (user.name, month): count
            for user, month, count in dry_run.line_ids._read_group(
                [("dry_run_id", "=", dry_run.id)], ["salesperson_id", "date:month"], ["__count"]
            )
        }
        self.assertEqual(
            by_rep_month,
            {
                ("Rep Wang", self.month1): 1,
                ("Rep Wang", self.month2): 1,
                ("Rep Zhang", self.month2): 1,
            },
        )
        line = self._lines(dry_run, res_id=self.order_rep_m1.id)
        self.assertEqual((line.value, line.limit, line.outcome), (20, 12, "block"))
        self.assertEqual((line.team_id, line.partner_id), (self.team, self.customer))
        self.assertFalse(self._lines(dry_run, res_id=self.order_rep_ok.id))
        # another period: the results of the first go
        dry_run.write({"date_from": self.month2})
        self.assertFalse(dry_run.line_ids)
        dry_run.action_run()
        self.assertEqual((dry_run.record_count, dry_run.block_count), (3, 2))

    def test_an_approval_rule_shows_the_levels_each_order_needs_and_the_approvers_load(self):
        officers = self.env.ref("sales_compliance.group_compliance_officer")
        rule = self._ceiling_rule(
            outcome="approval",
            level_ids=[
                Command.create({"name": "Team leader", "approver_type": "team_leader"}),
                Command.create(
                    {
                        "name": "Officer",
                        "approver_type": "user",
                        "user_id": self.officer.id,
                        "min_value": 18,
                    }
                ),
                Command.create(
                    {
                        "name": "Officers",
                        "approver_type": "group",
                        "group_id": officers.id,
                        "min_value": 25,
                        "sequence": 20,
                    }
                ),
            ],
        )
        before = self._counts()
        dry_run = self._dry_run(rule)
        dry_run.action_run()
        self.assertEqual(self._counts(), before)
        self.assertEqual(dry_run.approval_count, 3)
        level = {line.res_id: line.level_id.name for line in dry_run.line_ids}
        self.assertEqual(
            level,
            {
                self.order_rep_m2.id: "Team leader",  # 15%
                self.order_rep_m1.id: "Officer",  # 20%
                self.order_rep2_m2.id: "Officers",  # 30%
            },
        )
        load = dict(
            self.env["sales.compliance.rule.dry.run.line"]._read_group(
                [("dry_run_id", "=", dry_run.id)], ["approver_ids"], ["__count"]
            )
        )
        self.assertEqual(load, {self.leader: 3, self.officer: 2})
        groups = dict(
            self.env["sales.compliance.rule.dry.run.line"]._read_group(
                [("dry_run_id", "=", dry_run.id), ("approver_group_ids", "!=", False)],
                ["approver_group_ids"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {officers: 1})
        action = dry_run.action_view_load()
        self.assertIn(("outcome", "=", "approval"), action["domain"])

    def test_the_comparison_shows_what_the_active_rules_already_catch(self):
        self._rule(name="Large orders", check="amount", amount_limit=300, outcome="warn")
        dry_run = self._dry_run(self._ceiling_rule())
        dry_run.action_run()
        self.assertEqual((dry_run.alone_count, dry_run.caught_count), (2, 1))
        caught = self._lines(dry_run, comparison="caught")
        self.assertEqual(caught.res_id, self.order_rep_m2.id)  # 500 less 15%
        self.assertEqual(caught.caught_by, "Large orders")
        self.assertFalse(self._lines(dry_run, comparison="alone").mapped("caught_by")[0])

    def test_a_change_of_an_active_rule_is_tried_old_against_new_then_applied(self):
        active = self._rule(
            name="Larger orders",
            condition_type="domain",
            domain="[('amount_untaxed', '>', 90)]",
            outcome="warn",
        )
        action = active.with_user(self.officer).action_try_change()
        draft = self.Rule.browse(action["res_id"])
        self.assertEqual(draft.dry_run_of_id, active)
        self.assertFalse(draft.active)
        self.assertIn("(change)", draft.name)
        with self.assertRaisesMsg(ValidationError, "draft change"):
            draft.with_user(self.officer).write({"active": True})
        draft.with_user(self.officer).write(
            {"domain": "[('amount_untaxed', '>', 50), ('amount_untaxed', '<', 300)]"}
        )
        # the draft is not live: the active rule alone runs on a confirmation
        self.assertEqual(self.Rule._get_rules("sale.order", "confirm"), active.sudo())
        dry_run = self._dry_run(draft)
        dry_run.action_run()
        change = {line.res_id: line.change for line in dry_run.line_ids}
        self.assertEqual(
            change,
            {
                self.order_rep_m1.id: "new",  # 80
                self.order_rep2_m2.id: "new",  # 70
                self.order_rep_ok.id: "both",  # 95
                self.order_rep_m2.id: "old",  # 425
            },
        )
        self.assertEqual(
            (dry_run.new_only_count, dry_run.old_only_count, dry_run.both_count), (2, 1, 1)
        )
        # the original is compared as old, never counted as "already caught"
        self.assertEqual(dry_run.caught_count, 0)
        draft.with_user(self.officer).action_apply_change()
        self.assertFalse(draft.exists())
        self.assertEqual(
            active.domain, "[('amount_untaxed', '>', 50), ('amount_untaxed', '<', 300)]"
        )
        self.assertEqual(active.name, "Larger orders")
        self.assertTrue(active.active)

    def test_a_change_moves_the_levels_of_an_approval_rule(self):
        active = self._ceiling_rule(
            active=True,
            outcome="approval",
            level_ids=[Command.create({"name": "Leader", "approver_type": "team_leader"})],
        )
        draft = self.Rule.browse(active.with_user(self.officer).action_try_change()["res_id"])
        draft.with_user(self.officer).write(
            {
                "level_ids": [
                    Command.create(
                        {
                            "name": "Officer",
                            "approver_type": "user",
                            "user_id": self.officer.id,
                            "min_value": 25,
                        }
                    )
                ]
            }
        )
        draft.with_user(self.officer).action_apply_change()
        self.assertEqual(active.level_ids.mapped("name"), ["Leader", "Officer"])
        # nobody makes a draft change by hand
        with self.assertRaisesMsg(UserError, "Try a Change"):
            self._rule(name="Forged", check="amount", active=False, dry_run_of_id=active.id)

    def test_bad_input_is_refused_with_nothing_written(self):
        rule = self._ceiling_rule()
        dry_run = self._dry_run(rule)
        dry_run.write({"date_from": self.period_end, "date_to": self.month1})
        with self.assertRaisesMsg(UserError, "reversed"):
            dry_run.action_run()
        future = self.company._sales_today() + relativedelta(days=10)
        dry_run.write({"date_from": future, "date_to": future})
        with self.assertRaisesMsg(UserError, "no sales orders confirmed"):
            dry_run.action_run()
        self.assertEqual((dry_run.state, len(dry_run.line_ids)), ("draft", 0))
        # a domain stored around the form (an import, SQL) is checked as on save
        domain_rule = self._rule(name="Broken", condition_type="domain", domain="[]", active=False)
        self.env.cr.execute(
            "UPDATE sales_compliance_rule SET domain = %s WHERE id = %s",
            ("[('no_such_field', '=', 1)]", domain_rule.id),
        )
        self.env.invalidate_all()
        with self.assertRaisesMsg(ValidationError, "domain is not valid"):
            self._dry_run(domain_rule).action_run()
        # the results are the run's
        with self.assertRaisesMsg(UserError, "not edited"):
            dry_run.write({"record_count": 99})
        with self.assertRaisesMsg(UserError, "written by its run"):
            self.DryRun.with_user(self.officer).create({"rule_id": rule.id, "state": "done"})

    def test_only_system_administrators_try_a_python_rule(self):
        rule = self._rule(
            name="Code",
            condition_type="python",
            python_code="record.amount_total > 100",
            active=False,
            outcome="warn",
        )
        with self.assertRaisesMsg(AccessError, "Only system administrators"):
            rule.with_user(self.officer).action_try_on_past_records()
        dry_run = self._dry_run(rule, user=self.sysadmin)
        with self.assertRaisesMsg(AccessError, "Only system administrators"):
            self.DryRun.with_user(self.officer).browse(dry_run.id).action_run()
        dry_run.action_run()
        self.assertEqual(dry_run.warn_count, 1)  # 500 less 15%
        # a manager without the officer group has no dry-run
        with self.assertRaises(AccessError):
            self._ceiling_rule().with_user(self.manager).action_try_on_past_records()

    def test_the_queries_do_not_grow_with_the_records_of_a_batch(self):
        rule = self._ceiling_rule()
        day = self.company._sales_today() - relativedelta(years=2)
        few, many = day, day + relativedelta(days=7)
        self.env["sale.order"].browse(
            [self._past_order(few, discount=20).id for _i in range(20)]
            + [self._past_order(many, discount=20).id for _i in range(60)]
        )
        queries = {}
        for name, start in (("warm-up", few), ("20", few), ("60", many)):
            dry_run = self._dry_run(rule, date_from=start, date_to=start)
            self.env.invalidate_all()
            count = self.cr.sql_log_count
            dry_run.action_run()
            self.env.flush_all()
            queries[name] = self.cr.sql_log_count - count
            self.assertEqual(dry_run.block_count, 20 if start == few else 60)
        self.assertGreater(queries["20"], 0)
        self.assertEqual(queries["20"], queries["60"], queries)


@tagged("post_install", "-at_install")
class TestRuleDryRunRpc(HttpCase):
    """A rep meets dry-runs over JSON-RPC: refused, nothing created."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        disable_demo_rules(cls.env)
        cls.rep = new_test_user(
            cls.env, login="dry_rpc_rep", groups="sales_team.group_sale_salesman", name="Rep Sun"
        )
        cls.rule = cls.env["sales.compliance.rule"].create(
            {
                "name": "Try me",
                "model_name": "sale.order",
                "trigger": "confirm",
                "check": "amount",
                "amount_limit": 10,
                "active": False,
            }
        )
        cls.dry_run = cls.env["sales.compliance.rule.dry.run"].create({"rule_id": cls.rule.id})

    def test_a_rep_cannot_try_a_rule_nor_read_a_dry_run(self):
        self.authenticate("dry_rpc_rep", "dry_rpc_rep")
        DryRun = self.env["sales.compliance.rule.dry.run"]
        count = DryRun.search_count([])
        calls = (
            ("sales.compliance.rule", "action_try_on_past_records", [[self.rule.id]]),
            ("sales.compliance.rule.dry.run", "action_run", [[self.dry_run.id]]),
            ("sales.compliance.rule.dry.run", "create", [{"rule_id": self.rule.id}]),
            ("sales.compliance.rule.dry.run.line", "search_read", [[]]),
        )
        for model, method, args in calls:
            with self.subTest(method=method), self.assertRaisesRegex(RpcError, "not allowed"):
                call_kw(self, model, method, args)
        self.assertEqual(DryRun.search_count([]), count)
        self.assertEqual(self.dry_run.state, "draft")
