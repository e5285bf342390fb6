from lxml import etree

from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import ComplianceBlockedError
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import ConfirmGuideCase, RpcError, call_kw


@tagged("post_install", "-at_install")
class TestConfirmGuide(ConfirmGuideCase, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_confirm_data()

    def test_screen_shows_availability_before_anything_changes(self):
        order = self._quotation()
        guide = self._guide(order)
        self.assertEqual(order.state, "draft")
        by_product = {line.product_id: line for line in guide.line_ids}
        valve = by_product[self.in_stock]
        self.assertEqual((valve.ordered_qty, valve.free_qty, valve.available), (3, 10, True))
        gate = by_product[self.short]
        self.assertEqual((gate.ordered_qty, gate.free_qty), (5, 2))
        self.assertFalse(gate.available)
        # 2 in stock + 10 arriving in 5 days cover the 5 ordered then
        self.assertEqual(gate.available_date, self.arrival)
        self.assertTrue(by_product[self.service].available)
        self.assertFalse(by_product[self.service].stocked)
        self.assertEqual(guide.unavailable_count, 1)
        self.assertTrue(guide.splittable)
        self.assertFalse(guide.check_ids)
        self.assertFalse(guide.blocked)
        # nothing written on the order, no violation logged
        self.assertFalse(self.env["sales.compliance.violation"].search([("res_id", "=", order.id)]))

    def test_lines_of_one_product_share_its_stock(self):
        order = self._quotation(short_qty=2)
        order.order_line = [Command.create({"product_id": self.short.id, "product_uom_qty": 1})]
        availability = order.order_line._assistant_availability()
        shorts = order.order_line.filtered(lambda line: line.product_id == self.short)
        self.assertEqual([availability[line.id]["available"] for line in shorts], [True, False])

    def test_made_to_order_lines_need_no_stock(self):
        mto = self.env.ref("stock.route_warehouse0_mto")
        mto.active = True
        order = self._quotation()
        short = order.order_line.filtered(lambda line: line.product_id == self.short)
        short.route_id = mto
        availability = order.order_line._assistant_availability()
        self.assertTrue(availability[short.id]["available"])
        self.assertFalse(availability[short.id]["stocked"])

    def test_confirm_from_the_screen(self):
        order = self._quotation(short_qty=1)
        guide = self._guide(order)
        self.assertEqual(guide.unavailable_count, 0)
        guide.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_setting_off_confirms_directly(self):
        self.env.company.assistant_confirm_guide = False
        order = self._quotation()
        order.with_user(self.rep).action_confirm_guided()
        self.assertEqual(order.state, "sale")
        self.assertFalse(self.env["sales.confirm.guide"].search([("order_id", "=", order.id)]))

    def test_form_confirm_buttons(self):
        """With the screen on, the Confirm buttons of the form open it; sale's own stay for
        the setting off. Both keep the compliance dialog path of the web client."""
        arch = etree.fromstring(
            self.env["sale.order"].get_view(self.env.ref("sale.view_order_form").id)["arch"]
        )
        guided = arch.xpath("//header/button[@name='action_confirm_guided']")
        standard = arch.xpath("//header/button[@name='action_confirm']")
        self.assertEqual((len(guided), len(standard)), (2, 2))
        for button in guided:
            self.assertIn("not assistant_confirm_guide", button.get("invisible"))
            self.assertIn("'compliance_dialog': True", button.get("context"))
        for button in standard:
            self.assertIn("or assistant_confirm_guide", button.get("invisible"))

    def test_split_moves_unavailable_lines_to_a_linked_quotation(self):
        order = self._quotation()
        guide = self._guide(order)
        guide.action_confirm_available()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.product_id, self.in_stock | self.service)
        split = order.assistant_split_ids
        self.assertEqual(len(split), 1)
        self.assertEqual(split.state, "draft")
        self.assertEqual(split.order_line.product_id, self.short)
        self.assertEqual(split.order_line.product_uom_qty, 5)
        self.assertEqual(split.assistant_split_from_id, order)
        self.assertEqual((split.partner_id, split.user_id), (order.partner_id, order.user_id))
        self.assertEqual(order.assistant_split_count, 1)
        # both orders open the other
        self.assertEqual(order.action_view_assistant_split()["res_id"], split.id)
        self.assertEqual(split.action_view_assistant_split()["res_id"], order.id)

    def test_moving_lines_of_a_confirmed_order_is_refused(self):
        order = self._quotation()
        guide = self._guide(order)
        order.action_confirm()
        orders_before = self.env["sale.order"].search_count([])
        lines_before = order.order_line
        with self.assertRaisesRegex(UserError, "already confirmed"):
            guide.action_confirm_available()
        with self.assertRaisesRegex(UserError, "already confirmed"):
            order.with_user(self.rep)._assistant_split_unavailable()
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)
        self.assertEqual(order.order_line, lines_before)

    def test_split_needs_available_and_unavailable_lines(self):
        order = self._quotation(short_qty=1)
        with self.assertRaisesRegex(UserError, "nothing to move"):
            order.with_user(self.rep)._assistant_split_unavailable()
        order = self._quotation(short_qty=50)
        order.order_line.filtered(lambda line: line.product_id != self.short).unlink()
        with self.assertRaisesRegex(UserError, "No line of"):
            order.with_user(self.rep)._assistant_split_unavailable()
        self.assertFalse(order.assistant_split_ids)

    def test_compliance_result_is_shown_and_confirming_goes_through_the_gate(self):
        # the available lines alone (380) are still above the threshold
        self._rule(name="Big orders", check="amount", amount_limit=200, outcome="block")
        self._rule(name="Terms", check="contract_terms", outcome="warn")
        order = self._quotation()
        guide = self._guide(order)
        self.assertEqual(
            sorted(guide.check_ids.mapped(lambda c: (c.state, c.rule_name))),
            [("block", "Big orders"), ("warn", "Terms")],
        )
        self.assertTrue(guide.blocked)
        self.assertIn("Payment Terms", guide.contract_missing)
        # the screen itself logs nothing
        violations = self.env["sales.compliance.violation"].search([("res_id", "=", order.id)])
        self.assertFalse(violations)
        # the hidden Confirm button, called over RPC, still meets the gate
        with self.assertRaises(ComplianceBlockedError):
            guide.action_confirm()
        self.assertEqual(order.state, "draft")
        with self.assertRaises(ComplianceBlockedError):
            guide.action_confirm_available()
        # refused: the split is rolled back with the rest
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.assistant_split_ids)
        self.assertEqual(len(order.order_line), 3)

    def test_approval_required_then_pending(self):
        leader = new_test_user(
            self.env, login="guide_leader", groups="sales_team.group_sale_salesman_all_leads"
        )
        self.env["crm.team"].create(
            {"name": "East", "user_id": leader.id, "member_ids": [Command.set(self.rep.ids)]}
        )
        self._rule(
            name="Orders above 1,000",
            check="amount",
            amount_limit=1000,
            outcome="approval",
            level_ids=[Command.create({"name": "Leader", "approver_type": "team_leader"})],
        )
        order = self._quotation()
        guide = self._guide(order)
        self.assertEqual(guide.check_ids.mapped("state"), ["approval"])
        self.assertTrue(guide.approval_requestable)
        guide.action_request_approval()
        guide = self._guide(order)
        self.assertEqual(guide.check_ids.mapped("state"), ["pending"])
        self.assertFalse(guide.approval_requestable)
        self.assertTrue(guide.blocked)
        approval = self.env["sales.compliance.approval"].search([("res_id", "=", order.id)])
        approval.with_user(leader).action_approve("Framework contract signed")
        guide = self._guide(order)
        self.assertEqual(guide.check_ids.mapped("state"), ["approved"])
        self.assertFalse(guide.blocked)
        guide.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_deposit_asked_and_received(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "30% deposit, balance 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70, "nb_days": 30}),
                ],
            }
        )
        order = self._quotation().with_env(self.env)
        order.payment_term_id = term
        guide = self._guide(order)
        self.assertAlmostEqual(guide.deposit_asked, order.amount_total * 0.3)
        self.assertEqual(guide.deposit_received, 0)
        self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": "percentage", "amount": 30}).create_invoices()
        invoice = order.invoice_ids
        # the deposit invoice itself is due at once
        invoice.invoice_payment_term_id = self.env.ref("account.account_payment_term_immediate")
        invoice.action_post()
        # unpaid: nothing received yet
        self.assertEqual(order._assistant_deposit()[order.id][1], 0)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        asked, received = order._assistant_deposit()[order.id]
        self.assertAlmostEqual(received, invoice.amount_total)
        self.assertAlmostEqual(asked, order.amount_total * 0.3)
        # cash terms ask for no deposit
        order.payment_term_id = self.env.ref("account.account_payment_term_immediate")
        self.assertEqual(order._assistant_deposit()[order.id][0], 0)

    def test_credit_is_shown_as_sales_compliance_computes_it(self):
        self.customer.credit_limit = 1000
        order = self._quotation().with_env(self.env)
        guide = self._guide(order, self.env.user)
        self.assertTrue(guide.credit_visible)
        self.assertEqual(guide.credit_limit, 1000)
        self.assertEqual(guide.credit_exposure, order.compliance_credit_exposure)
        self.assertGreater(guide.credit_exposure, 0)
        # a rep, who may not see the customer's credit, does not see it on the screen either
        self.assertFalse(order.with_user(self.rep).compliance_credit_visible)
        rep_guide = self._guide(order, self.rep)
        self.assertFalse(rep_guide.credit_visible)
        self.assertEqual(rep_guide.credit_exposure, 0)

    def test_screen_and_errors_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_assistant"], ["zh_CN"])
        self.rep.lang = "zh_CN"
        states = dict(
            self.env["sales.confirm.guide.check"]
            ._fields["state"]
            ._description_selection(self.env(context={"lang": "zh_CN"}))
        )
        self.assertEqual(states["pending"], "审批中")
        order = self._quotation()
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "已确认"):
            order.with_user(self.rep).with_context(lang="zh_CN")._assistant_split_unavailable()

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_other_rep_cannot_open_nor_use_the_screen(self):
        order = self._quotation()
        with self.assertRaises(AccessError):
            self.env["sales.confirm.guide"].with_user(self.other_rep).create({"order_id": order.id})
        guide = self._guide(order)
        with self.assertRaises(AccessError):
            guide.with_user(self.other_rep).action_confirm()
        with self.assertRaises(AccessError):
            guide.with_user(self.other_rep).action_confirm_available()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.assistant_split_ids)

    def test_reader_cannot_confirm_nor_split_an_order_they_cannot_write(self):
        """A user who may read every order but write none (a sales desk reader through a
        read-only rule) gets the screen, not the actions."""
        order = self._quotation()
        # a read-only rule for the other rep on this order
        self.env["ir.rule"].create(
            {
                "name": "guide test: read any order",
                "model_id": self.env.ref("sale.model_sale_order").id,
                "groups": [Command.set(self.env.ref("sales_team.group_sale_salesman").ids)],
                "domain_force": f"[('id', '=', {order.id})]",
                "perm_read": True,
                "perm_write": False,
                "perm_create": False,
                "perm_unlink": False,
            }
        )
        guide = self._guide(order, self.other_rep)
        self.assertEqual(len(guide.line_ids), 3)
        with self.assertRaises(AccessError):
            guide.action_confirm()
        with self.assertRaises(AccessError):
            guide.action_confirm_available()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.assistant_split_ids)

    def test_split_link_is_set_by_the_split_only(self):
        order, other = self._quotation(), self._quotation()
        with self.assertRaisesRegex(UserError, "Only moving lines"):
            other.with_user(self.rep).write({"assistant_split_from_id": order.id})
        with self.assertRaisesRegex(UserError, "Only moving lines"):
            self.env["sale.order"].with_user(self.rep).create(
                {"partner_id": self.customer.id, "assistant_split_from_id": order.id}
            )
        with self.assertRaisesRegex(UserError, "Only moving lines"):
            other.with_user(self.rep).with_context(assistant_split_link=True).write(
                {"assistant_split_from_id": order.id}
            )
        self.assertFalse(order.assistant_split_ids)

    def test_screen_of_no_order_is_refused(self):
        Guide = self.env["sales.confirm.guide"].with_user(self.rep)
        for order_id in (False, "1", 10**9):
            with self.assertRaisesRegex(UserError, "does not exist"):
                Guide.create({"order_id": order_id})

    def test_client_values_are_ignored(self):
        order = self._quotation()
        guide = (
            self.env["sales.confirm.guide"]
            .with_user(self.rep)
            .create({"order_id": order.id, "blocked": True, "unavailable_count": 0})
        )
        self.assertFalse(guide.blocked)
        self.assertEqual(guide.unavailable_count, 1)

    def test_queries_do_not_grow_with_lines(self):
        def order_of(size):
            return self._quotation().copy(
                {
                    "order_line": [
                        Command.create(
                            {
                                "product_id": (self.in_stock, self.short)[i % 2].id,
                                "product_uom_qty": 2,
                            }
                        )
                        for i in range(size)
                    ]
                }
            )

        small, big = order_of(5), order_of(50)
        counts = []
        for order in (small, order_of(5), big):
            self.env.invalidate_all()
            order = order.with_user(self.rep)
            queries = self.env.cr.sql_log_count
            self._guide(order)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - queries)
        # first call warms the caches up; 50 lines cost what 5 lines cost
        self.assertEqual(counts[2], counts[1], counts)


