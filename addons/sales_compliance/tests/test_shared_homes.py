from datetime import timedelta

from freezegun import freeze_time

from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSharedHomes(ComplianceCase):
    """The one home of each concept the three addons share (issue 18, section 1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._salesman_ceiling()
        cls.rule = cls._discount_approval_rule(message="Discount {value}% above {limit}%")
        cls.Approval = cls.env["sales.compliance.approval"]

    def _requested(self, order):
        order.action_compliance_request_approval()
        return self.Approval.search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])

    def test_the_open_approvals_of_records_are_their_pending_and_approved_requests(self):
        pending_order, approved_order, rejected_order, clean_order = (
            self._order(discount=8),
            self._order(discount=8),
            self._order(discount=8),
            self._order(),
        )
        pending = self._requested(pending_order)
        approved = self._requested(approved_order)
        rejected = self._requested(rejected_order)
        approved.with_user(self.leader).action_approve()
        rejected.with_user(self.leader).action_reject(comment="Too generous")
        self.assertEqual(approved.state, "approved")
        self.assertEqual(rejected.state, "rejected")

        orders = pending_order | approved_order | rejected_order | clean_order
        with self.assertQueryCount(1):
            open_approvals = orders.with_user(self.rep)._compliance_open_approvals()
        self.assertEqual(open_approvals, pending | approved)
        self.assertEqual(pending_order._compliance_open_approvals(), pending)
        self.assertFalse(clean_order._compliance_open_approvals())
        self.assertFalse(self.env["sale.order"]._compliance_open_approvals())

    def test_an_open_approval_stays_open_after_a_change_until_the_save_voids_it(self):
        order = self._order(discount=8)
        approval = self._requested(order)
        self.assertEqual(order._compliance_open_approvals(), approval)
        order.order_line.with_user(self.rep).discount = 9
        self.assertEqual(approval.state, "voided")
        self.assertFalse(order._compliance_open_approvals())

    def test_violations_are_refiled_under_another_trigger_and_nothing_else_changes(self):
        order = self._order(discount=8)
        violation = order._compliance_enforce("confirm")
        self.assertEqual(violation.trigger, "confirm")
        with self.assertRaises(UserError):
            violation.sudo().write({"trigger": "stage"})
        with self.assertRaises(ValueError):
            violation._refile_under_trigger("no_such_trigger")
        self.assertEqual(violation.trigger, "confirm")
        violation._refile_under_trigger("stage")
        self.assertEqual(violation.trigger, "stage")
        self.assertEqual(violation.state, "open")
        self.assertEqual(violation.rule_id, self.rule)

    def test_the_customers_a_user_holds_are_the_customers_they_own_and_nothing_else(self):
        Partner = self.env["res.partner"]
        owned = Partner.create(
            [{"name": f"Owned {i}", "is_company": True, "user_id": self.rep.id} for i in range(3)]
        )
        # a contact of a customer and a pure vendor are not customers of their own
        Partner.create({"name": "Contact", "parent_id": owned[0].id, "user_id": self.rep.id})
        Partner.create(
            {"name": "Vendor", "is_company": True, "supplier_rank": 1, "user_id": self.rep.id}
        )
        Partner.create({"name": "Other's", "is_company": True, "user_id": self.rep2.id})
        held = Partner.with_user(self.rep)._compliance_customers_held(self.rep | self.rep2)
        self.assertEqual(held, {self.rep.id: 3, self.rep2.id: 1})
        self.assertEqual(
            Partner._compliance_customers_held(self.rep, exclude=owned[:2]), {self.rep.id: 1}
        )
        self.assertEqual(Partner._compliance_customers_held(self.leader), {})
        self.assertEqual(Partner.search(Partner._compliance_held_domain(self.rep)), owned)


@tagged("post_install", "-at_install")
class TestAssignCustomer(ComplianceCase):
    """res.partner._compliance_assign: the one way the suite gives a customer an owner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["sales.compliance.ownership.log"]
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("sales_compliance.protection_days", 30)
        params.set_param("sales_compliance.reclaim_cooldown_days", 30)
        params.set_param("sales_compliance.claim_cap", 0)

    def _customers(self, count, **vals):
        return self.env["res.partner"].create(
            [{"name": f"Assigned {i}", "is_company": True, **vals} for i in range(count)]
        )

    def _logs(self, partners):
        return self.Log.search([("partner_id", "in", partners.ids)], order="id")

    @freeze_time("2026-03-02 15:59:00")
    def test_an_assigned_customer_is_protected_logged_and_keeps_a_longer_protection(self):
        today = self.company._sales_today()
        short, long_protected = self._customers(2)
        long_protected.compliance_protection_end = today + timedelta(days=90)
        (short | long_protected)._compliance_assign(self.rep, "assign", note="Reorganised")
        self.assertEqual((short | long_protected).user_id, self.rep)
        self.assertEqual(short.compliance_protection_end, today + timedelta(days=30))
        self.assertEqual(long_protected.compliance_protection_end, today + timedelta(days=90))
        logs = self._logs(short | long_protected)
        self.assertEqual(logs.partner_id, short | long_protected)
        self.assertEqual(set(logs.mapped("reason")), {"assign"})
        self.assertEqual(set(logs.mapped("note")), {"Reorganised"})
        self.assertEqual(logs.new_user_id, self.rep)

    @freeze_time("2026-03-02 16:01:00")
    def test_a_released_customer_loses_its_owner_and_its_protection(self):
        customer = self._customers(1)
        customer._compliance_assign(self.rep, "assign")
        customer._compliance_assign(self.env["res.users"], "release")
        self.assertFalse(customer.user_id)
        self.assertFalse(customer.compliance_protection_end)
        self.assertEqual(self._logs(customer).mapped("reason"), ["assign", "release"])

    def test_a_claim_respects_the_cap_and_the_cooldown_but_a_manager_assignment_does_not(self):
        self.env["ir.config_parameter"].sudo().set_param("sales_compliance.claim_cap", 1)
        held, taken = self._customers(2)
        held._compliance_assign(self.rep, "claim", check_limits=True)
        with self.assertRaisesMsg(UserError, "the cap is 1"):
            taken._compliance_assign(self.rep, "claim", check_limits=True)
        self.assertFalse(taken.user_id)
        taken._compliance_assign(self.rep, "assign")
        self.assertEqual(taken.user_id, self.rep)

        self.env["ir.config_parameter"].sudo().set_param("sales_compliance.claim_cap", 0)
        held._compliance_assign(self.env["res.users"], "release")
        with self.assertRaisesMsg(UserError, "was released from"):
            held._compliance_assign(self.rep, "claim", check_limits=True)
        self.assertFalse(held.user_id)
        held._compliance_assign(self.rep2, "claim", check_limits=True)
        self.assertEqual(held.user_id, self.rep2)

    def test_an_assignment_needs_a_reason_of_the_ownership_log(self):
        customer = self._customers(1)
        with self.assertRaises(ValueError):
            customer._compliance_assign(self.rep, "because")
        self.assertFalse(customer.user_id)
        self.assertFalse(self._logs(customer))

    def test_a_client_cannot_assign_through_rpc_context_nor_a_plain_write(self):
        customer = self._customers(1)
        with self.assertRaises(AccessError):
            customer.with_user(self.rep).with_context(
                compliance_ownership_reason="claim", compliance_skip=True
            ).write({"user_id": self.rep.id})
        self.assertFalse(customer.user_id)
