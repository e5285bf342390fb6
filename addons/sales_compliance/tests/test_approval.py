from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestApproval(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._salesman_ceiling()
        cls.rule = cls._discount_approval_rule(
            message="Discount {value}% above {limit}%",
            level_ids=[
                Command.create({"name": "Team leader", "approver_type": "team_leader"}),
                Command.create(
                    {
                        "name": "Sales manager",
                        "approver_type": "user",
                        "user_id": cls.manager.id,
                        "min_value": 10,
                        "sequence": 20,
                    }
                ),
                Command.create(
                    {
                        "name": "General manager",
                        "approver_type": "user",
                        "user_id": cls.officer.id,
                        "min_value": 20,
                        "sequence": 30,
                    }
                ),
            ],
        )
        cls.Approval = cls.env["sales.compliance.approval"]

    def _blocked(self, order):
        try:
            order.action_confirm()
        except UserError as exc:
            return str(exc)
        return False

    def _request(self, order):
        order.action_compliance_request_approval()
        return self.Approval.with_user(self.rep).search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )

    def test_full_flow_one_level(self):
        order = self._order(discount=8)
        self.assertIn("Discount approval", self._blocked(order))
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.compliance_status, "pending")
        approval = self._request(order)
        self.assertEqual(len(approval), 1)
        self.assertEqual(approval.step_ids.mapped("name"), ["Team leader"])
        self.assertEqual(approval.pending_approver_ids, self.leader)
        activity = approval.sudo().activity_ids
        self.assertEqual(activity.user_id, self.leader)
        # My approvals
        action = self.env.ref("sales_compliance.action_compliance_my_approvals")
        domain = [("state", "=", "pending"), ("pending_approver_ids", "in", [self.leader.id])]
        self.assertIn("pending_approver_ids", action.domain)
        self.assertEqual(self.Approval.with_user(self.leader).search(domain), approval)
        self.assertFalse(approval.with_user(self.rep).can_decide)
        self.assertTrue(approval.with_user(self.leader).can_decide)
        approval.with_user(self.leader).action_approve("OK for this customer")
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.step_ids.decided_by_id, self.leader)
        self.assertEqual(approval.step_ids.comment, "OK for this customer")
        self.assertFalse(approval.sudo().activity_ids)
        violation = approval.violation_ids
        self.assertEqual(violation.state, "approved")
        self.assertEqual(violation.decision_user_id, self.leader)
        self.assertEqual(violation.decision_comment, "OK for this customer")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_levels_follow_the_value(self):
        order = self._order(discount=25)
        self._blocked(order)
        approval = self._request(order)
        self.assertEqual(
            approval.step_ids.mapped("name"), ["Team leader", "Sales manager", "General manager"]
        )
        approval.with_user(self.leader).action_approve("fine")
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.current_step_id.name, "Sales manager")
        self.assertEqual(approval.sudo().activity_ids.user_id, self.manager)
        with self.assertRaises(AccessError):
            approval.with_user(self.leader).action_approve("again")
        approval.with_user(self.manager).action_approve("fine")
        self.assertEqual(approval.sudo().activity_ids.user_id, self.officer)
        self.assertIn("Discount approval", self._blocked(order))
        approval.with_user(self.officer).action_approve("fine")
        self.assertEqual(approval.state, "approved")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_change_voids_approval(self):
        order = self._order(discount=8)
        self._blocked(order)
        approval = self._request(order)
        approval.with_user(self.leader).action_approve("ok")
        # the keys the checks read, as a client would send them: they keep neither
        # the approval alive nor the confirmation open
        forged = {"compliance_skip": True, "install_mode": True}
        order.order_line.with_user(self.rep).with_context(**forged).discount = 9
        self.assertEqual(approval.state, "voided")
        self.assertIn("Discount approval", self._blocked(order.with_context(**forged)))
        self.assertEqual(order.state, "draft")
        second = self._request(order) - approval
        self.assertEqual(second.state, "pending")

    def test_down_payment_keeps_the_approval(self):
        """Invoicing a deposit (预付款) of an approved order is no change to what was approved."""
        order = self._order(discount=8)
        self._blocked(order)
        approval = self._request(order)
        approval.with_user(self.leader).action_approve("ok")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": "percentage", "amount": 30}).create_invoices()
        self.assertTrue(order.order_line.filtered("is_downpayment"))
        self.assertEqual(approval.state, "approved")
        self.assertEqual(order.compliance_status, "ok")

    def test_approving_voided_approval_refused(self):
        order = self._order(discount=8)
        self._blocked(order)
        approval = self._request(order)
        order.order_line.price_unit = 90
        self.assertEqual(approval.state, "voided")
        with self.assertRaisesMsg(UserError, "voided"):
            approval.with_user(self.leader).action_approve("too late")
        self.assertEqual(approval.state, "voided")
        self.assertFalse(approval.step_ids.decided_by_id)

    def test_deleting_a_quotation_voids_its_request_and_empties_the_approvers_queue(self):
        order = self._order(discount=8)
        self._blocked(order)
        approval = self._request(order)
        self.assertEqual(approval.sudo().activity_ids.user_id, self.leader)
        order.with_user(self.manager).unlink()
        self.assertFalse(order.exists())
        self.assertEqual(approval.state, "voided")
        self.assertEqual(approval.step_ids.mapped("state"), ["voided"])
        self.assertFalse(approval.sudo().activity_ids)
        self.assertIn("the record was deleted", approval.message_ids[:1].body)
        queue = [("state", "=", "pending"), ("pending_approver_ids", "in", [self.leader.id])]
        self.assertFalse(self.Approval.with_user(self.leader).search(queue))

    def test_approving_own_request_refused(self):
        order = self._order(user=self.leader, discount=12)
        order.team_id = self.team
        self._blocked(order)
        order.with_user(self.leader).action_compliance_request_approval()
        approval = self.Approval.search([("res_id", "=", order.id)])
        self.assertEqual(approval.requested_by_id, self.leader)
        with self.assertRaisesMsg(UserError, "your own request"):
            approval.with_user(self.leader).action_approve("me, myself")
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.current_step_id.state, "to_decide")
        # the leader is not their own approver: the officers decide the first level
        self.assertNotIn(self.leader, approval.step_ids.approver_ids)
        self.assertIn(self.officer, approval.current_step_id.approver_ids)
        approval.with_user(self.officer).action_approve("Checked by compliance")
        self.assertEqual(approval.current_step_id.approver_ids, self.manager)

    def test_salesperson_cannot_approve_own_order(self):
        """The sales desk (manager) asks for the approval of the leader's order: the
        leader, team leader of the order, must not decide it."""
        order = self._order(user=self.leader, discount=12)
        self._blocked(order)
        order.with_user(self.manager).action_compliance_request_approval()
        approval = self.Approval.search([("res_id", "=", order.id)])
        self.assertEqual(approval.requested_by_id, self.manager)
        self.assertEqual(approval.salesperson_id, self.leader)
        self.assertNotIn(self.leader, approval.step_ids.approver_ids)
        self.assertNotIn(self.manager, approval.step_ids.approver_ids)
        self.assertIn(self.officer, approval.current_step_id.approver_ids)
        self.assertFalse(approval.with_user(self.leader).can_decide)
        with self.assertRaisesMsg(UserError, "salesperson of"):
            approval.with_user(self.leader).action_approve("my own order")
        # even listed as approver (request made before the rule), the salesperson is refused
        approval.current_step_id.sudo().approver_ids |= self.leader
        approval.sudo().pending_approver_ids |= self.leader
        self.assertFalse(approval.with_user(self.leader).can_decide)
        with self.assertRaisesMsg(UserError, "salesperson of"):
            approval.with_user(self.leader).action_approve("my own order")
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.current_step_id.state, "to_decide")
        self.assertFalse(approval.step_ids.decided_by_id)
        approval.with_user(self.officer).action_approve("Checked by compliance")
        self.assertEqual(approval.step_ids[0].decided_by_id, self.officer)

    def test_partner_approval_without_accounting_rights(self):
        """The partner hash covers the credit limit (accounting field): a salesperson
        without accounting rights still saves, requests and is approved."""
        self.assertFalse(self.rep.has_group("account.group_account_invoice"))
        self.assertFalse(self.rep.has_group("account.group_account_readonly"))
        self._vip_customer_rule()
        self.customer.credit_limit = 5000
        self.env.invalidate_all()  # nothing from the admin in the cache
        self.customer.with_user(self.rep).write({"ref": "VIP"})
        approval = self.Approval.search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertEqual(approval.state, "pending")
        self.assertIn("5000", approval.values_snapshot)
        self.assertEqual(approval.values_hash, self.customer._compliance_hash())
        # asking again from the form returns the pending request, no error
        self.env.invalidate_all()
        self.customer.with_user(self.rep).action_compliance_request_approval()
        self.assertEqual(
            self.Approval.search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
            ),
            1,
        )
        approval.with_user(self.officer).action_approve("ok")
        self.assertEqual(approval.state, "approved")
        # saving again: the approval covers the record
        self.env.invalidate_all()
        self.customer.with_user(self.rep).write({"phone": "123"})
        self.assertEqual(self.customer.phone, "123")
        self.assertEqual(self.customer.with_user(self.rep).compliance_status, "ok")

    def test_violations_logged_while_pending_are_decided(self):
        self._rule(
            name="Reference approval",
            trigger="save",
            condition_type="domain",
            domain="[('client_order_ref', '=', 'SPECIAL')]",
            outcome="approval",
            level_ids=[
                Command.create(
                    {"name": "Officer", "approver_type": "user", "user_id": self.officer.id}
                )
            ],
        )
        order = self._order(discount=8, client_order_ref="SPECIAL")
        approvals = self.Approval.search([("res_id", "=", order.id)])
        self.assertEqual(approvals.rule_id.name, "Reference approval")
        # saves and confirm attempts while the request is pending log new violations
        order.write({"note": "first save"})
        order.write({"note": "second save"})
        self._blocked(order)
        discount = self._request(order).filtered(lambda a: a.rule_id == self.rule)
        self._blocked(order)
        violations = self.Violation.sudo().search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        reference = violations.filtered(lambda v: v.rule_id.name == "Reference approval")
        # one breach per rule and values: the saves are attempts on it, not new breaches
        self.assertEqual(len(reference), 1)
        self.assertEqual(reference.attempt_count, 3)
        self.assertEqual(approvals.violation_ids, reference)
        self.assertEqual((violations - reference).attempt_count, 2)
        approvals.with_user(self.officer).action_approve("ok")
        discount.with_user(self.leader).action_approve("ok")
        self.assertEqual(set(violations.mapped("state")), {"approved"})
        self.assertEqual(discount.violation_ids, violations - reference)
        self.assertEqual(order.compliance_status, "ok")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_reject_needs_comment_and_is_recorded(self):
        order = self._order(discount=8)
        self._blocked(order)
        approval = self._request(order)
        with self.assertRaisesMsg(UserError, "reason"):
            approval.with_user(self.leader).action_reject("")
        self.assertEqual(approval.state, "pending")
        approval.with_user(self.leader).action_reject("Too generous")
        self.assertEqual(approval.state, "rejected")
        self.assertEqual(approval.violation_ids.state, "rejected")
        self.assertIn("Discount approval", self._blocked(order))

    def test_decision_wizard(self):
        order = self._order(discount=8)
        self._blocked(order)
        approval = self._request(order)
        action = (
            approval.with_user(self.leader).with_context(decision="approve").action_open_decision()
        )
        wizard = (
            self.env["sales.compliance.decision.wizard"]
            .with_user(self.leader)
            .with_context(**action["context"])
            .create({"comment": "Go"})
        )
        wizard.action_confirm()
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.step_ids.comment, "Go")

    def test_ui_dialog_offers_request(self):
        order = self._order(discount=8)
        action = order.with_context(compliance_dialog=True).action_confirm()
        wizard = (
            self.env["sales.compliance.check.wizard"].with_user(self.rep).browse(action["res_id"])
        )
        self.assertTrue(wizard.needs_approval)
        wizard.action_request_approval()
        self.assertEqual(self.Approval.search([("res_id", "=", order.id)]).state, "pending")

    def test_visibility(self):
        order = self._order(discount=8)
        self._blocked(order)
        approval = self._request(order)
        self.assertEqual(self.Approval.with_user(self.rep).search([]), approval)
        self.assertEqual(self.Approval.with_user(self.leader).search([]), approval)
        self.assertFalse(self.Approval.with_user(self.rep2).search([]))
        self.assertIn(approval, self.Approval.with_user(self.officer).search([]))
        Step = self.env["sales.compliance.approval.step"]
        self.assertEqual(Step.with_user(self.rep).search([]), approval.step_ids)
        self.assertFalse(Step.with_user(self.rep2).search([]))

    def test_lead_for_protected_customer_asks_team_leader(self):
        self._rule(
            name="Owned customer",
            model_name="crm.lead",
            trigger="save",
            check="ownership",
            outcome="approval",
            level_ids=[Command.create({"name": "Team leader", "approver_type": "team_leader"})],
        )
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = self.rep2
        lead = (
            self.env["crm.lead"]
            .with_user(self.rep)
            .create({"name": "Second try", "partner_id": self.customer.id, "team_id": self.team.id})
        )
        approval = self.Approval.search([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        self.assertEqual(approval.pending_approver_ids, self.leader)
        self.assertEqual(lead.compliance_status, "pending")
        approval.with_user(self.leader).action_approve("Shared account")
        self.assertEqual(lead.compliance_status, "ok")
