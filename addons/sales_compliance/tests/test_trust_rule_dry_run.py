"""Red-team review of the rule dry-run (*Try on Past Records*, *Try a Change*, *Apply the
Change*): hostile officers, reps and users of another company, as they would try it."""

from datetime import date
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, Command
from odoo.addons.sales_compliance.models import sales_compliance_rule_dry_run as dry_run_module
from odoo.addons.sales_compliance.tests.common import RpcError, call_kw, disable_demo_rules
from odoo.addons.sales_compliance.tests.test_rule_dry_run import DryRunCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

# What a dry-run must never write
SIDE_EFFECTS = (
    "sales.compliance.violation",
    "sales.compliance.approval",
    "sales.compliance.approval.step",
    "sales.compliance.ownership.log",
    "sales.compliance.credit.review",
    "sales.robot.message",
    "mail.message",
    "mail.mail",
    "mail.activity",
    "mail.followers",
    "bus.bus",
    "ir.attachment",
)


@tagged("post_install", "-at_install")
class TestTrustRuleDryRun(DryRunCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        day = cls.month1 + relativedelta(days=4)
        cls.orders = cls.env["sale.order"].browse(
            [cls._past_order(day, discount=20).id, cls._past_order(day, discount=30).id]
        )
        cls.company2 = cls.env["res.company"].create({"name": "Dry-Run Company Two"})
        cls.officer2 = new_test_user(
            cls.env,
            login="dry_officer2",
            groups="sales_team.group_sale_manager,sales_compliance.group_compliance_officer,"
            "base.group_allow_export",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
            name="Officer Two",
        )

    def _ceiling_rule(self, **vals):
        values = {"name": "Ceiling", "check": "discount_ceiling", "outcome": "block"}
        return self._rule(**(values | {"active": False} | vals))

    def _draft(self, rule, user=None):
        action = rule.with_user(user or self.officer).action_try_change()
        return self.Rule.with_user(user or self.officer).browse(action["res_id"])

    def _side_effects(self):
        return {model: self.env[model].sudo().search_count([]) for model in SIDE_EFFECTS}

    def test_a_draft_change_keeps_the_scope_of_its_rule_and_stays_archived(self):
        active = self._ceiling_rule(active=True)
        draft = self._draft(active)
        for vals in (
            {"model_name": "crm.lead", "trigger": "save", "check": "ownership"},
            {"trigger": "send"},
            {"company_id": False},
        ):
            with self.subTest(vals=vals), self.assertRaisesMsg(ValidationError, "draft change"):
                draft.write(vals)
        with self.assertRaisesMsg(ValidationError, "draft change"):
            active.with_user(self.officer).write({"trigger": "send"})
        for method in ("toggle_active", "action_unarchive"):
            with self.subTest(method=method), self.assertRaisesMsg(ValidationError, "archived"):
                getattr(draft, method)()
        self.assertEqual(self.Rule._get_rules("sale.order", "confirm"), active.sudo())
        draft.write({"outcome": "warn"})
        draft.action_apply_change()
        self.assertEqual(
            (active.outcome, active.trigger, active.company_id, active.active),
            ("warn", "confirm", self.company, True),
        )

    def test_an_officer_applies_no_python_change_and_changes_no_python_rule(self):
        code = self._rule(
            name="Code", condition_type="python", python_code="record.amount_total > 1"
        )
        code_draft = self._draft(code, user=self.sysadmin)
        domain = self._rule(name="Domain", condition_type="domain", domain="[('id', '>', 0)]")
        domain_draft = self._draft(domain)
        with self.assertRaisesMsg(AccessError, "Only system administrators"):
            domain_draft.write({"condition_type": "python", "python_code": "True"})
        domain_draft.with_user(self.sysadmin).write(
            {"condition_type": "python", "python_code": "record.amount_total > 2"}
        )
        for draft in (code_draft, domain_draft):
            with self.subTest(draft=draft.name), self.assertRaises(AccessError):
                draft.with_user(self.officer).action_apply_change()
            self.assertTrue(draft.exists())
        self.assertEqual(
            (domain.condition_type, code.python_code), ("domain", "record.amount_total > 1")
        )
        with self.assertRaisesMsg(AccessError, "Only system administrators"):
            domain_draft.with_user(self.officer).action_try_on_past_records()

    def test_a_python_rule_is_tried_with_the_salespersons_rights_never_as_superuser(self):
        as_root = self._rule(
            name="Root",
            condition_type="python",
            python_code=f"uid == {SUPERUSER_ID}",
            active=False,
            outcome="warn",
        )
        as_rep = self._rule(
            name="Rep",
            condition_type="python",
            python_code=f"uid == {self.rep.id}",
            active=False,
            outcome="warn",
        )
        for rule, hits in ((as_root, 0), (as_rep, 2)):
            dry_run = self._dry_run(rule, user=self.sysadmin)
            dry_run.action_run()
            self.assertEqual(dry_run.warn_count, hits, rule.name)

    def test_a_dry_run_of_credit_and_ownership_rules_writes_nothing(self):
        owner = self.env["res.partner"].create(
            {"name": "Owned Customer", "is_company": True, "user_id": self.rep2.id}
        )
        owner.with_company(self.company).credit_limit = 1
        day = self.month1 + relativedelta(days=6)
        for price in (300.0, 400.0):
            self._order(partner=owner, price=price).sudo().write(
                {"state": "sale", "date_order": f"{day} 12:00:00"}
            )
        rules = (
            self._ceiling_rule(
                name="Ownership",
                check="ownership",
                outcome="approval",
                level_ids=[Command.create({"name": "Leader", "approver_type": "team_leader"})],
            ),
            self._ceiling_rule(name="Exposure", check="credit_exposure", outcome="block"),
            self._ceiling_rule(
                name="Ceiling approval",
                outcome="approval",
                level_ids=[Command.create({"name": "Leader", "approver_type": "team_leader"})],
            ),
        )
        self.env.flush_all()
        before = self._side_effects()
        for rule in rules:
            dry_run = self._dry_run(rule)
            dry_run.action_run()
            self.env.flush_all()
            self.assertTrue(dry_run.hit_count, rule.name)
        self.assertEqual(self._side_effects(), before)

    def test_an_officer_of_another_company_meets_neither_the_rules_nor_the_results(self):
        rule = self._ceiling_rule()
        dry_run = self._dry_run(rule)
        dry_run.action_run()
        lines = dry_run.line_ids
        self.assertTrue(lines)
        Line = self.env["sales.compliance.rule.dry.run.line"].with_user(self.officer2)
        self.assertFalse(Line.search([("id", "in", lines.ids)]))
        self.assertFalse(Line.read_group([("id", "in", lines.ids)], ["outcome"], ["outcome"]))
        for call in (
            lambda: Line.browse(lines.ids).read(["record_name", "message"]),
            lambda: Line.browse(lines.ids).export_data(["record_name", "value"]),
            lambda: self.DryRun.with_user(self.officer2).browse(dry_run.id).action_run(),
            # a sales manager without the officer group
            lambda: lines.with_user(self.manager).read(["message"]),
        ):
            with self.assertRaises(AccessError):
                call()
        # a rule of another company: not readable, not tried
        other_rule = self.Rule.create(
            {
                "name": "Company one",
                "model_name": "sale.order",
                "trigger": "confirm",
                "check": "amount",
                "amount_limit": 1,
                "active": False,
                "company_id": self.company.id,
            }
        )
        with self.assertRaises(AccessError):
            self.DryRun.with_user(self.officer2).create({"rule_id": other_rule.id})
        self.officer2.company_ids |= self.company
        with self.assertRaisesMsg(ValidationError, "try it in that company"):
            self.DryRun.with_user(self.officer2).with_context(
                allowed_company_ids=[self.company2.id, self.company.id]
            ).create({"rule_id": other_rule.id})

    def test_bad_periods_are_refused_with_a_reason_and_nothing_written(self):
        dry_run = self._dry_run(self._ceiling_rule())
        with patch.object(dry_run_module, "MAX_RECORDS", 1):
            with self.assertRaisesMsg(UserError, "at most 1 records"):
                dry_run.action_run()
        dry_run.write({"date_from": date(9999, 12, 30), "date_to": date.max})
        with self.assertRaisesMsg(UserError, "out of the calendar"):
            dry_run.action_run()
        self.assertEqual((dry_run.state, len(dry_run.line_ids)), ("draft", 0))
        # a model without creation dates
        rule = self._ceiling_rule(trigger="send")
        fields = dict(self.env["sale.order"]._fields)
        del fields["create_date"]
        with patch.object(type(self.env["sale.order"]), "_fields", fields):
            with self.assertRaisesMsg(UserError, "no creation date"):
                self._dry_run(rule).action_run()
        # ten years: tried in batches, each with the results of one run
        ten_years = self.company._sales_today() - relativedelta(years=10)
        dry_run.write({"date_from": ten_years, "date_to": self.company._sales_today()})
        dry_run.action_run()
        whole = {(line.res_id, line.outcome, line.value) for line in dry_run.line_ids}
        self.assertTrue({order.id for order in self.orders} <= {res_id for res_id, *_ in whole})
        with patch.object(dry_run_module, "BATCH_SIZE", 2):
            dry_run.action_run()
        self.assertEqual(
            {(line.res_id, line.outcome, line.value) for line in dry_run.line_ids}, whole
        )


@tagged("post_install", "-at_install")
class TestTrustRuleDryRunRpc(HttpCase):
    """What a client sends over JSON-RPC: context keys and defaults switch nothing on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        disable_demo_rules(cls.env)
        cls.officer = new_test_user(
            cls.env,
            login="dry_rpc_officer",
            groups="sales_team.group_sale_manager,sales_compliance.group_compliance_officer",
        )
        cls.rep = new_test_user(
            cls.env, login="dry_rpc_rep2", groups="sales_team.group_sale_salesman"
        )
        Rule = cls.env["sales.compliance.rule"]
        base = {
            "model_name": "sale.order",
            "trigger": "confirm",
            "check": "amount",
            "amount_limit": 1,
        }
        cls.active = Rule.create(dict(base, name="Active"))
        cls.draft = Rule.browse(cls.active.with_user(cls.officer).action_try_change()["res_id"])
        cls.draft.write(
            {
                "outcome": "approval",
                "level_ids": [
                    Command.create(
                        {"name": "Leader", "approver_type": "user", "user_id": cls.officer.id}
                    )
                ],
            }
        )
        cls.active.active = False  # only the draft asks an approval, and it is archived
        partner = cls.env["res.partner"].create({"name": "RPC Customer"})
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.rep)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.env["product.product"].create({"name": "P"}).id,
                                "price_unit": 10,
                            }
                        )
                    ],
                }
            )
        )

    def test_context_keys_and_defaults_forge_no_draft_change_and_no_result(self):
        self.authenticate("dry_rpc_officer", "dry_rpc_officer")
        rule_id = call_kw(
            self,
            "sales.compliance.rule",
            "create",
            [
                {
                    "name": "Forged",
                    "model_name": "sale.order",
                    "trigger": "confirm",
                    "check": "amount",
                    "amount_limit": 5,
                    "active": False,
                }
            ],
            context={"default_dry_run_of_id": self.active.id},
        )
        copy_id = call_kw(
            self,
            "sales.compliance.rule",
            "copy",
            [[rule_id]],
            context={"default_dry_run_of_id": self.active.id},
        )
        self.assertFalse(
            self.env["sales.compliance.rule"].browse([rule_id, *copy_id]).dry_run_of_id
        )
        with self.assertRaisesRegex(RpcError, "Try a Change"):
            call_kw(
                self,
                "sales.compliance.rule",
                "copy",
                [[rule_id]],
                kwargs={"default": {"dry_run_of_id": self.active.id}},
                context={"compliance_change_copy": True},
            )
        dry_run_id = call_kw(
            self,
            "sales.compliance.rule.dry.run",
            "create",
            [{"rule_id": rule_id}],
            context={"default_state": "done", "default_record_count": 99},
        )
        dry_run = self.env["sales.compliance.rule.dry.run"].browse(dry_run_id)
        self.assertEqual((dry_run.state, dry_run.record_count), ("draft", 0))
        with self.assertRaisesRegex(RpcError, "not edited"):
            call_kw(
                self,
                "sales.compliance.rule.dry.run",
                "write",
                [[dry_run_id], {"state": "done"}],
                context={"compliance_dry_run_flow": True},
            )
        with mute_logger("odoo.sql_db"), self.assertRaisesRegex(RpcError, "mandatory field"):
            call_kw(
                self, "sales.compliance.rule.dry.run", "write", [[dry_run_id], {"date_from": False}]
            )
        self.assertEqual(dry_run.state, "draft")

    def test_a_rep_asks_no_approval_of_a_draft_change_with_active_test_off(self):
        self.authenticate("dry_rpc_rep2", "dry_rpc_rep2")
        Approval = self.env["sales.compliance.approval"].sudo()
        count = Approval.search_count([])
        with self.assertRaisesRegex(RpcError, "No rule requires an approval"):
            call_kw(
                self,
                "sale.order",
                "action_compliance_request_approval",
                [[self.order.id]],
                context={"active_test": False},
            )
        self.assertEqual(Approval.search_count([]), count)