@tagged("post_install", "-at_install")
class TestConfirmGuideRpc(ConfirmGuideCase, HttpCase):
    """Confirming from code is not the screen: action_confirm over JSON-RPC confirms (or
    meets the compliance gate) exactly as before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_confirm_data()
        cls.rep.password = "guide_rep_pwd"

    def _call(self, model, method, ids):
        """``model.method(ids)`` over JSON-RPC; an error raises ``UserError`` with the
        message the user reads."""
        try:
            return call_kw(self, model, method, [ids])
        except RpcError as error:
            raise UserError(str(error)) from error

    def test_rpc_action_confirm_opens_no_screen(self):
        order = self._quotation()
        self.authenticate("guide_rep", "guide_rep_pwd")
        self._call("sale.order", "action_confirm", order.ids)
        self.assertEqual(order.state, "sale")
        self.assertFalse(self.env["sales.confirm.guide"].search([("order_id", "=", order.id)]))

    def test_rpc_action_confirm_still_meets_the_gate(self):
        self._rule(name="Big orders", check="amount", amount_limit=1000, outcome="block")
        order = self._quotation()
        self.authenticate("guide_rep", "guide_rep_pwd")
        with self.assertRaisesRegex(UserError, "Big orders"):
            self._call("sale.order", "action_confirm", order.ids)
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        # the guided screen's Confirm over RPC meets the same gate
        guide = self._guide(order)
        with self.assertRaisesRegex(UserError, "Big orders"):
            self._call("sales.confirm.guide", "action_confirm", guide.ids)
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")

    def test_tour_confirm_available_lines_and_split(self):
        """In the browser: Confirm opens the screen; the rep confirms the available lines
        and the gate valves wait in a new quotation linked to the order."""
        order = self._quotation()
        self.rep.action_id = False
        self.start_tour(
            f"/odoo/action-sale.action_quotations/{order.id}",
            "sales_assistant_confirm_guide",
            login="guide_rep",
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.assistant_split_ids.order_line.product_id, self.short)
