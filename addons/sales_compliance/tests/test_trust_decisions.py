"""Issue 16, part 2, 3 and 5: nobody decides on their own case, an approval binds every
value its levels and checks read, credit figures stay with those who may see credit,
and save-time outcomes reach the user who saved."""

import json
from datetime import timedelta

from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase, call_kw, disable_demo_rules
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestNobodyDecidesOnTheirOwnCase(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an officer who also sells, in the team
        cls.selling_officer = new_test_user(
            cls.env,
            login="cmp_selling_officer",
            groups="sales_team.group_sale_salesman,sales_compliance.group_compliance_officer",
            name="Officer Seller Sun",
        )
        cls.team.member_ids = [Command.link(cls.selling_officer.id)]
        cls.rule = cls._rule(
            name="Big orders",
            check="amount",
            amount_limit=500,
            outcome="approval",
            level_ids=[Command.create({"name": "Leader", "approver_type": "team_leader"})],
        )
        cls.Approval = cls.env["sales.compliance.approval"]

    def _blocked_order(self, user, partner=None):
        order = self._order(user=user, price=1000, partner=partner)
        # no assertRaises: its savepoint would roll back the violation logged apart
        try:
            order.action_confirm()
        except UserError as exc:
            self.assertIn("Big orders", str(exc))
        else:
            self.fail("the confirmation was not refused")
        violation = self.Violation.search(
            [("res_id", "=", order.id), ("rule_id", "=", self.rule.id)]
        )
        self.assertEqual(violation.state, "open")
        return order, violation

    def test_an_officer_who_sells_cannot_override_their_own_violation(self):
        order, violation = self._blocked_order(self.selling_officer)
        order.action_compliance_request_approval()
        for method in ("action_override", "action_resolve"):
            with self.subTest(method=method), self.assertRaisesMsg(UserError, "your own case"):
                getattr(violation.with_user(self.selling_officer), method)("mine")
        self.assertEqual(violation.state, "open")
        with self.assertRaises(UserError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        # another officer may
        violation.with_user(self.officer).action_override("Checked by compliance")
        self.assertEqual(violation.state, "overridden")

    def test_an_officer_cannot_decide_on_an_order_for_a_customer_they_own(self):
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = self.officer
        order, violation = self._blocked_order(self.rep)
        order.action_compliance_request_approval()
        approval = self.Approval.search([("res_id", "=", order.id)])
        self.assertNotIn(self.officer, approval.step_ids.approver_ids)
        approval.current_step_id.sudo().approver_ids |= self.officer
        self.assertFalse(approval.with_user(self.officer).can_decide)
        for method in ("action_approve", "action_reject"):
            with self.subTest(method=method), self.assertRaisesMsg(UserError, "your own case"):
                getattr(approval.with_user(self.officer), method)("my customer")
        with self.assertRaisesMsg(UserError, "your own case"):
            violation.with_user(self.officer).action_override("my customer")
        self.assertEqual(approval.state, "pending")
        self.assertEqual(violation.state, "open")

    def test_the_decision_wizard_keeps_the_rule(self):
        _order, violation = self._blocked_order(self.selling_officer)
        wizard = (
            self.env["sales.compliance.decision.wizard"]
            .with_user(self.selling_officer)
            .create(
                {"violation_id": violation.id, "violation_decision": "override", "comment": "x"}
            )
        )
        with self.assertRaisesMsg(UserError, "your own case"):
            wizard.action_confirm()
        self.assertEqual(violation.state, "open")

    def test_the_refusal_names_who_else_can_decide(self):
        _order, violation = self._blocked_order(self.selling_officer)
        with self.assertRaisesMsg(UserError, "Officer Olga"):
            violation.with_user(self.selling_officer).action_override("mine")
        # the single officer of the company is told to have another one appointed
        others = (
            self.env.ref("sales_compliance.group_compliance_officer").users - self.selling_officer
        )
        self.env.ref("sales_compliance.group_compliance_officer").users = [
            Command.unlink(u.id) for u in others
        ]
        with self.assertRaisesMsg(UserError, "no other compliance officer"):
            violation.with_user(self.selling_officer).action_override("mine")
        self.assertEqual(violation.state, "open")


@tagged("post_install", "-at_install")
class TestApprovalBindsWhatItReads(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep.sale_team_id = cls.team
        cls.Approval = cls.env["sales.compliance.approval"]

    def test_raising_the_revenue_after_a_one_level_approval_asks_again(self):
        self._rule(
            name="Opportunities need approval",
            model_name="crm.lead",
            trigger="save",
            condition_type="domain",
            domain="[('type', '=', 'opportunity')]",
            outcome="approval",
            level_ids=[
                Command.create({"name": "Leader", "approver_type": "team_leader"}),
                Command.create(
                    {
                        "name": "Officer",
                        "approver_type": "user",
                        "user_id": self.officer.id,
                        "min_value": 100000,
                        "sequence": 20,
                    }
                ),
            ],
        )
        lead = (
            self.env["crm.lead"]
            .with_user(self.rep)
            .create(
                {
                    "name": "Boiler",
                    "type": "opportunity",
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                    "expected_revenue": 1000,
                }
            )
        )
        first = self.Approval.search([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        self.assertEqual(len(first.step_ids), 1)
        first.with_user(self.leader).action_approve("small deal")
        self.assertEqual(lead.compliance_status, "ok")
        lead.write({"expected_revenue": 5000000})
        self.assertEqual(first.state, "voided")
        second = self.Approval.search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id), ("state", "=", "pending")]
        )
        self.assertEqual(len(second.step_ids), 2)
        lead.invalidate_recordset(["compliance_status"])
        self.assertEqual(lead.compliance_status, "pending")

    def test_a_customer_approval_binds_the_fields_its_domain_reads(self):
        self._rule(
            name="VIP customers",
            model_name="res.partner",
            trigger="save",
            condition_type="domain",
            domain="[('ref', '=like', 'VIP%')]",
            outcome="approval",
            level_ids=[
                Command.create(
                    {"name": "Officer", "approver_type": "user", "user_id": self.officer.id}
                )
            ],
        )
        self.customer.with_user(self.rep).write({"ref": "VIP-1"})
        approval = self.Approval.search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        approval.with_user(self.officer).action_approve("ok")
        self.customer.with_user(self.rep).write({"ref": "VIP-2"})
        self.assertEqual(approval.state, "voided")
        self.assertEqual(self.customer.compliance_status, "pending")


@tagged("post_install", "-at_install")
class TestCreditFiguresStayHidden(HttpCase):
    """A rep who cannot see a customer's credit reads no credit figure in the violation,
    the approval or the message of a credit rule, over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        disable_demo_rules(env)
        cls.rep = new_test_user(
            env, login="td_rep", groups="sales_team.group_sale_salesman", name="Rep Hu"
        )
        cls.owner = new_test_user(
            env, login="td_owner", groups="sales_team.group_sale_salesman", name="Rep Owner Ma"
        )
        cls.officer = new_test_user(
            env,
            login="td_officer",
            groups="sales_team.group_sale_manager,sales_compliance.group_compliance_officer",
            name="Officer Qin",
        )
        cls.customer = env["res.partner"].create(
            {"name": "信用客户", "is_company": True, "credit_limit": 4321}
        )
        cls.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = cls.owner
        cls.product = env["product.product"].create(
            {"name": "Credit Widget", "list_price": 8765, "taxes_id": [Command.clear()]}
        )
        env["sales.compliance.rule"].create(
            {
                "name": "Credit limit",
                "model_name": "sale.order",
                "trigger": "confirm",
                "check": "credit_exposure",
                "outcome": "approval",
                "message": "Exposure {value} over {limit}",
                "level_ids": [
                    Command.create(
                        {"name": "Officer", "approver_type": "user", "user_id": cls.officer.id}
                    )
                ],
            }
        )

    def test_a_rep_reads_no_credit_figure_of_a_customer_they_do_not_own(self):
        order = (
            self.env["sale.order"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.rep.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "price_unit": 8765})
                    ],
                }
            )
        )
        # the refusal the rep reads when confirming from code
        try:
            order.action_confirm()
        except UserError as exc:
            refused = str(exc)
        else:
            self.fail("the confirmation was not refused")
        self.assertIn("Credit limit", refused)
        self.authenticate("td_rep", "td_rep")
        # the web client's confirmation: the dialog, the violation logged
        dialog = call_kw(
            self,
            "sale.order",
            "action_confirm",
            [[order.id]],
            context={"compliance_dialog": True},
        )
        self.assertEqual(dialog["res_model"], "sales.compliance.check.wizard")
        call_kw(self, "sale.order", "action_compliance_request_approval", [[order.id]])
        violations = call_kw(
            self,
            "sales.compliance.violation",
            "search_read",
            [[("res_id", "=", order.id), ("res_model", "=", "sale.order")]],
        )
        approvals = call_kw(
            self,
            "sales.compliance.approval",
            "search_read",
            [[("res_id", "=", order.id), ("res_model", "=", "sale.order")]],
        )
        self.assertTrue(violations)
        self.assertTrue(approvals)
        seen = json.dumps([refused, violations, approvals], ensure_ascii=False)
        for figure in ("4321", "4,321", "8765", "8,765"):
            self.assertNotIn(figure, seen)
        # nor a hash of a few known values, easily reversed
        self.assertNotIn("values_hash", violations[0])
        self.assertNotIn("values_hash", approvals[0])
        # those who may see the customer's credit read the figures
        violation = self.env["sales.compliance.violation"].search([("res_id", "=", order.id)])
        for user in (self.officer, self.owner):
            with self.subTest(user=user.name):
                figures = violation.with_user(user).credit_figures
                self.assertIn("4,321", figures)
                self.assertIn("8,765", figures)
        self.assertFalse(violation.with_user(self.rep).credit_figures)
        # the approver still gets the approval the figures ask for
        approval = self.env["sales.compliance.approval"].search([("res_id", "=", order.id)])
        self.assertEqual(approval.pending_approver_ids, self.officer)


@tagged("post_install", "-at_install")
class TestSaveTimeOutcomes(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep.sale_team_id = cls.team
        cls.stages = cls.env["crm.stage"].search([("is_won", "=", False)], order="sequence")

    def _notifications(self, user):
        channel = json.dumps([self.env.cr.dbname, "res.partner", user.partner_id.id])
        return [
            json.loads(values["message"])
            for values in self.env.cr.precommit.data.get("bus.bus.values", [])
            if values["channel"].replace(" ", "") == channel.replace(" ", "")
        ]

    def test_a_warning_on_saving_a_customer_is_shown_to_who_saved(self):
        self._rule(
            name="Customers without phone",
            model_name="res.partner",
            trigger="save",
            condition_type="domain",
            domain="[('is_company', '=', True), ('phone', '=', False)]",
            outcome="warn",
            message="{record} has no phone",
        )
        self.customer.with_user(self.rep).write({"ref": "C-1"})
        notes = [n for n in self._notifications(self.rep) if n["type"] == "simple_notification"]
        self.assertTrue(notes)
        self.assertIn("has no phone", notes[-1]["payload"]["message"])

    def test_a_warning_on_saving_a_lead_is_shown_to_who_saved(self):
        self._rule(
            name="Leads without email",
            model_name="crm.lead",
            trigger="save",
            condition_type="domain",
            domain="[('email_from', '=', False)]",
            outcome="warn",
            message="{record} has no email",
        )
        self.env["crm.lead"].with_user(self.rep).create({"name": "Quiet lead"})
        notes = [n for n in self._notifications(self.rep) if n["type"] == "simple_notification"]
        self.assertTrue(notes)
        self.assertIn("has no email", notes[-1]["payload"]["message"])

    def _stage_rule(self, **vals):
        return self._rule(
            name="Proposal needs approval",
            model_name="crm.lead",
            trigger="stage",
            condition_type="domain",
            domain=f"[('stage_id', '=', {self.stages[2].id})]",
            outcome="approval",
            level_ids=[Command.create({"name": "Leader", "approver_type": "team_leader"})],
            **vals,
        )

    def _lead(self):
        return (
            self.env["crm.lead"]
            .with_user(self.rep)
            .create(
                {
                    "name": "Stage lead",
                    "type": "opportunity",
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                    "stage_id": self.stages[1].id,
                }
            )
        )

    def test_a_lead_stays_in_its_stage_until_the_approval(self):
        self._stage_rule()
        lead = self._lead()
        lead.write({"stage_id": self.stages[2].id})
        self.assertEqual(lead.stage_id, self.stages[1])
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(approval.state, "pending")
        self.assertTrue(self._notifications(self.rep))
        # asking again moves nothing and keeps the one request
        lead.write({"stage_id": self.stages[2].id})
        self.assertEqual(lead.stage_id, self.stages[1])
        approval.with_user(self.leader).action_approve("go")
        lead.write({"stage_id": self.stages[2].id})
        self.assertEqual(lead.stage_id, self.stages[2])

    def test_a_lead_created_in_a_held_stage_starts_in_the_first_stage(self):
        self._stage_rule()
        lead = (
            self.env["crm.lead"]
            .with_user(self.rep)
            .create(
                {
                    "name": "Born late",
                    "type": "opportunity",
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                    "stage_id": self.stages[2].id,
                }
            )
        )
        self.assertNotEqual(lead.stage_id, self.stages[2])
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(approval.state, "pending")

    def test_move_and_ask_afterwards_is_an_explicit_setting(self):
        rule = self._stage_rule(approval_after_move=True)
        lead = self._lead()
        lead.write({"stage_id": self.stages[2].id})
        self.assertEqual(lead.stage_id, self.stages[2])
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(approval.state, "pending")
        # only for the stage rules of leads
        with self.assertRaises(UserError):
            rule.write({"trigger": "save"})
        self.assertIn(
            "approval_after_move",
            self.env["sales.compliance.rule"].get_views([(False, "form")])["views"]["form"]["arch"],
        )


@tagged("post_install", "-at_install")
class TestOverdueFiguresStayHidden(ComplianceCase):
    """The overdue check's message, value and facts name the overdue amount: only those
    who may see the customer's credit read it."""

    def test_a_rep_saving_a_colleagues_customer_reads_no_overdue_amount(self):
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = self.rep2
        today = self.env.company._sales_today()
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": today - timedelta(days=75),
                "invoice_date_due": today - timedelta(days=45),
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "price_unit": 1234.5, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        self._rule(
            name="Overdue customers",
            model_name="res.partner",
            trigger="save",
            check="overdue",
            overdue_days=30,
            outcome="warn",
            message="{record}: {value} overdue for more than {limit} days",
        )
        self.env.invalidate_all()
        self.customer.with_user(self.rep).write({"ref": "C-9"})
        violations = self.Violation.with_user(self.rep).search_read(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertEqual(len(violations), 1)
        notices = self.env.cr.precommit.data.get("bus.bus.values", [])
        seen = json.dumps([violations, notices], ensure_ascii=False, default=str)
        self.assertIn("overdue for more than", seen)
        for figure in ("1234", "1,234"):
            self.assertNotIn(figure, seen)
        violation = self.Violation.browse(violations[0]["id"])
        self.assertIn("1,234.50", violation.with_user(self.rep2).credit_figures)
        self.assertFalse(violation.with_user(self.rep).credit_figures)
