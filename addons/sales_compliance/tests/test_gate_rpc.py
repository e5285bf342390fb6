"""The compliance gate as a salesperson meets it over JSON-RPC (/web/dataset/call_kw)."""

import json

from odoo import SUPERUSER_ID, Command, api
from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import disable_demo_rules
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged

from .common import RpcError, call_kw

PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
    "AAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestGateRpc(HttpCase):
    """One test transaction (test mode): what the rep may send, and what it changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        disable_demo_rules(env)
        cls.rep = new_test_user(
            env, login="gate_rpc_rep", groups="sales_team.group_sale_salesman", name="Rep Liu"
        )
        cls.leader = new_test_user(
            env,
            login="gate_rpc_leader",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Leader Zhao",
        )
        cls.team = env["crm.team"].create(
            {"name": "Gate Team", "user_id": cls.leader.id, "member_ids": [(6, 0, cls.rep.ids)]}
        )
        cls.customer = env["res.partner"].create({"name": "杭州明达贸易有限公司"})
        cls.product = env["product.product"].create(
            {"name": "Gate Widget", "list_price": 1000, "taxes_id": [Command.clear()]}
        )
        cls.officer = env.ref("base.user_admin")

    def _order(self, discount=0.0):
        return (
            self.env["sale.order"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "team_id": self.team.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": 1000,
                                "discount": discount,
                            }
                        )
                    ],
                }
            )
        )

    def test_forged_warnings_seen_over_rpc_is_logged(self):
        rule = (
            self.env["sales.compliance.rule"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Large quotation",
                    "model_name": "sale.order",
                    "trigger": "confirm",
                    "check": "amount",
                    "amount_limit": 500,
                    "outcome": "warn",
                }
            )
        )
        order = self._order()
        self.authenticate("gate_rpc_rep", "gate_rpc_rep")
        call_kw(
            self, "sale.order", "action_confirm", [order.ids], {"compliance_warnings_seen": True}
        )
        self.assertEqual(order.state, "sale")
        violation = self.env["sales.compliance.violation"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual((violation.rule_id, violation.outcome), (rule, "warn"))

    def test_discount_raised_after_confirmation_opens_a_request(self):
        """The case of the issue: 25% approved and confirmed, then 30% over RPC."""
        self.env["sales.compliance.discount.ceiling"].create(
            {"group_id": self.env.ref("sales_team.group_sale_salesman").id, "max_discount": 20}
        )
        self.env["sales.compliance.rule"].with_user(self.officer).create(
            {
                "name": "Discount above the ceiling",
                "model_name": "sale.order",
                "trigger": "confirm",
                "check": "discount_ceiling",
                "outcome": "approval",
                "level_ids": [Command.create({"name": "Leader", "approver_type": "team_leader"})],
            }
        )
        Approval = self.env["sales.compliance.approval"]
        order = self._order(discount=25)
        order.action_compliance_request_approval()
        approved = Approval.search([("res_id", "=", order.id)])
        approved.with_user(self.leader).action_approve("Year-end deal")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.compliance_status, "ok")

        self.authenticate("gate_rpc_rep", "gate_rpc_rep")
        call_kw(self, "sale.order.line", "write", [order.order_line.ids, {"discount": 30}])
        self.assertEqual(order.order_line.discount, 30)
        self.assertEqual(approved.state, "voided")
        request = Approval.search([("res_id", "=", order.id), ("state", "=", "pending")])
        self.assertEqual(request.pending_approver_ids, self.leader)
        self.assertEqual(json.loads(request.values_snapshot)["lines"][0][3], 30)
        self.assertEqual(order.compliance_status, "pending")
        self.assertTrue(
            self.env["sales.compliance.violation"].search(
                [("res_id", "=", order.id), ("state", "=", "open"), ("outcome", "=", "approval")]
            )
        )


@tagged("post_install", "-at_install")
class TestRefusedOverRpcKeepsViolations(HttpCase):
    """Real transactions: the server commits or rolls back as in production, so the
    violation of a refused call must come from the separate transaction. The data is
    committed for the test and deleted afterwards."""

    registry_test_mode = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's runner runs the tests holding the registry lock: the server thread
        # could not open the registry. Test mode swaps the lock the same way.
        saved_lock = Registry._lock
        Registry._lock = DummyRLock()
        cls.addClassCleanup(setattr, Registry, "_lock", saved_lock)

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            rep = new_test_user(
                env, login="gate_real_rep", groups="sales_team.group_sale_salesman", name="Rep Sun"
            )
            customer = env["res.partner"].create({"name": "苏州恒通机械有限公司"})
            product = env["product.product"].create(
                {
                    "name": "Gate Pump",
                    "type": "service",
                    "list_price": 400,
                    "taxes_id": [Command.clear()],
                }
            )
            rules = env["sales.compliance.rule"].create(
                [
                    {
                        "name": "Orders above 1,000",
                        "model_name": "sale.order",
                        "trigger": "confirm",
                        "condition_type": "domain",
                        "domain": "[('amount_untaxed', '>', 1000)]",
                        "outcome": "block",
                    },
                    {
                        "name": "Customers need a tax ID",
                        "model_name": "res.partner",
                        "trigger": "save",
                        "condition_type": "domain",
                        "domain": "[('name', '=like', 'GATE-%'), ('vat', '=', False)]",
                        "outcome": "block",
                    },
                ]
            )
            orders = (
                env["sale.order"]
                .with_user(rep)
                .create(
                    [
                        {
                            "partner_id": customer.id,
                            "order_line": [
                                Command.create({"product_id": product.id, "product_uom_qty": qty})
                            ],
                        }
                        for qty in (3, 2)
                    ]
                )
            )
            orders[1].with_context(compliance_skip=COMPLIANCE_SKIP).action_confirm()
            orders[0].write({"require_signature": True, "require_payment": False})
            self.access_token = orders[0]._portal_ensure_token()
            self.ids = {
                "rep": rep.id,
                "rep_partner": rep.partner_id.id,
                "customer": customer.id,
                "product": product.id,
                "product_tmpl": product.product_tmpl_id.id,
                "rules": tuple(rules.ids),
                "orders": tuple(orders.ids),
            }
        self.addCleanup(self._delete_committed_data)
        self.url_open(
            "/web/session/authenticate",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "db": get_db_name(),
                        "login": "gate_real_rep",
                        "password": "gate_real_rep",
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).raise_for_status()

    def _delete_committed_data(self):
        ids = self.ids
        with self.registry.cursor() as cr:
            # test data only: violations are kept for ever otherwise
            cr.execute(
                "DELETE FROM sales_compliance_violation WHERE rule_id IN %s OR user_id = %s "
                "OR (res_model = 'sale.order' AND res_id IN %s)",
                [ids["rules"], ids["rep"], ids["orders"]],
            )
            cr.execute(
                "DELETE FROM sales_compliance_approval WHERE res_model = 'sale.order' "
                "AND res_id IN %s",
                [ids["orders"]],
            )
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(ids["orders"])
            orders.with_context(disable_cancel_warning=True).action_cancel()
            orders.unlink()
            env["sales.compliance.rule"].browse(ids["rules"]).unlink()
            env["product.template"].browse(ids["product_tmpl"]).unlink()
            cr.execute(
                "DELETE FROM sales_compliance_ownership_log WHERE partner_id IN %s",
                [(ids["customer"], ids["rep_partner"])],
            )
            env["res.partner"].search([("name", "=like", "GATE-%")]).unlink()
            env["res.users"].browse(ids["rep"]).unlink()
            env["res.partner"].browse([ids["customer"], ids["rep_partner"]]).unlink()

    def _read(self, query, params):
        with self.registry.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()

    def _violations(self, res_model, res_id):
        return self._read(
            "SELECT r.name->>'en_US', v.outcome, v.user_id, v.attempt_count, v.partner_id, "
            "v.record_name FROM sales_compliance_violation v "
            "JOIN sales_compliance_rule r ON r.id = v.rule_id "
            "WHERE v.res_model = %s AND v.res_id = %s AND v.rule_id IN %s",
            [res_model, res_id, self.ids["rules"]],
        )

    def test_blocked_confirmation_over_rpc_keeps_its_violation(self):
        draft = self.ids["orders"][0]
        for attempt in (1, 2):
            with self.assertRaises(RpcError) as error:
                call_kw(self, "sale.order", "action_confirm", [[draft]])
            self.assertIn("Orders above 1,000", str(error.exception))
            self.assertEqual(
                self._violations("sale.order", draft),
                [
                    (
                        "Orders above 1,000",
                        "block",
                        self.ids["rep"],
                        attempt,
                        self.ids["customer"],
                        self._read("SELECT name FROM sale_order WHERE id = %s", [draft])[0][0],
                    )
                ],
            )
        # nothing else changed: the order is still a quotation
        self.assertEqual(
            self._read("SELECT state FROM sale_order WHERE id = %s", [draft]), [("draft",)]
        )

    def test_blocked_change_of_a_confirmed_order_is_refused_and_logged(self):
        confirmed = self.ids["orders"][1]
        line = self._read("SELECT id FROM sale_order_line WHERE order_id = %s", [confirmed])[0][0]
        with self.assertRaises(RpcError) as error:
            call_kw(self, "sale.order.line", "write", [[line], {"product_uom_qty": 5}])
        self.assertIn("Orders above 1,000", str(error.exception))
        self.assertEqual(
            self._read("SELECT product_uom_qty FROM sale_order_line WHERE id = %s", [line]),
            [(2.0,)],
        )
        [violation] = self._violations("sale.order", confirmed)
        self.assertEqual(violation[:4], ("Orders above 1,000", "block", self.ids["rep"], 1))

    def test_blocked_new_customer_is_logged_by_name(self):
        with self.assertRaises(RpcError) as error:
            call_kw(self, "res.partner", "create", [{"name": "GATE-新客户", "is_company": True}])
        self.assertIn("Customers need a tax ID", str(error.exception))
        # the customer was never saved; the violation keeps its id and name, no link
        self.assertFalse(self._read("SELECT id FROM res_partner WHERE name = 'GATE-新客户'", []))
        rows = self._read(
            "SELECT res_id, record_name, partner_id, user_id FROM sales_compliance_violation "
            "WHERE rule_id = %s",
            [self.ids["rules"][1]],
        )
        self.assertEqual(len(rows), 1)
        res_id, name, partner, user = rows[0]
        self.assertTrue(res_id)
        self.assertEqual((name, partner, user), ("GATE-新客户", None, self.ids["rep"]))

    def test_blocked_portal_signature_keeps_its_violation(self):
        """The customer signs the quotation on the portal: the confirmation that the
        signature triggers is refused, the signature is not kept, the violation is."""
        draft = self.ids["orders"][0]
        self.opener.cookies.pop("session_id", None)  # the customer, not the rep
        response = self.url_open(
            f"/my/orders/{draft}/accept",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "access_token": self.access_token,
                        "name": "王经理",
                        "signature": PNG_1PX,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertIn("error", response, response)
        self.assertIn("Orders above 1,000", response["error"]["data"]["message"])
        self.assertEqual(
            self._read("SELECT state, signed_by FROM sale_order WHERE id = %s", [draft]),
            [("draft", None)],
        )
        [violation] = self._violations("sale.order", draft)
        # Odoo's portal confirms as superuser (sale's _document_check_access)
        self.assertEqual(
            violation[:5], ("Orders above 1,000", "block", SUPERUSER_ID, 1, self.ids["customer"])
        )
